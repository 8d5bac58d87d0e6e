#!/usr/bin/env python3
"""Convert ECB+ document text (../shared/data/ecbplus-dev/dev_text.txt) to JSON Lines.

Usage: scripts/convert-ecbplus.py SRC_FILE OUT.jsonl

The input has one token per line (doc, sentence, token index, token). Each
document becomes one article: id = document name, text = its sentences
detokenized (no space before closing punctuation or after opening brackets),
language "en", and the gold `story` = topic plus sub-topic (`ecb` or
`ecbplus`): two different real events of the same kind per topic, which a
story clusterer must keep apart. No dates or titles: input order is document
order. Standard library only.
"""

import re
import sys
from collections import defaultdict
import json

NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", "%", ")", "]", "}", "'s", "'re", "'ve", "'ll", "'d", "n't", "'m", "''"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


def detok(tokens):
    out = ""
    prev = None
    for t in tokens:
        t = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")"}.get(t, t)
        if out and t not in NO_SPACE_BEFORE and t.lower() not in NO_SPACE_BEFORE and prev not in NO_SPACE_AFTER and prev != "(":
            out += " "
        out += t
        prev = t
    return out


def key(doc):
    m = re.match(r"(\d+)_(\d+)(ecbplus|ecb)\.xml", doc)
    return (int(m.group(1)), m.group(3), int(m.group(2))) if m else (10**9, doc, 0)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sents = defaultdict(lambda: defaultdict(list))
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4:
                continue
            doc, s, _, tok = parts
            sents[doc][int(s)].append(tok)
    rows = []
    for doc in sorted(sents, key=key):
        m = re.match(r"(\d+)_\d+(ecbplus|ecb)\.xml", doc)
        if not m:
            print(f"{doc}: unexpected name, skipped", file=sys.stderr)
            continue
        text = " ".join(detok(sents[doc][i]) for i in sorted(sents[doc]))
        rows.append({"id": doc, "language": "en", "text": text, "story": f"{m.group(1)}-{m.group(2)}"})
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} documents, {len({r['story'] for r in rows})} stories -> {sys.argv[2]}", file=sys.stderr)


if __name__ == "__main__":
    main()
