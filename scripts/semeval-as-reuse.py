#!/usr/bin/env python3
"""The SemEval-2022 task 8 sample's cross-language pairs as a directory that
`retold eval reuse` reads (COUNTER's layout): every pair is two different
articles, labelled `non_derived`, with its languages, so that the engine's
own cross-language verdict (not a re-implementation) is counted on them:
"non-derived called derived" is how many different articles the
`translated` relation takes for translations. The similarity grade (1 most
similar, 4 least) is kept in each pair line as `grade`.

    python3 scripts/semeval-as-reuse.py ../shared/data/semeval2022-task8-sample-train/training_set.csv target/semeval-reuse
    retold eval reuse target/semeval-reuse
"""
import csv, json, os, sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
seen, arts, pairs = set(), [], []
for r in csv.DictReader(open(src, encoding="utf-8")):
    if r["lang1"] == r["lang2"]:
        continue
    ids = r["pair_id"].split("_")
    if len(ids) != 2 or not r["text1"].strip() or not r["text2"].strip():
        continue
    for k, (pid, lang) in enumerate(zip(ids, (r["lang1"], r["lang2"]))):
        aid = f"semeval:{pid}"
        if aid not in seen:
            seen.add(aid)
            title, text = r[f"title{k + 1}"] if f"title{k + 1}" in r else "", r[f"text{k + 1}"]
            arts.append({"id": aid, "title": title, "text": text, "lang": lang})
    pairs.append({"a": f"semeval:{ids[0]}", "b": f"semeval:{ids[1]}", "label": "non_derived",
                  "direction": None, "grade": float(r["Overall"])})
with open(os.path.join(out, "articles.jsonl"), "w", encoding="utf-8") as f:
    for a in arts:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
with open(os.path.join(out, "pairs.jsonl"), "w", encoding="utf-8") as f:
    for p in pairs:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
print(f"{len(pairs)} cross-language pairs, {len(arts)} articles -> {out}")
