#!/usr/bin/env python3
"""Fits how the lexical relatedness and the embedding cosine combine, on one
half of a graded-pairs file, and reports the fit on the other half.

Input: the `--scores` file of `retold eval pairs` run with the model on the
whole file (JSON Lines: id, language_pair, grade, lexical, cosine, centred),
in file order. Half A is the 1st, 3rd, ... pair, half B the 2nd, 4th, ...
(as `retold eval pairs --half a|b`). `cosine` is the raw cosine of the two
lead embeddings, `centred` the cosine after the model's centre (fitted on
half A's texts by scripts/fit-centre.py) is taken out.

    retold eval pairs FILE.csv --embedding-cache target/pairs-embeddings.jsonl \
        --scores target/pairs-scores.jsonl
    python3 scripts/fit-pairs.py target/pairs-scores.jsonl

Standard library only. Prints, per candidate combination, the parameters
fitted on half A (grid search for the largest overall Pearson) and the
Pearson on half B overall, cross-language and per cross-language pair.
"""
import json
import math
import sys


def pearson(x, y):
    n = len(x)
    if n < 2:
        return float("nan")
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return float("nan")
    return sxy / math.sqrt(sxx * syy)


def stretch(c, lo, hi):
    return min(1.0, max(0.0, (c - lo) / (hi - lo)))


def main():
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    if any(r.get("cosine") is None or r.get("centred") is None for r in rows):
        sys.exit("every pair needs its cosines: run `retold eval pairs` with the model")
    half_a, half_b = rows[0::2], rows[1::2]

    def score(rs, f):
        return pearson([f(r) for r in rs], [-r["grade"] for r in rs])

    def fit(rs, make, grid):
        def key(p):
            v = score(rs, make(p))
            return -2.0 if math.isnan(v) else v

        return max(grid, key=key)

    def is_cross(r):
        a, _, b = r["language_pair"].partition("-")
        return a != b

    grid = [(lo / 100, hi / 100) for lo in range(60, 90) for hi in range(lo + 4, 100, 1)]
    candidates = {
        "cosine alone": lambda p: (lambda r: r["cosine"]),
        "max(lexical, stretched cosine)": lambda p: (
            lambda r: max(r["lexical"], stretch(r["cosine"], *p))
        ),
        "max(lexical, stretched cosine), own stretch across languages": lambda p: (
            lambda r: max(
                r["lexical"],
                stretch(r["cosine"], p[2], p[3]) if is_cross(r) else stretch(r["cosine"], p[0], p[1]),
            )
        ),
        "w*lexical + (1-w)*stretched cosine, own stretch across": lambda p: (
            lambda r: p[4] * r["lexical"]
            + (1 - p[4])
            * (stretch(r["cosine"], p[2], p[3]) if is_cross(r) else stretch(r["cosine"], p[0], p[1]))
        ),
        "w*lexical + (1-w)*stretched cosine": lambda p: (
            lambda r: p[2] * r["lexical"] + (1 - p[2]) * stretch(r["cosine"], p[0], p[1])
        ),
        "centred cosine alone": lambda p: (lambda r: r["centred"]),
        "w*lexical + (1-w)*stretched centred cosine, own stretch across": lambda p: (
            lambda r: p[4] * r["lexical"]
            + (1 - p[4])
            * (stretch(r["centred"], p[2], p[3]) if is_cross(r) else stretch(r["centred"], p[0], p[1]))
        ),
    }
    for name, make in candidates.items():
        if name.endswith("alone"):
            best = None
        elif "centred" in name:
            # Centred cosines spread over [-0.2, 1]: a grid over [0, 0.9]
            # in steps of 0.01, the lexical weight in steps of 0.01.
            wide = [(lo / 100, hi / 100) for lo in range(0, 90) for hi in range(lo + 4, 100)]
            best = (0.25, 0.72, 0.12, 0.52, 0.05)
            for _ in range(3):
                best = fit(half_a, make, [best[:4] + (w / 100,) for w in range(0, 31)])
                same = fit(half_a, make, [(lo, hi) + best[2:] for lo, hi in wide])
                best = fit(half_a, make, [same[:2] + (lo, hi) + same[4:] for lo, hi in wide])
        elif name.startswith("w*") and "own" not in name:
            coarse = [(lo, hi, w / 10) for lo, hi in grid[::3] for w in range(1, 10)]
            best = fit(half_a, make, coarse)
        elif name.startswith("w*") and "own stretch" in name:
            best = (0.84, 0.93, 0.79, 0.89, 0.3)
            for _ in range(2):
                best = fit(half_a, make, [best[:4] + (w / 20,) for w in range(0, 20)])
                same = fit(half_a, make, [(lo, hi) + best[2:] for lo, hi in grid[::2]])
                best = fit(half_a, make, [same[:2] + (lo, hi) + same[4:] for lo, hi in grid[::2]])
        elif "own stretch" in name:
            # Coordinate ascent: the same-language stretch, then the
            # cross-language one, twice.
            best = (0.75, 0.93, 0.75, 0.93)
            for _ in range(2):
                same = fit(half_a, make, [(lo, hi) + best[2:] for lo, hi in grid])
                best = fit(half_a, make, [same[:2] + (lo, hi) for lo, hi in grid])
        else:
            best = fit(half_a, make, grid)
        f = make(best)
        cross = [r for r in half_b if is_cross(r)]
        pairs = sorted({r["language_pair"] for r in cross})
        per = " ".join(
            "%s %.3f" % (lp, score([r for r in half_b if r["language_pair"] == lp], f)) for lp in pairs
        )
        print(
            "%-34s fit %-15s  A %.3f  B %.3f  B cross %.3f  B same %.3f | %s"
            % (
                name,
                "-" if best is None else " ".join("%.2f" % x for x in best),
                score(half_a, f),
                score(half_b, f),
                score(cross, f),
                score([r for r in half_b if r not in cross], f),
                per,
            )
        )


if __name__ == "__main__":
    main()
