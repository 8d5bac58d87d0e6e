"""retold.spark in Spark local mode on the example corpus: the clusters of
`retold dedup` and the stories of `retold analyze`."""

import os
import sys

import pytest

import retold

pyspark = pytest.importorskip("pyspark")
pd = pytest.importorskip("pandas")

import retold.spark as rs  # noqa: E402

COLUMNS = ["id", "url", "source", "title", "byline", "published", "language", "text"]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers must run this interpreter, which has retold installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("retold-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus_df(spark, corpus_records):
    frame = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in corpus_records])
    frame = frame.astype(object).where(frame.notna(), None)
    # Two partitions, so pairs cross partitions.
    # Fixed once (a repartition is drawn anew on every evaluation).
    return spark.createDataFrame(frame).repartition(2).sortWithinPartitions("id").localCheckpoint()


def test_dedup_equals_retold_dedup(spark, corpus_df, corpus_records):
    # The DataFrame's order (partition by partition) decides which member
    # names a cluster, as the input order does for `retold dedup`.
    order = [r["id"] for r in corpus_df.select("id").toLocalIterator()]
    by_id = {r["id"]: r for r in corpus_records}
    in_order = [by_id[i] for i in order]
    for kwargs in ({}, {"sketch": "content", "threshold": 0.4}):
        got = rs.dedup(corpus_df, **kwargs).toPandas()
        assert list(got["id"]) == order
        assert list(got["cluster"]) == retold.dedup(in_order, **kwargs)
    assert got["cluster"].nunique() < len(got)


def test_analyze_gives_the_stories_of_retold_analyze(spark, corpus_df, corpus_records):
    rows = rs.analyze(corpus_df).toPandas()
    rows = rows.astype(object).where(rows.notna(), None)
    expected = retold.analyze(corpus_records).members()
    assert len(rows) == len(expected) == 45
    got = {r.article: r for r in rows.itertuples(index=False)}
    for story, article, role, relation, parent, confidence in expected:
        g = got[article]
        assert (g.story, g.role, g.relation, g.parent) == (story, role, relation, parent), article
        assert g.confidence == pytest.approx(confidence, abs=1e-6), article
    # Articles of one story share a component.
    comps = rows.groupby("story")["component"].nunique()
    assert (comps == 1).all()


def test_connected_components(spark):
    edges = spark.createDataFrame([(1, 2), (2, 3), (3, 4), (10, 11), (7, 7)], ["a", "b"])
    labels = dict(rs.connected_components(edges).toPandas().values.tolist())
    assert labels == {1: 1, 2: 1, 3: 1, 4: 1, 10: 10, 11: 10, 7: 7}


def test_boilerplate_buckets_are_dropped(spark):
    # Ten copies of one text share every band: with buckets capped at 5 no
    # pair is made, with the default cap they form one cluster.
    text = "The council voted on Tuesday to close the old harbour bridge for repairs that will take a year."
    df = spark.createDataFrame([(str(i), text) for i in range(10)], ["id", "text"])
    assert set(rs.dedup(df).toPandas()["cluster"]) == {"0"}
    assert len(set(rs.dedup(df, max_bucket=5).toPandas()["cluster"])) == 10


def test_verification_is_the_jaccard_of_the_core():
    # The vectorized check agrees with retold._native.jaccard pair by pair.
    t = "The council voted on Tuesday to close the old harbour bridge for repairs that will take a year."
    texts = [t, t + " Source link", t.replace("Tuesday", "Monday"), "Stocks rallied in Tokyo.", ""]
    sigs = [s for _, s in retold._native.sketch_bands(texts, threshold=0.5)]
    pairs = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))]
    frame = pd.DataFrame(
        {"a": [i for i, _ in pairs], "b": [j for _, j in pairs],
         "sig_a": [sigs[i] for i, _ in pairs], "sig_b": [sigs[j] for _, j in pairs]}
    )
    for threshold in (0.3, 0.5, 0.8):
        got = {tuple(r) for r in next(rs.verify_partition([frame], threshold=threshold)).values.tolist()}
        want = {(i, j) for i, j in pairs if retold._native.jaccard(sigs[i], sigs[j]) >= threshold}
        assert got == want
    assert (0, 1) in want and all(4 not in p for p in want)
