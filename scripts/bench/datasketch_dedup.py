#!/usr/bin/env python3
"""The peer run for scripts/bench-dedup.sh: datasketch's MinHashLSH on the same corpus.

Reads retold's JSON Lines input (field `text`), sketches lower-cased word
5-shingles with MinHash(num_perm), queries then inserts into MinHashLSH at
the threshold, joins matches with union-find, and writes {"id","cluster"}
lines like `retold dedup`. Tokenization matches retold's shingle sketch
closely enough for a fair comparison: runs of letters and digits.
"""
import argparse
import json
import re
import sys
import time

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*", re.UNICODE)


def shingles(text, n):
    words = [w.lower() for w in WORD.findall(text)]
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle", type=int, default=5)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    start = time.time()
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    ids = []
    parent = []

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with open(args.input, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            m = MinHash(num_perm=args.num_perm)
            sh = shingles(rec.get("text", ""), args.shingle)
            if sh:
                m.update_batch([s.encode("utf-8") for s in sh])
            doc = len(ids)
            ids.append(rec["id"])
            parent.append(doc)
            for other in lsh.query(m):
                a, b = find(doc), find(other)
                if a != b:
                    lo, hi = min(a, b), max(a, b)
                    parent[hi] = lo
            lsh.insert(doc, m)
    with open(args.output, "w", encoding="utf-8") as out:
        for i, id_ in enumerate(ids):
            out.write(json.dumps({"id": id_, "cluster": ids[find(i)]}) + "\n")
    secs = time.time() - start
    print(f"datasketch: {len(ids)} articles in {secs:.2f} s ({len(ids) / secs:.0f} articles/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
