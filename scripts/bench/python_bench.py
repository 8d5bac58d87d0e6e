#!/usr/bin/env python3
"""Benchmarks of the Python package (docs/PERFORMANCE.md, "The Python package").

    python scripts/bench/python_bench.py dedup CORPUS.jsonl OUT.jsonl
        retold.dedup on the corpus (word 5-shingles, threshold 0.8, 128
        permutations, as `retold dedup`): reads the JSON Lines with `json`,
        times the call, writes {"id","cluster"} lines for score_dedup.py.

    python scripts/bench/python_bench.py spark-analyze CORPUS.jsonl OUT.parquet [MASTER]
        retold.spark.analyze in Spark local mode (default local[2]): reads the
        JSON Lines with Spark, writes the member rows as Parquet.

    python scripts/bench/python_bench.py compare-stories CLI.json ROWS.parquet
        How many members have the same story, role, relation and parent in
        `retold analyze --format json` output and in the Spark rows.

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


def spark_analyze(corpus, out, master="local[2]"):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import retold.spark as rs

    t0 = time.time()
    spark = (
        SparkSession.builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    t1 = time.time()
    df = spark.read.json(corpus).select("id", "title", "published", "text")
    rows = rs.analyze(df)
    rows.write.mode("overwrite").parquet(out)
    t2 = time.time()
    n = spark.read.parquet(out).count()
    print(
        f"retold.spark.analyze ({master}): {n} member rows; session start {t1 - t0:.1f} s, "
        f"analyze {t2 - t1:.1f} s",
        file=sys.stderr,
    )
    spark.stop()


def compare_stories(cli_json, rows_parquet):
    import pandas as pd

    with open(cli_json, encoding="utf-8") as f:
        cli = json.load(f)
    want = {}
    for s in cli["stories"]:
        for m in s["members"]:
            want[m["article"]] = (s["id"], m["role"], m.get("relation"), m.get("parent"))
    rows = pd.read_parquet(rows_parquet)
    rows = rows.astype(object).where(rows.notna(), None)
    got = {r.article: (r.story, r.role, r.relation, r.parent) for r in rows.itertuples(index=False)}
    same = sum(1 for a, v in want.items() if got.get(a) == v)
    by_field = {}
    for i, name in enumerate(("story", "role", "relation", "parent")):
        by_field[name] = sum(1 for a, v in want.items() if a in got and got[a][i] == v[i])
    multi_cli = sum(1 for s in cli["stories"] if len(s["members"]) > 1)
    multi_spark = int((rows.groupby("story").size() > 1).sum())
    print(
        json.dumps(
            {
                "members": len(want),
                "rows": len(got),
                "all_four_same": same,
                "same_by_field": by_field,
                "stories_cli": multi_cli,
                "stories_spark": multi_spark,
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
