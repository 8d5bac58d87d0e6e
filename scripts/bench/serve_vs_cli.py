"""Compare the stories `retold serve` serves with `retold analyze --format json`:
article -> (set of members of its story, role, relation, parent)."""
# usage: scripts/bench/serve_vs_cli.py CLI.json PORT  (a running `retold serve` on 127.0.0.1:PORT)
import json, sys, urllib.request
cli_json, port = sys.argv[1], sys.argv[2]
cli = json.load(open(cli_json))
def key(stories):
    out = {}
    for s in stories:
        mem = frozenset(m["article"] for m in s["members"])
        for m in s["members"]:
            out[m["article"]] = (mem, m["role"], m.get("relation"), m.get("parent"))
    return out
want = key(cli["stories"])
served, cursor = [], None
while True:
    url = f"http://127.0.0.1:{port}/v1/stories?limit=500" + (f"&cursor={cursor}" if cursor else "")
    page = json.load(urllib.request.urlopen(url))
    served += page["stories"]
    cursor = page.get("next_cursor")
    if not cursor:
        break
got = key(served)
same = sum(1 for a, v in want.items() if got.get(a) == v)
print(f"cli stories {len(cli['stories'])}, served {len(served)}; articles placed alike {same} / {len(want)} (served {len(got)})")
diff = [a for a in want if got.get(a) != want[a]][:5]
for a in diff:
    print(" differs:", a, "cli", want[a][1:], "served", got.get(a, (None,))[1:])
