#!/usr/bin/env python3
"""How the components of retold.spark.analyze fall on a corpus, without Spark.

    python scripts/bench/components.py CORPUS.jsonl CLI-ANALYSIS.json

The same sketches (`retold._native.sketch_bands`, content words), buckets
of 2..200 articles, all pairs inside them, verification on the signatures,
and a union-find instead of Spark's label propagation; for a few
(band threshold, verification threshold) settings it prints the number of
candidate pairs, the verified ones, the largest components, and how many of
the stories of `retold analyze --format json` (CLI-ANALYSIS.json) are split
across components. Used for docs/PERFORMANCE.md ("The Python package").
"""
import sys
import json, collections, retold._native as n
recs=[json.loads(l) for l in open(sys.argv[1])]
cli=json.load(open(sys.argv[2]))
story_of={m['article']:s['id'] for s in cli['stories'] for m in s['members']}
for thr, ver in [(0.2,0.1),(0.2,0.2),(0.25,0.25),(0.3,0.3)]:
    out=n.sketch_bands([r['text'] for r in recs], None, threshold=thr, sketch="content")
    buckets=collections.defaultdict(list)
    for i,(k,s) in enumerate(out):
        for key in k: buckets[key].append(i)
    parent=list(range(len(recs)))
    def find(x):
        while parent[x]!=x:
            parent[x]=parent[parent[x]]; x=parent[x]
        return x
    pairs=set()
    for b in buckets.values():
        if 2<=len(b)<=200:
            for i in range(len(b)):
                for j in range(i+1,len(b)): pairs.add((b[i],b[j]))
    ver_n=0
    for a,b in pairs:
        if n.jaccard(out[a][1],out[b][1])>=ver:
            ver_n+=1
            ra,rb=find(a),find(b)
            if ra!=rb: parent[max(ra,rb)]=min(ra,rb)
    comp=[find(i) for i in range(len(recs))]
    sizes=collections.Counter(comp)
    # CLI stories split across components?
    st=collections.defaultdict(set)
    for i,r in enumerate(recs): st[story_of[r['id']]].add(comp[i])
    split=sum(1 for v in st.values() if len(v)>1)
    print(thr, ver, "pairs",len(pairs),"verified",ver_n,"largest",sizes.most_common(3),"components",len(sizes),"CLI stories split",split, "of", sum(1 for s in cli['stories'] if len(s['members'])>1))
