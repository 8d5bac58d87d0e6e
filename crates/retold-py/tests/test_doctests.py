"""The examples in the package's docstrings run and say what they show."""

import doctest

import retold


def test_docstring_examples():
    result = doctest.testmod(retold, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8
    assert result.failed == 0
