"""The examples in the package's docstrings run and say what they show."""

import doctest

import retold


def test_docstring_examples():
    result = doctest.testmod(retold, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8
    assert result.failed == 0


def test_spark_docstring_examples():
    # The partition functions' examples need pandas, not Spark.
    import pytest

    pytest.importorskip("pandas")
    import retold.spark

    result = doctest.testmod(retold.spark, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4
    assert result.failed == 0
