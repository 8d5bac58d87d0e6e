#!/usr/bin/env python3
"""Write a copy of a newsroom-reuse directory whose source articles come
inside longer texts.

Usage: scripts/extend-sources.py DIR OUT_DIR [--with OTHER_DIR]

DIR holds `articles.jsonl` and `pairs.jsonl` in COUNTER's layout (`retold
eval reuse`). In OUT_DIR every article that is a pair's source (`a`) is
followed by another source article: of OTHER_DIR when given (a set of other
stories), else of DIR itself, half the list away. The pairs and their labels
are copied unchanged: a text made from a wire story is still made from it
when the wire story comes with another one, as in a wire service's run of
versions, a digest or a page of several stories. Used to fit the verdict
(COUNTER's rows of that kind, `--set counter+ext`) and to measure it
(QUALITY.md, "A source inside a longer text"). Python 3.11 standard library
only.
"""

import argparse
import json
import os


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("out")
    ap.add_argument("--with", dest="other")
    args = ap.parse_args()
    articles = read(os.path.join(args.dir, "articles.jsonl"))
    pairs = read(os.path.join(args.dir, "pairs.jsonl"))
    sources = sorted({p["a"] for p in pairs})
    text = {a["id"]: a["text"] for a in articles}
    if args.other:
        others = read(os.path.join(args.other, "articles.jsonl"))
        other_sources = {p["a"] for p in read(os.path.join(args.other, "pairs.jsonl"))}
        fillers = [a["text"] for a in others if a["id"] in other_sources]
    else:
        fillers = [text[s] for s in sources if s in text]
    if not fillers:
        raise SystemExit(f"{args.dir}: no source articles to extend with")
    at = {s: i for i, s in enumerate(sources)}
    shift = 0 if args.other else len(sources) // 2
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "articles.jsonl"), "w", encoding="utf-8") as f:
        for a in articles:
            if a["id"] in at:
                a = dict(a, text=a["text"] + "\n\n" + fillers[(at[a["id"]] + shift) % len(fillers)])
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "pairs.jsonl"), "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
