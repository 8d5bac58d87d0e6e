#!/usr/bin/env python3
"""Convert BASIL (../shared/data/basil-2010-2014) to retold's JSON Lines input.

Usage: scripts/convert-basil.py SRC_DIR OUT.jsonl

One line per article: id, url, source, title, published (ISO date), language,
text (paragraphs joined by blank lines) and the gold `story` (triplet-uuid).
Sorted by id, so the output is deterministic. Standard library only.
"""

import json
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    base = os.path.join(src, "articles")
    rows = []
    for year in sorted(os.listdir(base)):
        for name in sorted(os.listdir(os.path.join(base, year))):
            if not name.endswith(".json"):
                continue
            path = os.path.join(base, year, name)
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
            paras = d.get("body-paragraphs") or []
            text = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paras).strip()
            if not text:
                print(f"{path}: no text, skipped", file=sys.stderr)
                continue
            rows.append(
                {
                    "id": f"basil-{name[:-5]}",
                    "url": d.get("url"),
                    "source": d.get("source"),
                    "title": d.get("title"),
                    "published": d.get("date"),
                    "language": "en",
                    "text": text,
                    "story": d.get("triplet-uuid"),
                }
            )
    rows.sort(key=lambda r: r["id"])
    with open(out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles, {len({r['story'] for r in rows})} stories -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
