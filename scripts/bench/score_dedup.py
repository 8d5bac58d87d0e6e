#!/usr/bin/env python3
"""Scores {"id","cluster"} lines against a `retold synth` corpus's gold.

Recall per derivation type: the share of derived articles put in the same
cluster as their original. Precision: of all pairs inside predicted clusters,
the share that belong to the same gold story. Prints one JSON object.
"""
import collections
import itertools
import json
import sys


def main():
    corpus, clusters = sys.argv[1], sys.argv[2]
    story, derivation, parent = {}, {}, {}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            story[r["id"]] = r["story"]
            derivation[r["id"]] = r["derivation"]
            parent[r["id"]] = r.get("parent")
    cluster = {}
    with open(clusters, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            cluster[r["id"]] = r["cluster"]
    found, total = collections.Counter(), collections.Counter()
    for id_, p in parent.items():
        if p is None:
            continue
        d = derivation[id_]
        total[d] += 1
        if id_ in cluster and p in cluster and cluster[id_] == cluster[p]:
            found[d] += 1
    members = collections.defaultdict(list)
    for id_, c in cluster.items():
        members[c].append(id_)
    pairs = good = 0
    for ms in members.values():
        for a, b in itertools.combinations(ms, 2):
            pairs += 1
            good += story.get(a) == story.get(b)
    out = {
        "recall": {d: round(found[d] / total[d], 4) for d in sorted(total)},
        "recall_all": round(sum(found.values()) / max(1, sum(total.values())), 4),
        "predicted_pairs": pairs,
        "precision": round(good / pairs, 4) if pairs else None,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
