#!/usr/bin/env python3
"""The word-statistics check of docs/PERFORMANCE.md ("Issue 17, third slice"),
without Spark: a corpus analysed alone and with the word statistics
(`retold.analyze(history=...)`) of the first N articles of another corpus,
BCubed against the gold `story` field.

    python scripts/bench/history_probe.py CORPUS.jsonl HISTORY.jsonl [N=90000]
"""
import collections
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_bench import bcubed  # noqa: E402

import retold  # noqa: E402
from retold import _native  # noqa: E402

FIELDS = ("id", "title", "published", "text")


def main(corpus, history_file, n=90000):
    records = [json.loads(line) for line in open(corpus, encoding="utf-8")]
    gold = {str(r["id"]): r["story"] for r in records if r.get("story") is not None}
    t = time.time()
    counts, docs, batch = collections.Counter(), 0, []

    def count(batch):
        nonlocal docs
        for keys in _native.history_keys(batch):
            if keys is not None:
                docs += 1
                counts.update(keys)

    with open(history_file, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= n:
                break
            r = json.loads(line)
            batch.append({k: r[k] for k in FIELDS if k in r})
            if len(batch) == 5000:
                count(batch)
                batch = []
    count(batch)
    names = sum(1 for k in counts if 2**32 <= k < 2**33)
    print(f"history: {docs} articles, {len(counts)} keys ({names} names), {time.time() - t:.1f} s", flush=True)
    history = (docs, list(counts), list(counts.values()))
    inputs = [{k: r[k] for k in FIELDS if k in r} for r in records]
    for label, h in (("alone", None), ("with history", history)):
        t = time.time()
        got = {m[1]: m[0] for m in retold.analyze(inputs, history=h).members()}
        print(label, "BCubed P/R/F1 against the gold", bcubed(got, gold), f"{time.time() - t:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
