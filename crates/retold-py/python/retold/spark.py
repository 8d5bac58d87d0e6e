"""retold on Spark: near-duplicate clusters and stories of a Spark DataFrame.

The DataFrame has the JSON Lines columns (``id``, ``text``, and any of
``url``, ``source``, ``title``, ``byline``, ``published``, ``language``, …).
Nothing is collected to the driver; every step is a Spark job:

1. **sketch** (``mapInPandas``): per article, the MinHash signature and the
   LSH band keys of the Rust core (:func:`sketch_partition`, calling
   ``retold._native.sketch_bands``);
2. **candidates**: band keys exploded and grouped; a bucket of more than
   ``max_bucket`` articles is dropped (a key that many articles share is
   boilerplate: a footer, a disclaimer), pairs are made inside the others,
   deduplicated and capped at ``max_pairs`` per article;
3. **verify**: each pair's signatures compared (estimated Jaccard at or
   above the threshold), as ``retold dedup`` verifies its candidates;
4. **components**: connected components of the verified pairs by min-label
   propagation with pointer jumping, a Spark job per round (rounds grow
   with the log of the longest chain; ``max_rounds`` bounds them);
5. for :func:`analyze`, **stories** (``applyInPandas``): each component's
   articles through the story engine (:func:`stories_partition`, calling
   :func:`retold.analyze`), one row per member.

pyspark is imported only when a function here is called. The partition
functions are plain functions of pandas DataFrames, so Ray Data
(``map_batches``) or Dask (``map_partitions``) can call them as well.

Differences from the command line tool, and why:

* :func:`dedup` gives the clusters of ``retold dedup`` (same sketches, same
  bands, same verification), except where a bucket larger than
  ``max_bucket`` was dropped or an article had more than ``max_pairs``
  candidates: a pair found only there is lost.
* :func:`analyze` runs the engine on each component separately. The
  engine's own candidates also come from rare shared terms and entities,
  which the components do not see: two reports of one event whose content
  words overlap less than the component threshold end up in separate
  stories. Word statistics (IDF) and site furniture are learned per
  component, not over the whole corpus, so confidences can differ in the
  last digits. On the example corpus the stories, roles and parents are
  the same as ``retold analyze`` (``tests/test_spark.py``).
* Components are connected components of pairs at the engine's low
  similarity floor, so they chain: on a 10 k synthetic corpus one component
  held 98% of the articles and ran in one task (docs/PERFORMANCE.md, "The
  Python package"). Correct, but not parallel; a partition by time windows
  is the way out (docs/SCALE.md).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Optional

from . import _native

__all__ = [
    "analyze",
    "dedup",
    "sketch_partition",
    "verify_partition",
    "stories_partition",
    "connected_components",
    "candidate_pairs",
]

#: Columns of the rows :func:`analyze` returns.
STORY_COLUMNS = ("component", "story", "article", "role", "relation", "parent", "confidence")

_RECORD_FIELDS = ("id", "url", "source", "title", "byline", "published", "language", "text", "html")


def _spark():
    try:
        import pyspark.sql.functions as F
        import pyspark.sql.types as T
        from pyspark.sql import Window
    except ImportError as e:  # pragma: no cover - depends on the machine
        raise ImportError("retold.spark needs pyspark: pip install pyspark") from e
    return F, T, Window


# ---------------------------------------------------------------- partition functions


def sketch_partition(
    batches: Iterable[Any],
    *,
    threshold: float,
    sketch: str,
    num_perm: int = 128,
    shingle: int = 5,
    min_candidate_recall: float = 0.99,
) -> Iterator[Any]:
    """Pandas batches with ``_n``, ``text`` (and ``language``) → batches with
    ``_n``, ``keys`` (LSH band keys, int64) and ``sig`` (the signature).

    The keys are those ``retold dedup`` uses for ``threshold``: two texts
    sharing one are candidates.

    >>> import pandas as pd
    >>> t = "The council voted on Tuesday to close the old harbour bridge for repairs."
    >>> out = next(sketch_partition([pd.DataFrame({"_n": [0, 1], "text": [t, t]})], threshold=0.5, sketch="shingles"))
    >>> list(out["keys"][0]) == list(out["keys"][1]), len(out["sig"][0])
    (True, 128)
    """
    import pandas as pd

    for batch in batches:
        texts = ["" if t is None else str(t) for t in batch["text"]]
        langs = None
        if "language" in batch:
            langs = [None if (l is None or l != l) else str(l) for l in batch["language"]]
        out = _native.sketch_bands(
            texts,
            langs,
            threshold=threshold,
            sketch=sketch,
            num_perm=num_perm,
            shingle=shingle,
            min_candidate_recall=min_candidate_recall,
        )
        yield pd.DataFrame(
            {
                "_n": batch["_n"].to_numpy(),
                "keys": [k for k, _ in out],
                "sig": [s for _, s in out],
            }
        )


def verify_partition(batches: Iterable[Any], *, threshold: float) -> Iterator[Any]:
    """Pandas batches of candidate pairs (``a``, ``b``, ``sig_a``, ``sig_b``)
    → the pairs whose signatures estimate a Jaccard similarity at or above
    ``threshold`` (``a``, ``b``), as ``retold dedup`` verifies candidates:
    the share of equal values, 0 when a text had no words (an empty
    signature). Vectorized with numpy (the same number as
    ``retold._native.jaccard``, one Python call per batch, not per pair).

    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"a": [0, 0], "b": [1, 2], "sig_a": [[1, 2, 3, 4]] * 2,
    ...                       "sig_b": [[1, 2, 3, 9], [5, 6, 7, 4]]})
    >>> next(verify_partition([pairs], threshold=0.5)).values.tolist()
    [[0, 1]]
    """
    import numpy as np
    import pandas as pd

    for batch in batches:
        n = len(batch)
        keep = np.zeros(n, dtype=bool)
        if n:
            len_a = batch["sig_a"].map(len).to_numpy()
            len_b = batch["sig_b"].map(len).to_numpy()
            comparable = (len_a > 0) & (len_a == len_b)
            for size in np.unique(len_a[comparable]):
                rows = np.nonzero(comparable & (len_a == size))[0]
                sa = np.stack([np.asarray(v) for v in batch["sig_a"].to_numpy()[rows]])
                sb = np.stack([np.asarray(v) for v in batch["sig_b"].to_numpy()[rows]])
                keep[rows] = (sa == sb).sum(axis=1) / float(size) >= threshold
        yield pd.DataFrame({"a": batch["a"].to_numpy()[keep], "b": batch["b"].to_numpy()[keep]})


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    try:
        import pandas as pd

        if v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return v


def stories_partition(frame: Any, *, strict: bool = False) -> Any:
    """A pandas DataFrame of articles of one or more components (column
    ``component``, and the JSON Lines columns) → one row per story member
    (:data:`STORY_COLUMNS`). Each component goes through the story engine
    on its own (:func:`retold.analyze`), in publication order."""
    import pandas as pd

    from . import analyze as _analyze

    rows: List[tuple] = []
    columns = [c for c in frame.columns if c not in ("component", "_n")]
    for component, part in frame.groupby("component", sort=True):
        part = part.sort_values("_n") if "_n" in part else part
        records = [
            {c: _clean(v) for c, v in zip(columns, values) if _clean(v) is not None}
            for values in part[columns].itertuples(index=False, name=None)
        ]
        analysis = _analyze(records, strict=strict, name=f"component {component}")
        for story, article, role, relation, parent, confidence in analysis.members():
            rows.append((int(component), story, article, role, relation, parent, confidence))
    return pd.DataFrame(rows, columns=list(STORY_COLUMNS))


# ---------------------------------------------------------------- Spark steps


def _with_row_numbers(df: Any) -> Any:
    F, _, _ = _spark()
    # Increasing in input order (partition by partition): the first member
    # of a cluster is the one read first, as in `retold dedup`.
    return df.withColumn("_n", F.monotonically_increasing_id())


def _sketches(df: Any, **params: Any) -> Any:
    F, T, _ = _spark()
    cols = ["_n", "text"] + (["language"] if "language" in df.columns else [])
    schema = T.StructType(
        [
            T.StructField("_n", T.LongType()),
            T.StructField("keys", T.ArrayType(T.LongType())),
            T.StructField("sig", T.ArrayType(T.LongType())),
        ]
    )

    def run(batches):
        return sketch_partition(batches, **params)

    return df.select(*cols).mapInPandas(run, schema)


def candidate_pairs(sketches: Any, *, max_bucket: int = 200, max_pairs: int = 100) -> Any:
    """Candidate pairs (``a`` < ``b``) of articles sharing a band key, from
    rows of ``_n`` and ``keys``. Buckets larger than ``max_bucket`` are
    dropped (boilerplate); each article keeps at most ``max_pairs`` pairs
    (its nearest numbers first)."""
    F, _, Window = _spark()
    exploded = sketches.select("_n", F.explode("keys").alias("key"))
    sizes = exploded.groupBy("key").agg(F.count("*").alias("size"))
    kept = exploded.join(sizes.where((F.col("size") >= 2) & (F.col("size") <= max_bucket)), "key")
    x, y = kept.alias("x"), kept.alias("y")
    pairs = (
        x.join(y, F.col("x.key") == F.col("y.key"))
        .where(F.col("x._n") < F.col("y._n"))
        .select(F.col("x._n").alias("a"), F.col("y._n").alias("b"))
        .distinct()
    )
    rank = Window.partitionBy("b").orderBy(F.col("a").desc())
    return pairs.withColumn("_r", F.row_number().over(rank)).where(F.col("_r") <= max_pairs).drop("_r")


def _verified(pairs: Any, sketches: Any, threshold: float) -> Any:
    F, T, _ = _spark()
    sigs = sketches.select("_n", "sig")
    joined = (
        pairs.join(sigs.select(F.col("_n").alias("a"), F.col("sig").alias("sig_a")), "a")
        .join(sigs.select(F.col("_n").alias("b"), F.col("sig").alias("sig_b")), "b")
        .select("a", "b", "sig_a", "sig_b")
    )
    schema = T.StructType([T.StructField("a", T.LongType()), T.StructField("b", T.LongType())])

    def run(batches):
        return verify_partition(batches, threshold=threshold)

    return joined.mapInPandas(run, schema)


def connected_components(edges: Any, *, max_rounds: int = 40) -> Any:
    """Connected components of an undirected graph given as rows ``a``,
    ``b`` (vertex numbers): rows ``v``, ``label`` (the least vertex of its
    component) for every vertex with an edge.

    Min-label propagation with pointer jumping: each round every vertex
    takes the least label among itself and its neighbours, then the label of
    its label; a round is one Spark job, and the loop stops when no label
    changed (or after ``max_rounds``, when a warning is given)."""
    F, _, _ = _spark()
    both = edges.select("a", "b").union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    both = both.distinct().localCheckpoint()
    labels = both.groupBy("a").agg(F.least(F.min("b"), F.col("a")).alias("label")).withColumnRenamed("a", "v")
    labels = labels.localCheckpoint()
    for _ in range(max_rounds):
        # The least label among the neighbours.
        offered = both.join(labels.withColumnRenamed("v", "b"), "b").select(F.col("a").alias("v"), "label")
        step = offered.union(labels).groupBy("v").agg(F.min("label").alias("label"))
        # Pointer jumping: the label of the label.
        jumped = (
            step.alias("s")
            .join(step.alias("t"), F.col("s.label") == F.col("t.v"), "left")
            .select(F.col("s.v").alias("v"), F.least(F.col("s.label"), F.coalesce(F.col("t.label"), F.col("s.label"))).alias("label"))
        ).localCheckpoint()
        changed = (
            jumped.alias("n")
            .join(labels.alias("o"), "v")
            .where(F.col("n.label") != F.col("o.label"))
            .limit(1)
            .count()
        )
        labels = jumped
        if changed == 0:
            return labels
    import warnings

    warnings.warn(f"retold.spark: components not settled after {max_rounds} rounds", stacklevel=2)
    return labels


def _components(df: Any, *, threshold: float, sketch: str, num_perm: int, shingle: int,
                verify_threshold: float, max_bucket: int, max_pairs: int, max_rounds: int) -> Any:
    """Rows of ``df`` with ``_n`` and ``component`` (the least ``_n`` of
    its component; its own ``_n`` when it has no verified pair)."""
    F, _, _ = _spark()
    numbered = _with_row_numbers(df).localCheckpoint()
    sketches = _sketches(
        numbered, threshold=threshold, sketch=sketch, num_perm=num_perm, shingle=shingle
    ).localCheckpoint()
    pairs = candidate_pairs(sketches, max_bucket=max_bucket, max_pairs=max_pairs)
    edges = _verified(pairs, sketches, verify_threshold)
    labels = connected_components(edges, max_rounds=max_rounds)
    return (
        numbered.join(labels.withColumnRenamed("v", "_n"), "_n", "left")
        .withColumn("component", F.coalesce(F.col("label"), F.col("_n")))
        .drop("label")
    )


def dedup(
    df: Any,
    *,
    threshold: float = 0.8,
    sketch: str = "shingles",
    num_perm: int = 128,
    shingle: int = 5,
    max_bucket: int = 200,
    max_pairs: int = 100,
    max_rounds: int = 40,
) -> Any:
    """Near-duplicate clusters of a Spark DataFrame with columns ``id`` and
    ``text``: a DataFrame of ``id``, ``cluster`` (the id of the cluster's
    first member in input order), as ``retold dedup`` writes them.

    Arguments as :func:`retold.dedup`; ``max_bucket``, ``max_pairs`` and
    ``max_rounds`` bound the work (see the module documentation).
    """
    F, _, _ = _spark()
    rows = _components(
        df, threshold=threshold, sketch=sketch, num_perm=num_perm, shingle=shingle,
        verify_threshold=threshold, max_bucket=max_bucket, max_pairs=max_pairs, max_rounds=max_rounds,
    )
    firsts = rows.select(F.col("_n").alias("component"), F.col("id").alias("cluster"))
    return rows.join(firsts, "component").orderBy("_n").select(F.col("id").cast("string"), "cluster")


def analyze(
    df: Any,
    *,
    threshold: float = 0.2,
    verify_threshold: float = 0.1,
    num_perm: int = 128,
    max_bucket: int = 200,
    max_pairs: int = 100,
    max_rounds: int = 40,
    bins: Optional[int] = None,
    strict: bool = False,
) -> Any:
    """Stories of a Spark DataFrame with the JSON Lines columns: one row per
    story member (``component``, ``story``, ``article``, ``role``,
    ``relation``, ``parent``, ``confidence``), the same rows as
    :meth:`retold.Analysis.to_pandas` of the articles' component.

    Components are made of content-word sketches (``sketch="content"``):
    LSH bands tuned for ``threshold``, pairs kept at an estimated Jaccard of
    ``verify_threshold`` or more (the story engine itself looks at pairs
    from 0.08). Components are packed into ``bins`` groups (default: the
    session's shuffle partitions) so that single articles do not each cost
    a Python call; inside a group every component is analysed on its own.
    ``strict=True`` fails the job at a bad record instead of leaving it out.
    """
    F, T, _ = _spark()
    keep = [c for c in df.columns if c in _RECORD_FIELDS]
    if "text" not in keep and "html" not in keep:
        raise ValueError("the DataFrame needs a `text` (or `html`) column")
    rows = _components(
        df.select(*keep), threshold=threshold, sketch="content", num_perm=num_perm, shingle=5,
        verify_threshold=verify_threshold, max_bucket=max_bucket, max_pairs=max_pairs,
        max_rounds=max_rounds,
    )
    if bins is None:
        bins = int(df.sparkSession.conf.get("spark.sql.shuffle.partitions", "200"))
    schema = T.StructType(
        [
            T.StructField("component", T.LongType()),
            T.StructField("story", T.StringType()),
            T.StructField("article", T.StringType()),
            T.StructField("role", T.StringType()),
            T.StructField("relation", T.StringType()),
            T.StructField("parent", T.StringType()),
            T.StructField("confidence", T.DoubleType()),
        ]
    )
    cols = [c for c in rows.columns if c in _RECORD_FIELDS]
    # Every value a string (dates too), as in a JSON Lines file.
    typed = rows.select("_n", "component", *[F.col(c).cast("string").alias(c) for c in cols])

    def run(frame):
        return stories_partition(frame, strict=strict)

    return typed.withColumn("_bin", F.pmod(F.xxhash64("component"), F.lit(max(1, bins)))).groupBy(
        "_bin"
    ).applyInPandas(lambda f: run(f.drop(columns=["_bin"])), schema)
