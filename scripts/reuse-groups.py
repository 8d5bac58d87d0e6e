#!/usr/bin/env python3
"""Writes the part of a reuse set (`retold eval reuse` layout) that some groups make.

    python3 scripts/reuse-groups.py examples/reuse-en-2 h11-h20,hd3,hd4 /tmp/half-b
    target/release/retold eval reuse /tmp/half-b --corpus

GROUPS is a comma-separated list of group names and ranges of them ("h11-h20":
the same prefix, numbers from 11 to 20, written with as many digits). An
article's group is its `group` field, or else the middle part of an id
`set:group:name`; a pair's is its `group` field, or else its `b` article's.
Used to measure a held-out half as totals only (examples/reuse-en-2/README.md).
"""
import json
import os
import re
import sys


def expand(spec):
    out = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        m = re.fullmatch(r"([A-Za-z_]*)(\d+)-\1?(\d+)", part)
        if m:
            prefix, lo, hi = m.group(1), m.group(2), m.group(3)
            width = len(lo)
            for n in range(int(lo), int(hi) + 1):
                out.add(f"{prefix}{n:0{width}d}")
        else:
            out.add(part)
    return out


def group_of_id(i):
    parts = str(i).split(":")
    return parts[1] if len(parts) >= 3 else None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, spec, out = sys.argv[1:]
    groups = expand(spec)
    os.makedirs(out, exist_ok=True)
    kept = {"articles": 0, "pairs": 0}
    for name, key in (("articles.jsonl", lambda r: r.get("group") or group_of_id(r.get("id"))),
                      ("pairs.jsonl", lambda r: r.get("group") or group_of_id(r.get("b")))):
        with open(os.path.join(src, name), encoding="utf-8") as f, \
                open(os.path.join(out, name), "w", encoding="utf-8") as w:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    print(f"{src}/{name}:{n}: skipped: {e}", file=sys.stderr)
                    continue
                if key(row) in groups:
                    w.write(line if line.endswith("\n") else line + "\n")
                    kept[name.split(".")[0]] += 1
    print(f"{out}: {kept['articles']} articles, {kept['pairs']} pairs of {len(groups)} groups", file=sys.stderr)


if __name__ == "__main__":
    main()
