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
5. for :func:`dedup`, the components are the clusters.

:func:`analyze` partitions the work by **publication time** instead
(``partition="windows"``, the default; docs/SCALE.md):

1. each article's publication time as the engine reads it
   (:func:`published_partition`);
2. windows of about ``window_articles`` articles each, cut at quantiles of
   the publication times (``approxQuantile``: a few numbers reach the
   driver, not the data); every article is the **core** of one window and
   the **context** of the windows that start less than ``context_days``
   after it (:func:`assign_windows`); an undated article among dated ones
   goes with the latest dated article before it in the input (an ordered
   pass over two numbers an article in one Spark partition, run only when
   some article is undated), where its window's engine places it after the
   window's dated articles. One run over everything places every undated
   article after every dated one, where it meets every story; a window
   cannot hold every story, so this is the one place the Spark job reads
   the input order (docs/SCALE.md). With no dated article at all, the
   undated ones are window -1, placed as one run places them;
3. the story engine on each window's context and core, one task per
   window (``applyInPandas``, :func:`window_partition`): a core article
   sees the same articles as candidates as in one run over everything (the
   engine only links articles at most 14 days apart, and the context covers
   more than that), from all of the engine's candidate sources (shared
   content words, rare terms and entities). With ``history=True`` (the
   default) the engine starts from the **word statistics** of every
   article published before the window's context (:func:`_with_history`:
   each article's keys, :func:`history_partition`, counted per first
   window they seed, :func:`seed_windows`, summed in window order, and
   joined to the keys each window's own articles hold), so it places every
   article with the document frequencies and rare-name counts one run over
   everything has at that point;
4. **stitching**: a window's story that holds context articles is the story
   those articles have in their own window (a vote of the context articles
   of the later half of the context, which were placed with history
   enough; the most votes win, ties to the earlier window). Each story
   points to at most one earlier one, so the connected components of these
   links are trees, one per stitched story, named after (and with the
   origin of) its story in the latest window it reaches
   (:func:`connected_components`, :func:`stitch_windows`).

``partition="components"`` keeps the earlier layout: connected components
of candidate pairs (content sketches at the engine's low similarity floor),
the engine per component (:func:`stories_partition`).

pyspark is imported only when a function here is called. The partition
functions are plain functions of pandas DataFrames, so Ray Data
(``map_batches``) or Dask (``map_partitions``) can call them as well.

Differences from the command line tool, and why:

* :func:`dedup` gives the clusters of ``retold dedup`` (same sketches, same
  bands, same verification), except where a bucket larger than
  ``max_bucket`` was dropped or an article had more than ``max_pairs``
  candidates: a pair found only there is lost.
* :func:`analyze` with windows: inside a window the engine is the command
  line tool's, started from the word statistics of everything before the
  window (``history=True``), but its stories are built from the window
  alone. On the 10 k synthetic corpus every story that differs from one
  run over everything (``scripts/bench/spark_diff.py``, docs/PERFORMANCE.md,
  "Issue 17, fourth slice") traces to one of two things a window cannot
  see: **story state older than its context** (a story whose older reports
  are outside the context has fewer reports, so its average link, and with
  it which articles join it, differs; the context articles carry that into
  the window's stories) and **merges made by later articles** (two stories
  of a window that a later report joins in one run: the later window sees
  the merge only through its context, and each of its stories is stitched
  to the one earlier story most of its voting context articles are in).
  Site furniture (lines a site repeats, learned per host from every
  article in one run) is learned from the window's articles only. A
  longer ``context_days`` costs more work (each context article is
  analysed again) and usually gives answers closer to the command line
  tool's. Roles and parents are those of each article's own window unless
  a later window re-roots its tree on an article the own window did not
  hold (see :func:`stitch_windows`). Two stitched stories whose latest
  windows name them after the same origin come out as one.
* :func:`analyze` with components: the engine's own candidates also come
  from rare shared terms and entities, which the components do not see;
  on a synthetic corpus the components chain into one giant component
  (98% of the articles, one task). See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os
import sys
import time

from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence

from . import _native

__all__ = [
    "analyze",
    "dedup",
    "sketch_partition",
    "verify_partition",
    "stories_partition",
    "connected_components",
    "candidate_pairs",
    "published_partition",
    "assign_windows",
    "history_partition",
    "seed_windows",
    "window_partition",
    "WINDOW_COLUMNS",
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


def _records(frame: Any, columns: List[str]) -> List[Dict[str, Any]]:
    """The rows of a pandas frame as record dicts of `columns`, nulls left out."""
    return [
        {c: _clean(v) for c, v in zip(columns, values) if _clean(v) is not None}
        for values in frame[columns].itertuples(index=False, name=None)
    ]


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
        records = _records(part, columns)
        analysis = _analyze(records, strict=strict, name=f"component {component}")
        for story, article, role, relation, parent, confidence in analysis.members():
            rows.append((int(component), story, article, role, relation, parent, confidence))
    return pd.DataFrame(rows, columns=list(STORY_COLUMNS))


#: Columns of the rows :func:`window_partition` returns.
WINDOW_COLUMNS = ("key", "window", "core", "vote", "story", "article", "role", "relation", "parent", "confidence")

#: Story keys: the window (plus one, so that the undated group, window
#: -1, is 0) in the high bits, the story's number inside its window in the
#: low ones. Keys of earlier windows are smaller.
_KEY_SHIFT = 32


def story_key(window: int, number: int) -> int:
    """The key of story ``number`` of ``window`` (see :data:`WINDOW_COLUMNS`).

    >>> story_key(0, 5) < story_key(1, 0)
    True
    """
    return ((int(window) + 1) << _KEY_SHIFT) | int(number)


def published_partition(batches: Iterable[Any]) -> Iterator[Any]:
    """Pandas batches of records (``_n`` and the JSON Lines columns) →
    batches of ``_n`` and ``_t``: the publication time as the engine reads
    it, in seconds since 1970 (``retold._native.published``), missing for
    an undated record or one that cannot be read.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"_n": [0, 1], "text": ["A text.", "Another."],
    ...                       "published": ["2026-01-01T00:00:00Z", None]})
    >>> next(published_partition([frame]))["_t"].tolist()
    [1767225600.0, nan]
    """
    import numpy as np
    import pandas as pd

    for batch in batches:
        columns = [c for c in batch.columns if c in _RECORD_FIELDS]
        records = _records(batch, columns)
        times = _native.published(records)
        yield pd.DataFrame(
            {
                "_n": batch["_n"].to_numpy(),
                "_t": np.array([np.nan if t is None else float(t) for t in times], dtype=float),
            }
        )


def history_partition(batches: Iterable[Any]) -> Iterator[Any]:
    """Pandas batches of records (``_n`` and the JSON Lines columns) →
    batches of ``_n`` and ``keys``: the record's keys of the engine's word
    statistics (``retold._native.history_keys``: content terms below 2^32,
    names and numbers 2^32 + their hash, its language 2^33 + the hash of
    its code), empty for a record that cannot be
    read. Counted over the articles before a window, they are the
    ``history`` its engine starts from.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"_n": [0, 1], "text": ["Mayor Ines Okafor spoke.", "Mayor Okafor left."]})
    >>> keys = next(history_partition([frame]))["keys"].tolist()
    >>> shared = set(keys[0]) & set(keys[1])
    >>> sorted(k >> 32 for k in shared)  # terms "mayor" and "okafor", the name, English
    [0, 0, 1, 2]
    """
    import pandas as pd

    for batch in batches:
        columns = [c for c in batch.columns if c in _RECORD_FIELDS]
        records = _records(batch, columns)
        keys = _native.history_keys(records)
        yield pd.DataFrame({"_n": batch["_n"].to_numpy(), "keys": [k or [] for k in keys]})


def assign_windows(times: Any, bounds: Sequence[float], context_secs: float, vote_secs: float) -> Any:
    """Which windows each article belongs to: a pandas DataFrame of
    ``row`` (the position in ``times``), ``window``, ``core`` and ``vote``.

    Window ``w`` holds the times from ``bounds[w-1]`` (inclusive) to
    ``bounds[w]`` (exclusive); the first and last are open. Each dated
    article is the core of one window and the context of every later window
    that starts at most ``context_secs`` after it; ``vote`` says it is
    within ``vote_secs`` of that start (its story there stitches the
    window's story to the one before). An undated article (NaN) is the core
    of window -1, which has no context.

    >>> assign_windows([0.0, 5.0, 9.0, float("nan")], [6.0], 4.0, 2.0).values.tolist()
    [[0, 0, True, False], [1, 0, True, False], [1, 1, False, True], [2, 1, True, False], [3, -1, True, False]]
    """
    import numpy as np
    import pandas as pd

    t = np.asarray(times, dtype=float)
    b = np.asarray(sorted(bounds), dtype=float)
    dated = ~np.isnan(t)
    own = np.where(dated, np.searchsorted(b, np.where(dated, t, 0.0), side="right"), -1)
    # The last window whose start is at most context_secs after t.
    last = np.where(dated, np.searchsorted(b, np.where(dated, t + context_secs, 0.0), side="right"), -1)
    rows, windows, core, vote = [], [], [], []
    for i in range(len(t)):
        rows.append(i)
        windows.append(int(own[i]))
        core.append(True)
        vote.append(False)
        for w in range(int(own[i]) + 1, int(last[i]) + 1):
            rows.append(i)
            windows.append(w)
            core.append(False)
            vote.append(bool(b[w - 1] - t[i] <= vote_secs))
    return pd.DataFrame({"row": rows, "window": windows, "core": core, "vote": vote})


def window_partition(frame: Any, *, strict: bool = False, docs_before: int = 0) -> Any:
    """The articles of one time window (columns ``_window``, ``_core``,
    ``_vote``, ``_n`` and the JSON Lines columns) → one row per member of
    every story the engine makes of them (:data:`WINDOW_COLUMNS`): core
    articles as the story's members; context articles (``core`` false) to
    stitch the window's stories to their stories in their own windows.

    Rows with ``_key`` and ``_count`` set (and no ``_n``) are the word
    statistics of the ``docs_before`` articles published before the
    window's first one: each key (of :func:`history_partition`) and how
    many of them hold it. The engine starts from them
    (``Engine::with_history``), so it weighs words as one run over the
    whole corpus would when it reaches the window.

    The records go to the engine in input order (``_n``); it puts them in
    publication order itself. Stories are numbered in the engine's order
    (largest first, then by origin), which makes ``key``.

    >>> import pandas as pd
    >>> t = "The council voted on Tuesday to close the old harbour bridge for a year of repairs."
    >>> frame = pd.DataFrame({"_window": [3, 3], "_core": [False, True], "_vote": [True, False],
    ...     "_n": [0, 1], "id": ["a", "b"], "text": [t, t + " Updated."],
    ...     "published": ["2026-03-01T08:00:00Z", "2026-03-01T09:00:00Z"]})
    >>> rows = window_partition(frame)
    >>> rows[["core", "vote", "article", "role"]].values.tolist()
    [[False, True, 'a', 'origin'], [True, False, 'b', 'derived']]
    >>> list(rows["key"]) == [story_key(3, 0)] * 2, rows["parent"][1]
    (True, 'a')
    """
    import pandas as pd

    from . import analyze as _analyze

    columns = [c for c in frame.columns if c in _RECORD_FIELDS]
    windows = frame["_window"].unique()
    if len(windows) != 1:
        raise ValueError(f"window_partition takes one window at a time, not {len(windows)}")
    window = int(windows[0])
    history = None
    if "_key" in frame.columns:
        counted = frame["_key"].notna()
        seen = frame[counted]
        frame = frame[~counted]
        if docs_before > 0 or len(seen):
            history = (
                int(docs_before),
                seen["_key"].astype("int64").tolist(),
                seen["_count"].astype("int64").tolist(),
            )
    part = frame.sort_values("_n")
    records = _records(part, columns)
    flags = list(zip(part["_core"].tolist(), part["_vote"].tolist()))
    clock = time.time()
    analysis = _analyze(records, strict=strict, name=f"window {window}", history=history)
    if os.environ.get("RETOLD_DEBUG"):
        core = int(part["_core"].sum())
        seeded = "" if history is None else f", history of {history[0]} articles ({len(history[1])} keys)"
        print(
            f"retold.spark: window {window}: {core} core + {len(part) - core} context articles{seeded}, "
            f"engine {time.time() - clock:.1f} s",
            file=sys.stderr,
        )
    # Each article by the record it was read from (its entry number), so
    # that records without an id (given one by the reader) are told apart.
    core_of = {}
    for a in analysis.articles:
        entry = (a.get("position") or {}).get("entry")
        if isinstance(entry, int) and 1 <= entry <= len(flags):
            core, vote = flags[entry - 1]
            core_of[a["id"]] = (bool(core), bool(vote))
    rows: List[tuple] = []
    for number, story in enumerate(analysis.stories):
        key = story_key(window, number)
        for m in story["members"]:
            core, vote = core_of.get(m["article"], (True, False))
            rows.append(
                (key, window, core, vote, story["id"], m["article"], m["role"], m.get("relation"),
                 m.get("parent"), float(m["confidence"]))
            )
    return pd.DataFrame(rows, columns=list(WINDOW_COLUMNS))


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
    changed (or after ``max_rounds``, when a warning is given).

    Spark's constraint propagation is off while it runs: on some plans
    (edges from a window function and a filter) its rewrite of the union's
    constraints fails with ``key not found`` (seen with Spark 4); it only
    infers filters, so the answer is the same without it."""
    conf = edges.sparkSession.conf
    key = "spark.sql.constraintPropagation.enabled"
    before = conf.get(key, "true")
    conf.set(key, "false")
    try:
        return _connected_components(edges, max_rounds=max_rounds)
    finally:
        conf.set(key, before)


def _connected_components(edges: Any, *, max_rounds: int) -> Any:
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

    warnings.warn(f"retold.spark: components not settled after {max_rounds} rounds", stacklevel=3)
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
    partition: str = "windows",
    window_articles: int = 5000,
    context_days: float = 28.0,
    vote_days: Optional[float] = None,
    threshold: float = 0.2,
    verify_threshold: float = 0.1,
    num_perm: int = 128,
    max_bucket: int = 200,
    max_pairs: int = 100,
    max_rounds: int = 40,
    bins: Optional[int] = None,
    strict: bool = False,
    history: bool = True,
) -> Any:
    """Stories of a Spark DataFrame with the JSON Lines columns: one row per
    story member (``component``, ``story``, ``article``, ``role``,
    ``relation``, ``parent``, ``confidence``), the rows of
    :meth:`retold.Analysis.to_pandas` with the partition the member was
    analysed in (``component``).

    ``partition="windows"`` (the default) cuts the articles by publication
    time into windows of about ``window_articles`` articles, runs the
    engine on each window with the articles of the ``context_days`` before
    it, and stitches stories across windows through the context articles of
    the last ``vote_days`` (default: half of ``context_days``) before each
    window (see the module documentation). ``component`` is the window
    (-1: the undated articles). Windows run in parallel; each article is
    analysed once as core and again as context of the windows it precedes.

    ``partition="components"`` runs the engine per connected component of
    content-sketch candidate pairs: LSH bands tuned for ``threshold``,
    pairs kept at an estimated Jaccard of ``verify_threshold`` or more,
    components packed into ``bins`` groups (default: the session's shuffle
    partitions). ``component`` is the component's least row number.

    ``history=True`` (windows only) starts each window's engine from the
    word statistics of every article published before the window's first
    one (its document frequencies and the counts of names and numbers the
    rare-term candidates read), as one run over everything has them when
    it reaches the window; ``False`` leaves each window to learn them from
    its own articles.

    ``strict=True`` fails the job at a bad record instead of leaving it
    out. Records without an id get the id the reader gives them (a hash
    of the text), the same in every window.
    """
    F, T, _ = _spark()
    keep = [c for c in df.columns if c in _RECORD_FIELDS]
    if "text" not in keep and "html" not in keep:
        raise ValueError("the DataFrame needs a `text` (or `html`) column")
    if partition == "windows":
        return _analyze_windows(
            df.select(*keep), window_articles=window_articles, context_days=context_days,
            vote_days=context_days / 2.0 if vote_days is None else vote_days,
            max_rounds=max_rounds, strict=strict, history=history,
        )
    if partition != "components":
        raise ValueError(f'partition must be "windows" or "components", not {partition!r}')
    rows = _components(
        df.select(*keep), threshold=threshold, sketch="content", num_perm=num_perm, shingle=5,
        verify_threshold=verify_threshold, max_bucket=max_bucket, max_pairs=max_pairs,
        max_rounds=max_rounds,
    )
    if bins is None:
        bins = int(df.sparkSession.conf.get("spark.sql.shuffle.partitions", "200"))
    cols = [c for c in rows.columns if c in _RECORD_FIELDS]
    # Every value a string (dates too), as in a JSON Lines file.
    typed = rows.select("_n", "component", *[F.col(c).cast("string").alias(c) for c in cols])

    def run(frame):
        return stories_partition(frame, strict=strict)

    return typed.withColumn("_bin", F.pmod(F.xxhash64("component"), F.lit(max(1, bins)))).groupBy(
        "_bin"
    ).applyInPandas(lambda f: run(f.drop(columns=["_bin"])), _story_schema())


def _story_schema() -> Any:
    _, T, _ = _spark()
    return T.StructType(
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


def window_bounds(times: Any, window_articles: int) -> List[float]:
    """Where to cut a Spark DataFrame of publication times (column ``_t``,
    seconds; nulls are left out) into windows of about ``window_articles``
    articles: the quantiles of the times (``approxQuantile``, relative
    error 0.1% of a window), distinct and sorted. Empty for one window."""
    F, _, _ = _spark()
    dated = times.where(F.col("_t").isNotNull())
    n = dated.count()
    k = max(1, -(-n // max(1, int(window_articles))))
    if k == 1:
        return []
    probabilities = [i / k for i in range(1, k)]
    cuts = dated.approxQuantile("_t", probabilities, 0.001 / k)
    return sorted(set(float(c) for c in cuts if c is not None))


def _analyze_windows(df: Any, *, window_articles: int, context_days: float, vote_days: float,
                     max_rounds: int, strict: bool, history: bool = True) -> Any:
    F, T, _ = _spark()
    numbered = _with_row_numbers(df).localCheckpoint()
    cols = [c for c in numbered.columns if c in _RECORD_FIELDS]
    # Every value a string (dates too), as in a JSON Lines file.
    typed = numbered.select("_n", *[F.col(c).cast("string").alias(c) for c in cols])
    time_schema = T.StructType([T.StructField("_n", T.LongType()), T.StructField("_t", T.DoubleType())])
    times = typed.mapInPandas(published_partition, time_schema).localCheckpoint()
    bounds = window_bounds(times, window_articles)
    if times.where(F.col("_t").isNull()).limit(1).count():
        # An undated article goes with the latest dated one before it in
        # the input (one run places it after every dated article, which no
        # window can); before any dated one, with the first window. One ordered pass
        # over two numbers an article (a single Spark partition).
        from pyspark.sql import Window

        before = Window.orderBy("_n").rowsBetween(Window.unboundedPreceding, Window.currentRow)
        times = times.withColumn(
            "_t", F.coalesce(F.last("_t", ignorenulls=True).over(before), F.lit(-1.0e18))
        ).localCheckpoint()
    context_secs, vote_secs = context_days * 86400.0, vote_days * 86400.0
    member_schema = T.StructType(
        [
            T.StructField("_n", T.LongType()),
            T.StructField("_window", T.LongType()),
            T.StructField("_core", T.BooleanType()),
            T.StructField("_vote", T.BooleanType()),
        ]
    )

    def place(batches):
        import pandas as pd

        for batch in batches:
            plan = assign_windows(batch["_t"].to_numpy(), bounds, context_secs, vote_secs)
            yield pd.DataFrame(
                {
                    "_n": batch["_n"].to_numpy()[plan["row"].to_numpy()],
                    "_window": plan["window"].to_numpy(),
                    "_core": plan["core"].to_numpy(),
                    "_vote": plan["vote"].to_numpy(),
                }
            )

    placed = times.mapInPandas(place, member_schema)
    # A member row of a window: where it ran, then the story columns.
    window_schema = T.StructType(
        [
            T.StructField("key", T.LongType()),
            T.StructField("window", T.LongType()),
            T.StructField("core", T.BooleanType()),
            T.StructField("vote", T.BooleanType()),
        ]
        + [f for f in _story_schema().fields if f.name != "component"]
    )

    members = placed.join(typed, "_n")
    docs_before: Dict[int, int] = {}
    if history and bounds:
        members, docs_before = _with_history(typed, times, placed, members, bounds, context_secs)

    def run(frame):
        window = int(frame["_window"].iloc[0]) if len(frame) else 0
        return window_partition(frame, strict=strict, docs_before=docs_before.get(window, 0))

    rows = (
        members
        .repartitionByRange(len(bounds) + 2, "_window")
        .groupBy("_window")
        .applyInPandas(run, window_schema)
        .localCheckpoint()
    )
    return stitch_windows(rows, max_rounds=max_rounds)


def seed_windows(times: Any, bounds: Sequence[float], context_secs: float) -> Any:
    """The first window whose engine an article's word statistics seed:
    window ``w`` (1 ≤ w ≤ len(bounds)) starts its engine at
    ``bounds[w-1] - context_secs`` (the start of its context), and counts
    every article published before that. An article at time ``t`` seeds
    windows ``first(t)`` and later; ``len(bounds) + 1`` means none.

    >>> seed_windows([0.0, 5.0, 9.0], [6.0, 10.0], 4.0).tolist()
    [1, 2, 3]
    """
    import numpy as np

    starts = np.asarray(sorted(bounds), dtype=float) - float(context_secs)
    return 1 + np.searchsorted(starts, np.asarray(times, dtype=float), side="right")


def _with_history(typed: Any, times: Any, placed: Any, members: Any, bounds: Sequence[float],
                  context_secs: float) -> tuple:
    """``members`` with the word statistics each window's engine starts
    from, as rows of ``_window``, ``_key``, ``_count`` (see
    :func:`window_partition`), and the number of articles they count per
    window (a few numbers, on the driver).

    Each key's count before window ``w`` is a running sum: the articles
    holding it are counted per first window they seed
    (:func:`seed_windows`), summed in window order per key, and each
    window takes, for the keys its own articles hold, the sum up to it
    (a join, not a broadcast: a window gets only its own vocabulary)."""
    F, T, Window = _spark()
    last = len(bounds)  # the last window
    from_schema = T.StructType([T.StructField("_n", T.LongType()), T.StructField("_from", T.LongType())])

    def first(batches):
        import pandas as pd

        for batch in batches:
            yield pd.DataFrame(
                {"_n": batch["_n"].to_numpy(),
                 "_from": seed_windows(batch["_t"].to_numpy(), bounds, context_secs).astype("int64")}
            )

    seeds = times.mapInPandas(first, from_schema).where(F.col("_from") <= last)
    docs_from = {int(r["_from"]): int(r["count"]) for r in seeds.groupBy("_from").count().collect()}
    docs_before, total = {}, 0
    for w in range(last + 1):
        total += docs_from.get(w, 0)
        docs_before[w] = total
    key_schema = T.StructType(
        [T.StructField("_n", T.LongType()), T.StructField("keys", T.ArrayType(T.LongType()))]
    )
    keys = typed.mapInPandas(history_partition, key_schema).localCheckpoint()
    counts = (
        keys.join(seeds, "_n")
        .select("_from", F.explode("keys").alias("_key"))
        .groupBy("_key", "_from")
        .agg(F.count("*").alias("n"))
    )
    by_key = Window.partitionBy("_key").orderBy("_from")
    running = counts.select(
        "_key",
        "_from",
        F.sum("n").over(by_key.rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias("_count"),
        F.coalesce(F.lead("_from").over(by_key), F.lit(last + 1)).alias("_until"),
    )
    needed = (
        placed.select("_n", "_window")
        .join(keys, "_n")
        .select("_window", F.explode("keys").alias("_key"))
        .distinct()
    )
    seeded = needed.join(
        running,
        (needed["_key"] == running["_key"])
        & (needed["_window"] >= running["_from"])
        & (needed["_window"] < running["_until"]),
    ).select(needed["_window"], needed["_key"], running["_count"])
    return members.unionByName(seeded, allowMissingColumns=True), docs_before


def stitch_windows(rows: Any, *, max_rounds: int = 40) -> Any:
    """Stories of all windows from the rows of :func:`window_partition`
    (:data:`WINDOW_COLUMNS`): one row per core article (the columns of
    :func:`analyze`).

    Each window's story that holds voting context articles is linked to the
    story that most of them have in their own window (ties: the earlier
    story); the connected components of those links are the stitched
    stories. Each is named after its story in the latest window it
    reaches, which saw the most of it (that window's context holds the
    members of the windows before), and that story's origin is the
    stitched story's origin; any other window's origin in it is an
    independent report (as the engine lists a merged story's former
    origin). Roles and parents are those of each article's own window,
    except where a later window holds the article (as context) in a story
    stitched to its own and derives it from an article of a window after
    its own: that later window saw the source its own window could not (a
    source published, or undated and read, after its copies), so its role,
    relation, parent and confidence are taken (the latest such window)."""
    F, _, Window = _spark()
    members = rows.where(F.col("core"))
    owners = members.select("article", F.col("key").alias("owner"))
    votes = (
        rows.where(~F.col("core") & F.col("vote"))
        .select("article", F.col("key").alias("local"))
        .join(owners, "article")
        .groupBy("local", "owner")
        .agg(F.count("*").alias("votes"))
    )
    best = Window.partitionBy("local").orderBy(F.col("votes").desc(), F.col("owner"))
    links = (
        votes.withColumn("_r", F.row_number().over(best))
        .where(F.col("_r") == 1)
        .select(F.col("local").alias("a"), F.col("owner").alias("b"))
        .where(F.col("a") != F.col("b"))
        .localCheckpoint()
    )
    labels = connected_components(links, max_rounds=max_rounds)
    keyed = members.join(labels.withColumnRenamed("v", "key"), "key", "left").withColumn(
        "label", F.coalesce(F.col("label"), F.col("key"))
    )
    # The name: the story of the tree's latest window, which saw the most
    # of it (its context holds the earlier windows' members).
    latest = Window.partitionBy("label").orderBy(F.col("window").desc(), F.col("key"))
    names = (
        keyed.select("label", "window", "key", "story")
        .withColumn("_r", F.row_number().over(latest))
        .where(F.col("_r") == 1)
        .select("label", F.col("story").alias("_name"))
    )
    stitched = keyed.join(names, "label", "left").withColumn(
        "_name", F.coalesce(F.col("_name"), F.col("story"))
    )
    # Re-rooted a window later: a context row in a story of the same tree
    # whose parent is an article of a later window than the member's own.
    def label_of(frame, key, out):
        named = labels.select(F.col("v").alias(key), F.col("label").alias(out))
        return frame.join(named, key, "left").withColumn(out, F.coalesce(F.col(out), F.col(key)))

    own = label_of(
        members.select("article", F.col("window").alias("_own"), F.col("key").alias("_own_key")),
        "_own_key", "_own_label",
    )
    seen = label_of(
        rows.where(~F.col("core") & F.col("parent").isNotNull()).select(
            "article", F.col("key").alias("_seen_key"), F.col("window").alias("_seen"),
            F.col("role").alias("_role"), F.col("relation").alias("_relation"),
            F.col("parent").alias("_parent"), F.col("confidence").alias("_confidence"),
        ),
        "_seen_key", "_seen_label",
    )
    parents = members.select(F.col("article").alias("_parent"), F.col("window").alias("_parent_window"))
    latest_seen = Window.partitionBy("article").orderBy(F.col("_seen").desc(), F.col("_seen_key"))
    later = (
        seen.join(own, "article")
        .where(F.col("_seen_label") == F.col("_own_label"))
        .join(parents, "_parent")
        .where(F.col("_parent_window") > F.col("_own"))
        .withColumn("_r", F.row_number().over(latest_seen))
        .where(F.col("_r") == 1)
        .select("article", "_role", "_relation", "_parent", "_confidence")
    )
    stitched = (
        stitched.join(later, "article", "left")
        .withColumn("_later", F.col("_role").isNotNull())
        .withColumn("role", F.when(F.col("_later"), F.col("_role")).otherwise(F.col("role")))
        .withColumn("relation", F.when(F.col("_later"), F.col("_relation")).otherwise(F.col("relation")))
        .withColumn("parent", F.when(F.col("_later"), F.col("_parent")).otherwise(F.col("parent")))
        .withColumn("confidence", F.when(F.col("_later"), F.col("_confidence")).otherwise(F.col("confidence")))
    )
    # A story is named `s-` and its origin's id.
    is_origin = F.col("article") == F.expr("substring(_name, 3)")
    moved = (F.col("role") == "origin") & ~is_origin
    return stitched.select(
        F.col("window").alias("component"),
        F.col("_name").alias("story"),
        "article",
        F.when(is_origin, F.lit("origin"))
        .when(moved, F.lit("independent"))
        .otherwise(F.col("role"))
        .alias("role"),
        F.when(is_origin, F.lit(None).cast("string"))
        .when(moved, F.lit("same_story"))
        .otherwise(F.col("relation"))
        .alias("relation"),
        F.when(is_origin, F.lit(None).cast("string")).otherwise(F.col("parent")).alias("parent"),
        "confidence",
    )
