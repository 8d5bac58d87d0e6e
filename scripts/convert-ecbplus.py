#!/usr/bin/env python3
"""Convert ECB+ document text (../shared/data/ecbplus-dev/dev_text.txt) to JSON Lines.

Usage: scripts/convert-ecbplus.py SRC_FILE OUT.jsonl

The input has one token per line (`doc<TAB>sentence<TAB>token index<TAB>token`,
a blank line between sentences). Each document becomes one article with the
keys `ingest/jsonl.rs` reads: `id` = document name, `language` "en", `text`
= its sentences detokenized, `url` where the document has one, plus the gold
`story` = `<topic>-<ecb|ecbplus>` from the name `<topic>_<n>ecb.xml` /
`<topic>_<n>ecbplus.xml`: two different real events of the same kind per
topic, which a story clusterer must keep apart.

What the text looks like:
- ECB+ (`ecbplus`) documents start with their page URL as sentence 0; it
  becomes `url` and is left out of the text. Their tokenizer split every
  punctuation mark (`blood - alcohol`, `0 . 07`, `1 : 30`, `team ’ s`), so
  for them `-`, `/`, `_` between word characters, `.`/`:` between digits
  and `.` between single letters are glued back.
- Quotes: ``/'' and a parity-tracked `"` become `"` with no space inside;
  clitics (`'s`, `n't`, ...) and closing punctuation attach to the word
  before; a lone `'` after a word ending in s is a possessive.
- Sentences are joined by a space, but a sentence without final
  punctuation (the headline, a dateline) is followed by a blank line, so
  it is not read as the start of the next sentence.
No dates or titles are set (the corpus has none as fields; the headline
stays in the text). Output is in (topic, sub-topic, number) order, so it is
deterministic. Standard library only; writes nothing but OUT.jsonl.
"""

import json
import re
import sys
from collections import defaultdict

NAME = re.compile(r"(\d+)_(\d+)(ecbplus|ecb)\.xml")
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", "%", ")", "]", "}", "...", "”", "’"}
CLITICS = {"'s", "'re", "'ve", "'ll", "'d", "'m", "n't", "'"}
APOS_TAILS = {"s", "t", "ll", "re", "ve", "d", "m"}
OPENERS = {"(", "[", "{", "$", "“", "‘"}
BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
FINAL = (".", "!", "?", '"', "”", "'", "’", ")", ":", ";")


def wordy(t):
    return bool(t) and t[-1].isalnum()


def detok(tokens, split_style, state):
    """One sentence's tokens to text. `state["dq"]`: a `"` is open (kept
    across sentences, since quotes span them)."""
    out = []
    glue_next = True
    toks = [BRACKETS.get(t, t) for t in tokens]
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        space, glue_after, text = not glue_next, False, t
        if t == "``":
            text, glue_after, state["dq"] = '"', True, True
        elif t == "''":
            text, space, state["dq"] = '"', False, False
        elif t == '"':
            opening = not state["dq"]
            if prev is None and nxt is not None and nxt[0].isalnum():
                opening = True  # a new paragraph of a quote reopens it
            elif nxt is None or nxt in NO_SPACE_BEFORE:
                opening = False
            if opening:
                glue_after = True
            else:
                space = False
            state["dq"] = opening
        elif t in ("’", "'") and prev and wordy(prev) and nxt in APOS_TAILS:
            space, glue_after = False, True  # `didn ’ t`, `team ’ s`
        elif t == "'" and prev and prev[-1] in "sS":
            space = False  # possessive `Chargers '`
        elif t == "'" and (nxt is None or not nxt[0].isalnum()):
            space = False
        elif t == "'":
            glue_after = True  # an opening single quote
        elif t in NO_SPACE_BEFORE or t.lower() in CLITICS:
            space = False
        elif t in OPENERS:
            glue_after = True
        if split_style and prev and nxt:
            between_words = wordy(prev) and nxt[0].isalnum()
            digits = prev.isdigit() and nxt.isdigit()
            letters = len(prev) == 1 and len(nxt) == 1 and prev.isalpha() and nxt.isalpha()
            if (
                (t in ("-", "/", "_") and between_words)
                or (t in (".", ":") and digits)
                or (t == "." and letters)
                or (t == "," and prev.isdigit() and len(prev) <= 3 and re.fullmatch(r"\d{3}", nxt))
            ):
                space, glue_after = False, True
        if t == "-" and prev == "-":
            space = False  # `- -` is a dash
        if out and space:
            out.append(" ")
        out.append(text)
        glue_next = glue_after
    return "".join(out)


def order(doc):
    m = NAME.fullmatch(doc)
    return (int(m.group(1)), m.group(3), int(m.group(2))) if m else (10**9, doc, 0)


def convert(doc, sents):
    m = NAME.fullmatch(doc)
    if not m:
        print(f"{doc}: unexpected document name, skipped", file=sys.stderr)
        return None
    split_style = m.group(3) == "ecbplus"
    keys = sorted(sents)
    url = None
    if keys and sents[keys[0]] and sents[keys[0]][0].lower() in ("http", "https"):
        url = "".join(sents[keys[0]])
        keys = keys[1:]
    state = {"dq": False}
    text = ""
    for k in keys:
        s = detok(sents[k], split_style, state)
        if not s:
            continue
        if text:
            text += " " if text.endswith(FINAL) else "\n\n"
        text += s
    if not text:
        print(f"{doc}: no text, skipped", file=sys.stderr)
        return None
    row = {"id": doc, "url": url, "language": "en", "text": text, "story": f"{m.group(1)}-{m.group(3)}"}
    return {k: v for k, v in row.items() if v}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    docs = defaultdict(lambda: defaultdict(list))
    bad = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t", 3)
            if len(parts) != 4 or not parts[1].isdigit() or not parts[3].strip():
                bad += 1
                if bad <= 5:
                    print(f"line {n}: not doc/sentence/index/token, skipped: {line!r}", file=sys.stderr)
                continue
            doc, s, _, tok = parts
            docs[doc][int(s)].append(tok.strip())  # a few tokens carry a trailing tab
    rows = [r for r in (convert(d, docs[d]) for d in sorted(docs, key=order)) if r]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    stories = len({r["story"] for r in rows})
    print(f"{len(rows)} documents, {stories} stories -> {sys.argv[2]}", file=sys.stderr)
    if bad:
        print(f"{bad} malformed lines skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
