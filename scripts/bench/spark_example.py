#!/usr/bin/env python3
"""The example corpus through retold.spark.analyze as test_spark.py runs it
(two partitions sorted by id; the default, one window, and windows of 8
articles with 28 days of context), for compare-stories and spark_diff.py
(docs/PERFORMANCE.md, "Issue 17, fourth slice").

    RETOLD_EMBEDDER=off python scripts/bench/spark_example.py OUT_PREFIX

writes OUT_PREFIX.jsonl (the records in the DataFrame's order, which is the
order the windows give the engine), OUT_PREFIX-cli.json (retold.analyze of
the corpus, as `retold analyze examples/corpus --format json`),
OUT_PREFIX-default.parquet and OUT_PREFIX-w8.parquet (the Spark rows).
"""
import json
import os
import sys

os.environ.setdefault("RETOLD_EMBEDDER", "off")
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

import pandas as pd  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

import retold  # noqa: E402
import retold.spark as rs  # noqa: E402

COLUMNS = ["id", "url", "source", "title", "byline", "published", "language", "text"]


def main(prefix):
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    records = retold.read(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "corpus"))
    frame = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in records])
    frame = frame.astype(object).where(frame.notna(), None)
    df = spark.createDataFrame(frame).repartition(2).sortWithinPartitions("id").localCheckpoint()
    by_id = {r["id"]: r for r in records}
    with open(prefix + ".jsonl", "w", encoding="utf-8") as f:
        for row in df.select("id").toLocalIterator():
            r = by_id[row["id"]]
            f.write(json.dumps({c: r[c] for c in COLUMNS if r.get(c) is not None}) + "\n")
    rs.analyze(df).write.mode("overwrite").parquet(prefix + "-default.parquet")
    rs.analyze(df, window_articles=8, context_days=28).write.mode("overwrite").parquet(prefix + "-w8.parquet")
    with open(prefix + "-cli.json", "w", encoding="utf-8") as f:
        json.dump({"stories": retold.analyze(records).stories}, f)
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
