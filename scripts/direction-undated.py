#!/usr/bin/env python3
"""Direction without dates on real agency -> newspaper reuse (COUNTER's layout).

For every derived pair of PAIRS.jsonl (direction "a->b"), the two articles are
given to `retold analyze` alone, with `published` removed (and `source` too,
unless --keep-source), in both input orders, and the result is read back:

  right    the agency text is the newspaper text's ancestor in one story
  wrong    the newspaper text is the agency text's ancestor
  apart    no derivation link between them (other stories, or independent)

and, for linked pairs, how often the link's direction is `known` vs `unknown`.

  python3 scripts/direction-undated.py /work/shared/data/counter-urdu-news-reuse \
      [--retold target/release/retold] [--limit N] [--keep-source]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--retold", default="target/release/retold")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--keep-source", action="store_true")
    args = ap.parse_args()
    arts = {}
    with open(os.path.join(args.dir, "articles.jsonl"), encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            arts[a["id"]] = a
    pairs = []
    with open(os.path.join(args.dir, "pairs.jsonl"), encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            if p.get("direction") == "a->b":
                pairs.append(p)
    if args.limit:
        pairs = pairs[: args.limit]

    def strip(a):
        keep = {"id", "text", "title", "lang"}
        if args.keep_source:
            keep.add("source")
        return {k: v for k, v in a.items() if k in keep}

    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pair.jsonl")
        for p in pairs:
            for order in ("agency-first", "newspaper-first"):
                ids = [p["a"], p["b"]] if order == "agency-first" else [p["b"], p["a"]]
                with open(path, "w", encoding="utf-8") as f:
                    for i in ids:
                        f.write(json.dumps(strip(arts[i]), ensure_ascii=False) + "\n")
                out = subprocess.run(
                    [args.retold, "analyze", "--quiet", "--format", "json", path],
                    capture_output=True,
                    text=True,
                )
                if out.returncode != 0:
                    print(out.stderr, file=sys.stderr)
                    sys.exit(1)
                r = json.loads(out.stdout)
                parent = {}
                member = {}
                for s in r["stories"]:
                    for m in s["members"]:
                        parent[m["article"]] = m.get("parent")
                        member[m["article"]] = m

                def ancestor(x, y):
                    seen = 0
                    while parent.get(y) and seen < 10:
                        y = parent[y]
                        seen += 1
                        if y == x:
                            return True
                    return False

                if ancestor(p["a"], p["b"]):
                    got = "right"
                elif ancestor(p["b"], p["a"]):
                    got = "wrong"
                else:
                    got = "apart"
                child = p["b"] if got == "right" else p["a"]
                known = member.get(child, {}).get("direction", "-") if got != "apart" else "-"
                basis = ",".join(member.get(child, {}).get("direction_basis", [])) or "-"
                key = (order, got, known, basis if got != "apart" else "-")
                counts[key] = counts.get(key, 0) + 1
    print(f"{len(pairs)} derived pairs, dates hidden{'' if args.keep_source else ', sources hidden'}")
    for order in ("agency-first", "newspaper-first"):
        rows = {k: v for k, v in counts.items() if k[0] == order}
        n = sum(rows.values())
        right = sum(v for k, v in rows.items() if k[1] == "right")
        wrong = sum(v for k, v in rows.items() if k[1] == "wrong")
        linked = right + wrong
        print(
            f"{order}: linked {linked}/{n}, right {right}, wrong {wrong}"
            + (f" (direction accuracy on linked {right / linked:.3f})" if linked else "")
        )
        for k in sorted(rows):
            print(f"   {k[1]:<6} direction {k[2]:<8} basis {k[3]:<22} {rows[k]}")


if __name__ == "__main__":
    main()
