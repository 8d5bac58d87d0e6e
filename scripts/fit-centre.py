#!/usr/bin/env python3
"""Fits the centre of the lead embeddings for the graded-pairs relatedness
on half A of a graded-pairs file, and writes it as Rust constants.

The centre is the mean of the lead vectors of half A's texts (each distinct
text once) and their first principal direction (the direction of largest
variance after the mean is subtracted; in multilingual-e5 it mostly tells
Chinese from the other languages). `embed::centred_cosine` subtracts the
mean and removes the component along that direction before the cosine.
No grade is read: only which texts are in half A.

    retold eval pairs FILE.csv --embedding-cache target/pairs-embeddings.jsonl \
        --scores target/pairs-scores.jsonl
    python3 scripts/fit-centre.py target/pairs-scores.jsonl target/pairs-embeddings.jsonl \
        crates/retold-core/src/features/e5_centre.rs

Needs numpy (for the principal direction).
"""
import json
import sys

import numpy as np


def main():
    scores_path, cache_path, out_path = sys.argv[1:4]
    rows = [json.loads(l) for l in open(scores_path) if l.strip()]
    if any(not r.get("leads") for r in rows):
        sys.exit("every pair needs its lead keys: run `retold eval pairs` with the model")
    half_a = rows[0::2]
    wanted = []
    seen = set()
    for r in half_a:
        for k in r["leads"]:
            if k not in seen:
                seen.add(k)
                wanted.append(k)
    vectors = {}
    with open(cache_path) as f:
        header = json.loads(f.readline())
        for line in f:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("key") in seen:
                vectors[e["key"]] = e["vector"]
    missing = [k for k in wanted if k not in vectors]
    if missing:
        sys.exit("%d lead vectors of half A are not in the cache" % len(missing))
    x = np.array([vectors[k] for k in wanted], dtype=np.float64)
    mean = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    top = vt[0]
    # A fixed sign, so that a refit on the same data writes the same file.
    if top[np.argmax(np.abs(top))] < 0:
        top = -top
    share = s[0] ** 2 / (s ** 2).sum()

    def literal(a):
        # The shortest text that reads back as the same f32.
        return np.format_float_scientific(np.float32(a), unique=True, exp_digits=1)

    def array(name, v):
        body = ",\n".join(
            "    " + ", ".join(literal(a) for a in v[i : i + 6]) for i in range(0, len(v), 6)
        )
        return "pub(crate) const %s: [f32; %d] = [\n%s,\n];\n" % (name, len(v), body)

    with open(out_path, "w") as out:
        out.write(
            "//! The centre of multilingual-e5-small's lead embeddings for the graded-pairs\n"
            "//! relatedness (`embed::centred_cosine`), fitted by `scripts/fit-centre.py`\n"
            "//! on half A of the SemEval-2022 task 8 sample (%d distinct texts, no grades\n"
            "//! read): their mean and their first principal direction (%.1f%% of the\n"
            "//! variance). Generated: rerun the script rather than editing.\n\n"
            % (len(wanted), 100 * share)
        )
        out.write("/// The model the centre belongs to.\n")
        out.write("pub(crate) const MODEL: &str = %s;\n\n" % json.dumps(header["model"]))
        out.write("/// Mean of the lead vectors.\n#[rustfmt::skip]\n" + array("MEAN", mean) + "\n")
        out.write("/// First principal direction (unit length).\n#[rustfmt::skip]\n" + array("TOP", top))
    print("%d texts of half A, first direction %.1f%% of the variance -> %s" % (len(wanted), 100 * share, out_path))


if __name__ == "__main__":
    main()
