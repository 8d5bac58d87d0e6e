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
    assert len(rows) == len(expected) == 46
    got = {r.article: r for r in rows.itertuples(index=False)}
    for story, article, role, relation, parent, confidence in expected:
        g = got[article]
        assert (g.story, g.role, g.relation, g.parent) == (story, role, relation, parent), article
        # Confidences read the word statistics of the articles placed
        # before (sentence similarity weighs words by them), and a window
        # places only its own articles and its context: since the corpus
        # gained its German version, two independent reports' confidences
        # differ by up to 0.035, and since
        # the verdict's refit on the run counted on both sides (session 24)
        # one differs by 0.083 (`retold.analyze` gives it 0.945 in every
        # one of eight input orders; a window sees fewer of its story's
        # reports). Roles, relations and parents must agree exactly.
        assert g.confidence == pytest.approx(confidence, abs=0.1), article
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


# ---------------------------------------------------------------- time windows


def test_published_reads_dates_as_the_engine_does():
    got = retold._native.published(
        [
            {"id": "a", "text": "x", "published": "2026-03-01T08:00:00Z"},
            {"id": "b", "text": "x", "published": "2026-03-01T10:00:00+02:00"},
            {"id": "c", "text": "x"},
            {"id": "d"},  # no text: not readable
        ]
    )
    assert got == [1772352000, 1772352000, None, None]


def test_assign_windows_core_context_and_votes():
    day = 86400.0
    times = [0.0, 10 * day, 19 * day, 27 * day, 41 * day, float("nan")]
    plan = rs.assign_windows(times, [20 * day, 40 * day], 14 * day, 7 * day)
    rows = {(r.row, r.window): (r.core, r.vote) for r in plan.itertuples(index=False)}
    assert rows == {
        (0, 0): (True, False),
        (1, 0): (True, False),
        (1, 1): (False, False),  # 10 days before window 1: context, no vote
        (2, 0): (True, False),
        (2, 1): (False, True),  # 1 day before: votes
        (3, 1): (True, False),
        (3, 2): (False, False),  # 13 days before window 2
        (4, 2): (True, False),
        (5, -1): (True, False),  # undated
    }


def test_window_partition_marks_context_and_numbers_stories(corpus_records):
    records = sorted(corpus_records, key=lambda r: r["id"])[:12]
    frame = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in records]).astype(object)
    frame["_n"] = range(len(frame))
    frame["_window"] = 2
    frame["_core"] = [i % 3 != 0 for i in range(len(frame))]
    frame["_vote"] = ~frame["_core"]
    rows = rs.window_partition(frame)
    expected = retold.analyze(records)
    assert sorted(rows["article"]) == sorted(m[1] for m in expected.members())
    assert set(rows[~rows["core"]]["article"]) == set(frame[~frame["_core"]]["id"])
    # One key per story, in the engine's order, all of window 2.
    keys = [rs.story_key(2, k) for k in range(len(expected.stories))]
    assert sorted(rows["key"].unique()) == keys
    for number, story in enumerate(expected.stories):
        got = rows[rows["key"] == keys[number]]
        assert set(got["article"]) == {m["article"] for m in story["members"]}
        assert set(got["story"]) == {story["id"]}
    # Records without an id are told apart by their place in the input.
    frame["id"] = None
    rows = rs.window_partition(frame)
    assert len(rows) == len(frame)
    assert int((~rows["core"]).sum()) == int((~frame["_core"]).sum()) == 4


def test_analyze_in_windows_stitches_stories_across_windows(spark, corpus_df, corpus_records):
    # Windows of 8 articles: the example corpus's stories cross window
    # borders, and come out whole, with the names (origins) `retold
    # analyze` gives them.
    rows = rs.analyze(corpus_df, window_articles=8, context_days=28).toPandas()
    rows = rows.astype(object).where(rows.notna(), None)
    assert rows["component"].nunique() == 5
    expected = retold.analyze(corpus_records).members()
    assert len(rows) == len(expected) == 46
    got = {r.article: r for r in rows.itertuples(index=False)}
    assert {a: g.story for a, g in got.items()} == {m[1]: m[0] for m in expected}
    assert (rows.groupby("story")["component"].nunique() > 1).sum() >= 3
    # Roles and parents too. The undated pile's source sits in a later
    # window than two of its copies (in Spark, undated articles go with the
    # dated one before them in the input): their own window roots the pair
    # at one of them; the later windows, which hold the source, derive both
    # from it, and the stitching takes that.
    differ = [m[1] for m in expected if (got[m[1]].role, got[m[1]].relation, got[m[1]].parent) != (m[2], m[3], m[4])]
    assert differ == []
    pile = {a: g for a, g in got.items() if g.story == got["uaadf005c9eb251a1"].story}
    assert {g.component for g in pile.values()} >= {1, 3}
    assert pile["uc7109ed22d52c6df"].parent == "uaadf005c9eb251a1"


def test_analyze_components_partition_is_still_there(spark, corpus_df, corpus_records):
    rows = rs.analyze(corpus_df, partition="components").toPandas()
    rows = rows.astype(object).where(rows.notna(), None)
    expected = {m[1]: m for m in retold.analyze(corpus_records).members()}
    assert {r.article: (r.story, r.role, r.parent) for r in rows.itertuples(index=False)} == {
        a: (m[0], m[2], m[4]) for a, m in expected.items()
    }
    with pytest.raises(ValueError):
        rs.analyze(corpus_df, partition="bogus")
