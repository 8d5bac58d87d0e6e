#!/usr/bin/env python3
"""What time windows do to the stories, measured with the command line tool
(docs/PERFORMANCE.md, "The Python package"): the layout of
retold.spark.analyze(partition="windows") without Spark.

    python3 scripts/bench/windows_with_cli.py CORPUS.jsonl K CONTEXT_DAYS CLI.json

cuts CORPUS (every record dated) into K windows of equal counts, runs
`target/release/retold analyze` on each window's core plus the articles of
the CONTEXT_DAYS before it (files in /tmp/spk-sim/), stitches the windows'
stories and prints how many members have the same story (as a set of
articles, and by name), role and parent as in CLI.json (`retold analyze
--format json` of the whole corpus), and BCubed against the CLI and the
corpus's gold `story` field. Knobs (environment): STITCH=union joins every
story that shares a context article (instead of the vote of the late
context articles); LATE (default 0.5) is the voting share of the context;
NAME=latest|first names a stitched story after its latest or earliest
window; ROLE=core|latest|named takes roles and parents from the article's
own window, its latest appearance, or the naming story.
"""
import collections, datetime, json, os, subprocess, sys
corpus, k, ctx_days = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
os.makedirs('/tmp/spk-sim', exist_ok=True)
recs=[json.loads(l) for l in open(corpus)]
def ts(r): return datetime.datetime.fromisoformat(r['published'].replace('Z','+00:00')).timestamp()
t=sorted(ts(r) for r in recs)
bounds=[t[len(t)*i//k] for i in range(1,k)]
import bisect
win={}
groups=collections.defaultdict(list)
for r in recs:
    x=ts(r); w=bisect.bisect_right(bounds,x); win[r['id']]=w
    groups[w].append((r,True))
    for w2 in range(w+1,k):
        if bounds[w2-1]-ctx_days*86400 <= x < bounds[w2-1]: groups[w2].append((r,False))
out={}
for w,rows in sorted(groups.items()):
    f=f'/tmp/spk-sim/w{w}.jsonl'
    with open(f,'w') as fh:
        for r,_ in rows: fh.write(json.dumps(r)+'\n')
    subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'target', 'release', 'retold'),'analyze','--quiet','--format','json','-o',f'/tmp/spk-sim/w{w}.json',f],check=True)
    d=json.load(open(f'/tmp/spk-sim/w{w}.json'))
    out[w]=(d,{r['id'] for r,c in rows if c})
    print('window',w,len(rows),'core',len(out[w][1]),file=sys.stderr)
# stitch
parent={}
def find(x):
    parent.setdefault(x,x)
    while parent[x]!=x: parent[x]=parent[parent[x]]; x=parent[x]
    return x
def union(a,b):
    a,b=find(a),find(b)
    if a!=b:
        if a<b: parent[b]=a
        else: parent[a]=b
member={}; ctxlink=[]
for w,(d,core) in out.items():
    for s in d['stories']:
        key=(w,s['id'])
        find(key)
        for m in s['members']:
            if m['article'] in core: member[m['article']]=(key,m)
            else: ctxlink.append((m['article'],key))
import os
mode=os.environ.get('STITCH','best')
pub={r['id']:ts(r) for r in recs}
starts={w:(bounds[w-1] if w>0 else -1e18) for w in out}
votes=collections.defaultdict(collections.Counter)
for a,key in ctxlink:
    late = pub[a] >= starts[key[0]] - float(os.environ.get('LATE','0.5'))*ctx_days*86400
    if mode=='union': union(key, member[a][0])
    elif late: votes[key][member[a][0]]+=1
for key,c in votes.items():
    best=max(c.items(), key=lambda kv:(kv[1], -kv[0][0]))[0]
    union(key,best)
final={}
ROLE=os.environ.get('ROLE','core'); NAME=os.environ.get('NAME','first')
# every appearance: article -> list of (window, key, m, is_core, vote)
app=collections.defaultdict(list)
for w,(d,core) in out.items():
    for s_ in d['stories']:
        for m in s_['members']:
            a=m['article']; isc=a in core
            vote = (not isc) and pub[a] >= starts[w] - float(os.environ.get('LATE','0.5'))*ctx_days*86400
            app[a].append((w,(w,s_['id']),m,isc,vote))
# story name per root: from the latest local story in the tree that has members
latest={}
for w,(d,core) in out.items():
    for s_ in d['stories']:
        key=(w,s_['id']); r=find(key)
        if any(m['article'] in core for m in s_['members']):
            if r not in latest or w>latest[r][0]:
                origin=[m['article'] for m in s_['members'] if m['role']=='origin'][0]
                latest[r]=(w,s_['id'],origin)
for a,(key,m) in list(member.items()):
    if ROLE=='named':
        root0=find(key); lw,lid,_=latest[root0]
        for x in app[a]:
            if x[0]==lw and x[1]==(lw,lid) and (x[3] or x[4] or os.environ.get('ANYCTX')): m=x[2]
    if ROLE=='latest':
        cand=[x for x in app[a] if x[3] or x[4]]
        x=max(cand,key=lambda x:x[0]); m=x[2]
    root=find(key)
    name = root[1] if NAME=='first' else latest[root][1]
    origin_id = name[2:]
    role=m['role']; rel=m['relation']
    if role=='origin' and a!=origin_id: role,rel='independent','same_story'
    if a==origin_id and role!='origin': role,rel='origin',None
    final[a]=(name,role,rel,m['parent'] if role!='origin' else None)
member_unused={}
for a,(key,m) in member_unused.items():
    root=find(key)
    role=m['role']; rel=m['relation']
    if role=='origin' and root!=key: role,rel='independent','same_story'
    final[a]=(root[1],role,rel,m['parent'])
cli=json.load(open(sys.argv[4]))
ref={}
for s in cli['stories']:
    for m in s['members']: ref[m['article']]=(s['id'],m['role'],m['relation'],m['parent'])
# story as sets
def sets(dct):
    g=collections.defaultdict(set)
    for a,v in dct.items(): g[v[0]].add(a)
    return {a:frozenset(g[v[0]]) for a,v in dct.items()}
sa,sb=sets(final),sets(ref)
n=len(ref)
print('members',n,'same story set',sum(sa[a]==sb[a] for a in ref),'same id',sum(final[a][0]==ref[a][0] for a in ref),
 'role',sum(final[a][1]==ref[a][1] for a in ref),'parent',sum(final[a][3]==ref[a][3] for a in ref),
 'all',sum(sa[a]==sb[a] and final[a][1:]==ref[a][1:] for a in ref))
print('final stories',len(set(v[0] for v in final.values())),'largest',max(len(s) for s in sa.values()),'cli stories',len(set(v[0] for v in ref.values())))
# per window unstitched check: for core articles, compare window-local story sets restricted to core vs cli restricted
loc=collections.defaultdict(set)
for a,(key,m) in member.items(): loc[key].add(a)
ok=0
for a,(key,m) in member.items():
    if frozenset(loc[key])==frozenset(x for x in sb[a] if member[x][0][0]==key[0]): ok+=1
print('local story sets equal (restricted to window core)',ok)
bad=[a for a in ref if sa[a]!=sb[a]][:3]
for a in bad: print(a, sorted(sa[a])[:8], sorted(sb[a])[:8])
cnt=collections.Counter()
for a,(key,m) in member.items():
    L=frozenset(loc[key]); C=frozenset(x for x in sb[a] if member[x][0][0]==key[0])
    cnt[(key[0], 'eq' if L==C else 'sub' if L<C else 'sup' if L>C else 'other')]+=1
print(sorted(cnt.items()))
sz=collections.Counter(len(set(v)) for v in sb.values())
print('cli story size hist (by member)', sorted(collections.Counter(len(sb[a]) for a in ref).items())[-10:])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_bench import bcubed
gold={r['id']:r['story'] for r in recs}
print('bcubed cli/gold',bcubed({a:v[0] for a,v in ref.items()},gold),'win/gold',bcubed({a:v[0] for a,v in final.items()},gold),'win/cli',bcubed({a:v[0] for a,v in final.items()},{a:v[0] for a,v in ref.items()}))
