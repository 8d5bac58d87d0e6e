#!/usr/bin/env python3
"""Fit the pair-verdict model (crates/retold-core/src/relate/model.json).

Usage:
  python3 scripts/verdict-pairs.py ../shared/data target/verdict/pairs.jsonl
  retold eval verdict target/verdict/pairs.jsonl --features target/verdict/features.jsonl
  python3 scripts/fit-verdict.py target/verdict/features.jsonl > crates/retold-core/src/relate/model.json

The model is four binary logistic regressions (see relate/model.rs), each
fitted on the rows whose label speaks to it:

  related   positive: every label but `unrelated`      negative: `unrelated`
  derived   positive: derived relations, `verbatim`, `derived`   negative: `same_story`
  verbatim  positive: duplicate, copy, excerpt, `verbatim`      negative: rewrite, spun
  spun      positive: spun                              negative: rewrite

Features are standardized, classes weighted to equal total weight (so the
big sets do not drown the small ones), L2-regularized, fitted by full-batch
gradient descent from zero: deterministic. Weights are written back on the
raw feature scale. Python 3.11 standard library only.
"""

import argparse
import json
import math
import sys

DERIVED = {"duplicate", "copy", "excerpt", "rewrite", "spun", "verbatim", "derived"}
NODES = {
    "related": (lambda l: l != "unrelated", lambda l: True),
    "derived": (lambda l: l in DERIVED, lambda l: l in DERIVED or l == "same_story"),
    "verbatim": (
        lambda l: l in {"duplicate", "copy", "excerpt", "verbatim"},
        lambda l: l in {"duplicate", "copy", "excerpt", "verbatim", "rewrite", "spun"},
    ),
    "spun": (lambda l: l == "spun", lambda l: l in {"spun", "rewrite"}),
}
# Features each node may use. Kept small so that 20-odd examples of a rare
# class cannot be fitted by noise.
NODE_FEATURES = {
    "related": ["cov_high", "cov_low", "mean_similarity", "longest_run_log", "pairs_log", "run_share", "shared_names_log", "shared_numbers_log"],
    # Derivation shows in shared structure (long runs of sentences in the same
    # order, coverage), not in wording: spun copies keep few words.
    # Copied wording (exact sentences, shared shingles) was tried here: it
    # helps the Clough cut answers but, with no full-length spun articles to
    # learn from, it teaches the node that derived copies share wording and
    # spun copies fall to same_story.
    # `lockstep` is structure too: sentences on the alignment's monotone chain
    # or in equal gaps between its pairs. A spinner keeps every sentence in
    # place even where the aligner cannot match the changed wording.
    "derived": ["cov_high", "cov_low", "run_share", "longest_run_log", "order", "moved_share", "lockstep"],
    "verbatim": ["word_retention", "exact_share", "mean_similarity", "shingle_containment"],
    # Structure is no evidence here: the spun examples are short passages.
    "spun": ["name_retention", "name_garbled", "number_retention", "word_retention", "mean_similarity"],
}


def fit(rows, names, l2=0.01, steps=4000, lr=0.5):
    xs = [[r[n] for n in names] for r, _ in rows]
    ys = [y for _, y in rows]
    k = len(names)
    mean = [sum(x[j] for x in xs) / len(xs) for j in range(k)]
    sd = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in xs) / len(xs)) or 1.0 for j in range(k)]
    zs = [[(x[j] - mean[j]) / sd[j] for j in range(k)] for x in xs]
    pos = sum(ys)
    neg = len(ys) - pos
    cw = [0.5 / neg if y == 0 else 0.5 / pos for y in ys]
    w = [0.0] * k
    b = 0.0
    for _ in range(steps):
        gw = [0.0] * k
        gb = 0.0
        for z, y, c in zip(zs, ys, cw):
            p = 1 / (1 + math.exp(-(b + sum(wi * zi for wi, zi in zip(w, z)))))
            d = (p - y) * c
            gb += d
            for j in range(k):
                gw[j] += d * z[j]
        for j in range(k):
            w[j] -= lr * (gw[j] + l2 * w[j])
        b -= lr * gb
    raw_w = {n: w[j] / sd[j] for j, n in enumerate(names)}
    raw_b = b - sum(w[j] * mean[j] / sd[j] for j in range(k))
    correct = 0
    for z, y in zip(zs, ys):
        p = 1 / (1 + math.exp(-(b + sum(wi * zi for wi, zi in zip(w, z)))))
        correct += int((p >= 0.5) == (y == 1))
    return raw_b, raw_w, correct / len(ys), pos, neg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("features")
    ap.add_argument("--note", default="")
    args = ap.parse_args()
    data = [json.loads(l) for l in open(args.features, encoding="utf-8") if l.strip()]
    model = {}
    sets = sorted({d["set"] for d in data})
    for node, (positive, member) in NODES.items():
        rows = [(d["features"], 1 if positive(d["label"]) else 0) for d in data if member(d["label"])]
        b, w, acc, pos, neg = fit(rows, NODE_FEATURES[node])
        model[node] = {"bias": round(b, 4), "weights": {n: round(v, 4) for n, v in w.items()}}
        print(f"{node:<9} {pos:>4} positive {neg:>4} negative  training accuracy {acc:.3f}", file=sys.stderr)
    # No labelled set here represents news spinning: PAN's round-trip
    # translations keep 66% of the words and MSRP's human rewrites 73%, so a
    # fitted spun/rewrite node separates nothing (training accuracy 0.75).
    # The node is set from the definition instead -- garbled names (a vowel
    # changed, a surname respelled by ear) above all, or word-level
    # substitution throughout (under about 45% of the content words kept) --
    # and checked on the example corpus, never fitted to it. A real spinner
    # keeps most words (70-85%), so retention alone does not mark it: with
    # name_garbled 40, 0.075 garbled names make a 70%-retention text spun,
    # and 0.12 an 85% one; a text that garbles nothing needs under 45% kept.
    # (50 flipped 6 of the 60 MSRP human rewrites, whose name variants reach
    # 0.088; 40 flips 3.)
    fitted_spun = model["spun"]
    model["spun"] = {"bias": 5.4, "weights": {"word_retention": -12.0, "name_garbled": 40.0}}
    print(f"spun node hand-set from the definition (fitted one was {fitted_spun})", file=sys.stderr)
    model["excerpt_below"] = 0.6
    model["duplicate_above"] = 0.95
    model["duplicate_shingles"] = 0.9
    model["fitted_on"] = (
        f"scripts/fit-verdict.py on {len(data)} pairs ({', '.join(sets)}) built by "
        f"scripts/verdict-pairs.py {args.note}".strip()
    )
    out = {"fitted_on": model.pop("fitted_on")}
    out.update(model)
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
