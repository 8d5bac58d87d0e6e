#!/usr/bin/env python3
"""Cross-validated choice of the story settings over both dev sets and their halves.

Usage: scripts/cv-stories.py BASIL.jsonl ECBPLUS.jsonl [--retold target/release/retold]
       [--grid merge_threshold=0,0.5,0.6 lead_weight=0,1 ...] [--json OUT]

Each set is cut in two halves by gold story (BASIL: events whose id starts
with 0-7 / 8-f; ECB+: topics 2, 5, 12, 18 / 21, 23, 34, 35), written next to
the input as NAME-a.jsonl and NAME-b.jsonl. Every setting of the grid is
scored (BCubed F1, `retold eval stories`) on the four halves and the two
whole sets. Then:

- fold A→B: the setting with the best mean F1 over the A halves of *both*
  sets is reported on the B halves, and B→A the other way round (ties, a
  plateau of equal means: the middle one in grid order);
- the setting with the best mean over both whole sets is printed too, with
  its figures on every half (optimistic: chosen on the sets it is scored on).

Standard library only; the data never leaves target/.
"""

import argparse
import itertools
import json
import os
import subprocess
import sys

ECB_A = ("2-", "5-", "12-", "18-")


def half_of(set_name, story):
    if set_name == "basil":
        return "a" if story[:1] in "01234567" else "b"
    return "a" if story.startswith(ECB_A) else "b"


def split(path, set_name):
    base = path[: -len(".jsonl")]
    out = {h: f"{base}-{h}.jsonl" for h in "ab"}
    files = {h: open(out[h], "w", encoding="utf-8") for h in "ab"}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                files[half_of(set_name, str(json.loads(line)["story"]))].write(line)
    for x in files.values():
        x.close()
    return out


def score(retold, path, setting):
    cmd = [retold, "eval", "stories", "--format", "json", path]
    for k, v in setting.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    rows = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return rows[0]["bcubed_f1"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("basil")
    ap.add_argument("ecbplus")
    ap.add_argument("--retold", default="target/release/retold")
    ap.add_argument("--grid", nargs="*", default=["merge_threshold=0,0.5,0.55,0.6,0.65,0.7"])
    ap.add_argument("--json")
    a = ap.parse_args()
    grid = {}
    for g in a.grid:
        k, v = g.split("=", 1)
        grid[k] = v.split(",")
    keys = list(grid)
    settings = [dict(zip(keys, vals)) for vals in itertools.product(*grid.values())]
    files = {}
    for name, path in (("basil", a.basil), ("ecbplus", a.ecbplus)):
        halves = split(path, name)
        files[(name, "all")] = path
        files[(name, "a")] = halves["a"]
        files[(name, "b")] = halves["b"]
    table = []
    for s in settings:
        f1 = {f"{n}-{h}": score(a.retold, p, s) for (n, h), p in files.items()}
        table.append((s, f1))
        print(json.dumps(s), " ".join(f"{k} {v:.3f}" for k, v in sorted(f1.items())), file=sys.stderr)

    def best(h):
        # Ties (a plateau of equal scores): the middle one in grid order, the
        # setting with the most room on both sides.
        mean = lambda r: (r[1][f"basil-{h}"] + r[1][f"ecbplus-{h}"]) / 2
        top = max(mean(r) for r in table)
        tied = [r for r in table if mean(r) >= top - 1e-9]
        return tied[len(tied) // 2]

    report = {}
    for chosen_on, shown_on in (("a", "b"), ("b", "a"), ("all", "all")):
        s, f1 = best(chosen_on)
        report[f"chosen on {chosen_on}"] = {"setting": s, "f1": f1}
        print(
            f"chosen on {chosen_on:>3}: {json.dumps(s)}  -> reported on {shown_on}: "
            f"BASIL {f1[f'basil-{shown_on}']:.3f}  ECB+ {f1[f'ecbplus-{shown_on}']:.3f}"
            f"   (on {chosen_on}: BASIL {f1[f'basil-{chosen_on}']:.3f}  ECB+ {f1[f'ecbplus-{chosen_on}']:.3f})"
        )
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"table": table, "report": report}, f, indent=1)


if __name__ == "__main__":
    main()
