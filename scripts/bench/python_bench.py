#!/usr/bin/env python3
"""Benchmarks of the Python package (docs/PERFORMANCE.md, "The Python package").

    python scripts/bench/python_bench.py dedup CORPUS.jsonl OUT.jsonl
        retold.dedup on the corpus (word 5-shingles, threshold 0.8, 128
        permutations, as `retold dedup`): reads the JSON Lines with `json`,
        times the call, writes {"id","cluster"} lines for score_dedup.py.

    python scripts/bench/python_bench.py spark-analyze CORPUS.jsonl OUT.parquet [MASTER] [KEY=VALUE...]
        retold.spark.analyze in Spark local mode (default local[2]): reads the
        JSON Lines with Spark, writes the member rows as Parquet. KEY=VALUE
        pairs are keyword arguments of retold.spark.analyze (partition=windows,
        window_articles=5000, context_days=28, history=False, ...). Spark's scratch space is
        $SPARK_LOCAL_DIR (default /tmp/spk-spark). RETOLD_DEBUG=1 prints each
        window's size and engine time.

    python scripts/bench/python_bench.py compare-stories CLI.json ROWS.parquet [CORPUS.jsonl]
        How many members have the same story, role, relation and parent in
        `retold analyze --format json` output and in the Spark rows, and how
        many have the same story as a set of articles (story names aside);
        BCubed F1 of the Spark stories against the CLI's, and, given the
        synthetic corpus (its gold `story` field), of both against the gold.

    python scripts/bench/python_bench.py peak-rss -- COMMAND...
        Runs COMMAND and prints its wall time and the peak of the summed
        resident memory of its whole process tree (sampled every 0.2 s; GNU
        time's %M sees one process, not the JVM and Python workers Spark starts).
"""
import json
import os
import subprocess
import sys
import time


def dedup(corpus, out):
    import retold

    t0 = time.time()
    with open(corpus, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    t1 = time.time()
    labels = retold.dedup(records, threshold=0.8, sketch="shingles", num_perm=128)
    t2 = time.time()
    with open(out, "w", encoding="utf-8") as f:
        for r, c in zip(records, labels):
            f.write(json.dumps({"id": r["id"], "cluster": c}) + "\n")
    print(
        f"retold.dedup: {len(records)} articles; read {t1 - t0:.2f} s, dedup {t2 - t1:.2f} s, "
        f"total {t2 - t0:.2f} s ({len(records) / (t2 - t0):.0f} articles/s)",
        file=sys.stderr,
    )


def _value(v):
    if v in ("True", "False"):
        return v == "True"
    for kind in (int, float):
        try:
            return kind(v)
        except ValueError:
            pass
    return v


def spark_analyze(corpus, out, master="local[2]", *options):
    kwargs = dict((k, _value(v)) for k, v in (o.split("=", 1) for o in options))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import retold.spark as rs

    t0 = time.time()
    spark = (
        SparkSession.builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "4g")
        .config("spark.local.dir", os.environ.get("SPARK_LOCAL_DIR", "/tmp/spk-spark"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    t1 = time.time()
    df = spark.read.json(corpus).select("id", "title", "published", "text")
    rows = rs.analyze(df, **kwargs)
    t_plan = time.time()
    rows.write.mode("overwrite").parquet(out)
    t2 = time.time()
    n = spark.read.parquet(out).count()
    print(
        f"retold.spark.analyze ({master}): {n} member rows; session start {t1 - t0:.1f} s, "
        f"analyze {t2 - t1:.1f} s (the call {t_plan - t1:.1f} s, writing the rows {t2 - t_plan:.1f} s); {kwargs}",
        file=sys.stderr,
    )
    spark.stop()


def bcubed(got, want):
    """BCubed precision, recall and F1 of the clustering `got` against
    `want` (dicts article -> cluster name), over the articles of `want`."""
    def groups(d):
        out = {}
        for a, c in d.items():
            out.setdefault(c, set()).add(a)
        return out

    g, w = groups(got), groups(want)
    p = r = 0.0
    items = [a for a in want if a in got]
    for a in items:
        mine, theirs = g[got[a]], w[want[a]]
        common = len(mine & theirs)
        p += common / len(mine)
        r += common / len(theirs)
    p, r = p / max(1, len(items)), r / max(1, len(items))
    return round(p, 4), round(r, 4), round(2 * p * r / (p + r) if p + r else 0.0, 4)


def cli_members(cli_json):
    """article -> (story, role, relation, parent) of `retold analyze --format json`."""
    with open(cli_json, encoding="utf-8") as f:
        cli = json.load(f)
    want = {}
    for s in cli["stories"]:
        for m in s["members"]:
            want[m["article"]] = (s["id"], m["role"], m.get("relation"), m.get("parent"))
    return want


def spark_rows(rows_parquet):
    """The rows `retold.spark.analyze` wrote (None for nulls), and article ->
    (story, role, relation, parent)."""
    import pandas as pd

    rows = pd.read_parquet(rows_parquet)
    rows = rows.astype(object).where(rows.notna(), None)
    got = {r.article: (r.story, r.role, r.relation, r.parent) for r in rows.itertuples(index=False)}
    return rows, got


def compare_stories(cli_json, rows_parquet, corpus=None):
    want = cli_members(cli_json)
    rows, got = spark_rows(rows_parquet)
    same = sum(1 for a, v in want.items() if got.get(a) == v)

    def as_sets(by_article):
        stories = {}
        for a, v in by_article.items():
            stories.setdefault(v[0], set()).add(a)
        return {a: frozenset(stories[v[0]]) for a, v in by_article.items()}

    sets_want, sets_got = as_sets(want), as_sets(got)
    same_set = sum(1 for a in want if sets_got.get(a) == sets_want[a])
    same_set_role_parent = sum(
        1
        for a, v in want.items()
        if sets_got.get(a) == sets_want[a] and got[a][1] == v[1] and got[a][3] == v[3]
    )
    by_field = {}
    for i, name in enumerate(("story", "role", "relation", "parent")):
        by_field[name] = sum(1 for a, v in want.items() if a in got and got[a][i] == v[i])
    extra = {"bcubed_spark_vs_cli": bcubed({a: v[0] for a, v in got.items()}, {a: v[0] for a, v in want.items()})}
    if corpus:
        with open(corpus, encoding="utf-8") as f:
            gold = {str(r["id"]): r["story"] for r in map(json.loads, f) if r.get("story") is not None}
        extra["bcubed_cli_vs_gold"] = bcubed({a: v[0] for a, v in want.items()}, gold)
        extra["bcubed_spark_vs_gold"] = bcubed({a: v[0] for a, v in got.items()}, gold)
    multi_cli = sum(1 for s in cli["stories"] if len(s["members"]) > 1)
    multi_spark = int((rows.groupby("story").size() > 1).sum())
    print(
        json.dumps(
            {
                "members": len(want),
                "rows": len(got),
                "all_four_same": same,
                "same_story_set": same_set,
                "same_story_set_role_parent": same_set_role_parent,
                "same_by_field": by_field,
                "stories_cli": multi_cli,
                "stories_spark": multi_spark,
                **extra,
            }
        )
    )


def tree_rss_kb(root):
    """Summed RSS (KB) of `root` and all its descendants."""
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            rss[int(pid)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def peak_rss(cmd):
    t0 = time.time()
    proc = subprocess.Popen(cmd)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.2)
    secs = time.time() - t0
    print(f"peak-rss: {secs:.1f} s wall, peak {peak / 1024:.0f} MiB (process tree), exit {proc.returncode}", file=sys.stderr)
    sys.exit(proc.returncode)


def main():
    what, args = sys.argv[1], sys.argv[2:]
    if what == "dedup":
        dedup(*args)
    elif what == "spark-analyze":
        spark_analyze(*args)
    elif what == "compare-stories":
        compare_stories(*args)
    elif what == "peak-rss":
        peak_rss(args[1:] if args and args[0] == "--" else args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
