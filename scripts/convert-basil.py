#!/usr/bin/env python3
"""Convert BASIL (../shared/data/basil-2010-2014) to retold's JSON Lines input.

Usage: scripts/convert-basil.py SRC_DIR OUT.jsonl

SRC_DIR holds `articles/<year>/<triplet-uuid>_<n>.json` (see its SOURCE.md).
One line per article, with the keys `ingest/jsonl.rs` reads: `id`
(`basil-<file name>`), `url`, `source` (outlet name: the files spell it
nyt/fox/hpo in either case), `title`, `published` (the ISO date), `language`
"en", `text` (sentences joined by spaces, paragraphs by blank lines), plus
the gold `story` (the triplet-uuid), which retold keeps as metadata.

The paper's other fields (main-event, main-entities, keywords) are left out:
they are labels, not article content. Output is sorted by id, so it is
deterministic. Standard library only; writes nothing but OUT.jsonl.
"""

import json
import os
import re
import sys

OUTLETS = {"nyt": "The New York Times", "fox": "Fox News", "hpo": "HuffPost"}


def clean(s):
    """Collapses runs of whitespace (the sentences carry trailing spaces)."""
    return re.sub(r"\s+", " ", s).strip()


def body(paragraphs):
    """Paragraphs (lists of sentences, or strings) to text; empty ones dropped."""
    out = []
    for p in paragraphs or []:
        sents = p if isinstance(p, list) else [p]
        text = " ".join(clean(str(s)) for s in sents if clean(str(s)))
        if text:
            out.append(text)
    return "\n\n".join(out)


def convert(path, name):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    text = body(d.get("body-paragraphs"))
    story = d.get("triplet-uuid")
    if not text or not story:
        print(f"{path}: no text or no triplet-uuid, skipped", file=sys.stderr)
        return None
    source = clean(str(d.get("source") or ""))
    row = {
        "id": f"basil-{name[: -len('.json')]}",
        "url": clean(str(d.get("url") or "")),
        "source": OUTLETS.get(source.lower(), source),
        "title": clean(str(d.get("title") or "")),
        "published": clean(str(d.get("date") or "")),
        "language": "en",
        "text": text,
        "story": story,
    }
    if row["published"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["published"]):
        print(f"{path}: date {row['published']!r} is not YYYY-MM-DD, kept", file=sys.stderr)
    return {k: v for k, v in row.items() if v}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    base = os.path.join(src, "articles")
    rows = []
    for year in sorted(os.listdir(base)):
        folder = os.path.join(base, year)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".json"):
                row = convert(os.path.join(folder, name), name)
                if row:
                    rows.append(row)
    rows.sort(key=lambda r: r["id"])
    with open(out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
    stories = len({r["story"] for r in rows})
    print(f"{len(rows)} articles, {stories} stories -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
