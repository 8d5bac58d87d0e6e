#!/usr/bin/env python3
"""Every difference between `retold.spark.analyze` (windows) and `retold
analyze`, by cause (docs/PERFORMANCE.md, "Issue 17, fourth slice").

    python scripts/bench/spark_diff.py CORPUS.jsonl CLI.json ROWS.parquet [KEY=VALUE...]

KEY=VALUE: context_days=28, vote_days=(half of context_days), history=True
(as given to retold.spark.analyze), longer=DAYS[,DAYS...] (each window but the
first run again with that much context, `all`: every article before it and
no history, and how many of its engine differences go away), simulate=1
(compare the stories stitched here, not the Spark rows, with the CLI: with
another context_days or vote_days, what Spark would give), cache=PATH (a pickle of the window runs:
the engine runs are the slow part, reruns read them), examples=3.

Without Spark: the windows are read off the Spark rows (each core article's
window, `component`; a window starts at its first core article, as
`approxQuantile` cuts at an article's time), and each window's engine is run
again here with `retold.analyze` on the same records in the same order with
the same word statistics (`history_keys` of every article published before
the window's context). The windows' stories are stitched as
`retold.spark.stitch_windows` does; the script checks that this gives the
Spark rows exactly (else the comparison would be of something else).
Undated articles go with the dated one before them in the input, as in Spark.

Each article whose story, as a set of articles, differs from the CLI's is
put under one cause:

* the member's own window: the window's engine groups it otherwise than the
  CLI (its story in the window, core and context articles, is not the CLI's
  story restricted to the window's articles). Why:
  - `the CLI merged stories of this window through later articles`: in
    the first window (no context, no history: it *is* the CLI run over the
    articles up to its end, so only later articles can have changed the
    CLI's story), where the CLI's story is a union of two or more of the
    window's stories; `later articles changed the CLI's story (not a
    merge)` otherwise;
  - `story state older than the window's context`: in the last window
    (nothing comes after it, and its word statistics are those of one run:
    only the stories of articles before its context are missing).
    `longer=all` checks it: with every earlier article as context the
    differences go away; `longer=DAYS` shows how many a longer context
    settles;
  - `a merge through later articles, or older story state`: a window in
    between, where the CLI's story is a union of the window's stories (both
    can be at work; not told apart).
* through another window's part: the member's own window agrees with the
  CLI, but a part stitched to it (or missing from it), or an article of
  another window in either story, was placed otherwise by its own window's
  engine (the cause of that article, the most frequent one if several).
* `stitching vote`: both windows agree with the CLI and the vote still
  joins or splits otherwise (none on the 10 k corpus).

Articles whose story is the same set but whose story name (origin), role
or parent differ are counted apart (`same set, ...`): another name (the
stitched story is named after its latest window's story), or a role or
parent the window's own run gave or the stitching changed (a former origin
made `independent`).
"""
import collections
import json
import os
import pickle
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_bench import _value, cli_members, spark_rows  # noqa: E402

# The record columns retold.spark.analyze reads (retold.spark._RECORD_FIELDS).
FIELDS = ("id", "url", "source", "title", "byline", "published", "language", "text", "html")


MERGE = "the CLI merged stories of this window through later articles"
LATER = "later articles changed the CLI's story (not a merge)"
OLDER = "story state older than the window's context"
MERGE_OR_OLDER = "a merge through later articles, or older story state"


def load(corpus, cli_json, rows_parquet):
    records = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            # As the Spark job reads them: these columns, strings.
            records.append({k: str(r[k]) for k in FIELDS if r.get(k) is not None})
    want = cli_members(cli_json)
    rows, got = spark_rows(rows_parquet)
    window_of = {r.article: int(r.component) for r in rows.itertuples(index=False)}
    return records, want, got, window_of


def _times(records):
    """Each record's publication time as the Spark job uses it: the
    engine's reading, an undated record the latest dated one before it in
    the input (before any, -1e18)."""
    import numpy as np

    from retold import _native

    out, last = [], -1.0e18
    for t in _native.published(records):
        if t is not None:
            last = float(t)
        out.append(last)
    return np.array(out)


def _window_run(records, times, ids, keys, w, start, core, ctx, first):
    """One window's engine: its core articles (positions), the articles of
    the ``ctx`` seconds before ``start`` as context, the word statistics of
    everything before that (``keys``: None for no history)."""
    import retold
    from retold.spark import story_key

    context = [] if first else [i for i, t in enumerate(times) if t < start and start - t <= ctx]
    placed = sorted(core + context)
    h = None
    if keys is not None and not first:
        # The counts of every article before the context (kept between
        # calls in `keys["_running"]`, which grows as the windows go by).
        running = keys.setdefault("_running", {"upto": -float("inf"), "docs": 0, "counts": collections.Counter()})
        if start - ctx < running["upto"]:
            running.update(upto=-float("inf"), docs=0, counts=collections.Counter())
        for i, t in enumerate(times):
            if running["upto"] <= t < start - ctx:
                running["docs"] += 1
                running["counts"].update(keys[i] or [])
        running["upto"] = start - ctx
        vocab = set()
        for i in placed:
            vocab.update(keys[i] or [])
        counts = running["counts"]
        seen = {k: counts[k] for k in vocab if k in counts}
        if running["docs"] or seen:
            h = (running["docs"], list(seen), list(seen.values()))
    analysis = retold.analyze([records[i] for i in placed], strict=False, history=h)
    rows = []
    for number, story in enumerate(analysis.stories):
        for m in story["members"]:
            rows.append((story_key(w, number), story["id"], m["article"], m["role"], m.get("relation"),
                         m.get("parent")))
    return rows, {ids[i] for i in core}, [ids[i] for i in context], start - ctx, (h[0] if h else 0)


def run_windows(records, window_of, context_days, history):
    """Each window's engine run again: {window: (rows, core ids, context
    ids, context start)}; rows are (key, story, article, role, relation,
    parent). Also each article's time and what `longer` needs."""
    from retold import _native

    times = _times(records)
    ids = [r["id"] for r in records]
    windows = sorted(set(window_of.values()))
    starts = {w: min(times[i] for i, a in enumerate(ids) if window_of[a] == w) for w in windows}
    keys = dict(enumerate(_native.history_keys(records))) if history else None
    out = {}
    for w in windows:
        t0 = time.time()
        core = [i for i, a in enumerate(ids) if window_of[a] == w]
        *run, docs = _window_run(records, times, ids, keys, w, starts[w], core, context_days * 86400.0,
                                 w == windows[0])
        out[w] = tuple(run)
        print(f"window {w}: {len(core)} core + {len(run[2])} context articles, "
              f"history {docs} articles, engine {time.time() - t0:.1f} s", file=sys.stderr)
    return out, {a: times[i] for i, a in enumerate(ids)}


def longer_runs(records, window_of, days, history):
    """Each window but the first again, with ``days`` of context (``all``:
    every article before it, no history): {window: {article: story ids of
    its core articles}}."""
    from retold import _native

    times = _times(records)
    ids = [r["id"] for r in records]
    windows = sorted(set(window_of.values()))
    starts = {w: min(times[i] for i, a in enumerate(ids) if window_of[a] == w) for w in windows}
    keys = dict(enumerate(_native.history_keys(records))) if history and days != "all" else None
    ctx = 1e18 if days == "all" else float(days) * 86400.0
    out = {}
    for w in windows[1:]:
        t0 = time.time()
        core = [i for i, a in enumerate(ids) if window_of[a] == w]
        rows, core_ids, context, _, docs = _window_run(records, times, ids, keys, w, starts[w], core, ctx, False)
        by_key = collections.defaultdict(set)
        for r in rows:
            if r[2] in core_ids:
                by_key[r[0]].add(r[2])
        out[w] = {r[2]: frozenset(by_key[r[0]]) for r in rows if r[2] in core_ids}
        print(f"window {w}, context {days} days: {len(context)} context articles, history {docs}, "
              f"engine {time.time() - t0:.1f} s", file=sys.stderr)
    return out


def stitch(windows, published, vote_days, naming="latest", roles="later-parent"):
    """`retold.spark.stitch_windows` in plain Python: {article: (story,
    role, relation, parent)} of the core articles, and the links made."""
    starts = {w: v[3] + 0 for w, v in windows.items()}
    core_rows, owner, votes = {}, {}, collections.Counter()
    window_start = {}
    for w, (rows, core, context, ctx_start) in windows.items():
        window_start[w] = min((published[a] for a in core), default=0.0)
    for w, (rows, core, context, ctx_start) in windows.items():
        for row in rows:
            if row[2] in core:
                core_rows[row[2]] = (w,) + row
                owner[row[2]] = row[0]
    for w, (rows, core, context, ctx_start) in windows.items():
        for row in rows:
            a = row[2]
            if a not in core and window_start[w] - published[a] <= vote_days * 86400.0:
                votes[(row[0], owner[a])] += 1
    best = {}
    for (local, own), n in votes.items():
        if local not in best or (-n, own) < (-best[local][1], best[local][0]):
            best[local] = (own, n)
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    links = [(a, b) for a, (b, _) in best.items() if a != b]
    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    name = {}
    for a, (w, key, story, *_rest) in core_rows.items():
        label = find(key)
        cur = name.get(label)
        # naming="own-origin" (an experiment): a window's story whose origin
        # is one of its core articles is preferred to one whose origin is a
        # context article.
        rank = (-(naming == "own-origin" and core_rows.get(story[2:], (None,))[0] == w), -w, key)
        if cur is None or rank < cur[0]:
            name[label] = (rank, key, story)
    if roles in ("latest", "later-parent"):
        # Each article's role and parent from the latest window that holds
        # it (as context) in a story stitched to its own ("later-parent":
        # only where that window derives it from an article of a window
        # after its own: evidence its own window could not see).
        for w, (rows, core, context, ctx_start) in sorted(windows.items()):
            for row in rows:
                a = row[2]
                if a not in core and a in core_rows and find(row[0]) == find(core_rows[a][1]):
                    own_window = core_rows[a][0]
                    later = row[5] is not None and core_rows.get(row[5], (own_window,))[0] > own_window
                    if roles == "latest" or later:
                        core_rows[a] = core_rows[a][:4] + row[3:]
    out = {}
    for a, (w, key, story, _a, role, relation, par) in core_rows.items():
        n = name[find(key)][2]
        if a == n[2:]:
            out[a] = (n, "origin", None, None)
        elif role == "origin":
            out[a] = (n, "independent", "same_story", par)
        else:
            out[a] = (n, role, relation, par)
    return out, best, find


def sets_of(by_article):
    stories = collections.defaultdict(set)
    for a, v in by_article.items():
        stories[v[0]].add(a)
    return {a: frozenset(stories[v[0]]) for a, v in by_article.items()}


def main(corpus, cli_json, rows_parquet, *options):
    opts = dict((k, _value(v)) for k, v in (o.split("=", 1) for o in options))
    context_days = float(opts.get("context_days", 28.0))
    vote_days = float(opts.get("vote_days", context_days / 2.0))
    history = bool(opts.get("history", True))
    n_examples = int(opts.get("examples", 3))
    records, want, got, window_of = load(corpus, cli_json, rows_parquet)
    cache = opts.get("cache")
    if cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            windows, published = pickle.load(f)
    else:
        windows, published = run_windows(records, window_of, context_days, history)
        if cache:
            with open(cache, "wb") as f:
                pickle.dump((windows, published), f)
    mine, best, find = stitch(windows, published, vote_days, naming=opts.get("naming", "latest"),
                             roles=opts.get("roles", "later-parent"))
    if opts.get("simulate"):
        # What-if: the windows run here (e.g. with another context_days)
        # stand for the Spark rows; only the windows are read off those.
        got = mine
        print("simulated: the stories stitched here are compared with the CLI")
    else:
        same_as_spark = sum(1 for a in got if mine.get(a) == got[a])
        print(f"stitched here as in Spark: {same_as_spark} of {len(got)} members identical")
    first = min(windows)
    cli_set, spark_set = sets_of(want), sets_of(got)
    local = {}  # window -> article -> local story key
    local_sets = {}
    for w, (rows, core, context, ctx_start) in windows.items():
        local[w] = {r[2]: (r[0],) + r[1:] for r in rows}
        by_key = collections.defaultdict(set)
        for r in rows:
            by_key[r[0]].add(r[2])
        local_sets[w] = {r[2]: by_key[r[0]] for r in rows}
    last = max(windows)
    # The articles each window's engine placed: core and context.
    seen_in = {w: set(v[1]) | set(v[2]) for w, v in windows.items()}

    def own_cause(a):
        """Why the window's own engine groups ``a`` otherwise than the
        CLI (restricted to the window's core articles), or None."""
        w = window_of[a]
        seen = seen_in[w]
        L, C = local_sets[w][a], cli_set[a] & seen
        if L == C:
            return None
        keys = {local[w][x][0] for x in C}
        union = set().union(*(local_sets[w][x] for x in C))
        merged = len(keys) >= 2 and union == C
        if w == first:
            # The first window has no context and no history: it is the CLI
            # run over the articles up to its end.
            return MERGE if merged else LATER
        if w == last:
            return OLDER
        return MERGE_OR_OLDER if merged else OLDER

    own = {a: own_cause(a) for a in want}
    causes = collections.Counter()
    examples = collections.defaultdict(list)
    stories = collections.defaultdict(set)  # the CLI's stories each cause touches
    engine_members = collections.defaultdict(list)
    for a in want:
        w = window_of[a]
        rows, core, context, ctx_start = windows[w]
        C, S = cli_set[a], spark_set.get(a, frozenset())
        if C == S:
            if got.get(a) != want[a]:
                lv = local[w][a]
                if got[a][0] != want[a][0]:
                    cause = "same set, another origin: named after the latest window's story"
                elif (lv[3], lv[5]) == (want[a][1], want[a][3]):
                    cause = "same set, another role or parent: changed by the stitching"
                else:
                    cause = "same set, another role or parent: the window's own run"
                causes[cause] += 1
                stories[cause].add(want[a][0])
                examples[cause].append(f"{a}: CLI {want[a]} Spark {got[a]}")
            continue
        L = local_sets[w][a]
        missing, extra = C - S, S - C
        mw = sorted({window_of[x] for x in missing})
        ew = sorted({window_of[x] for x in extra})
        detail = (f"window {w}: CLI story {len(C)} (window's story ∩ core {len(L & core)}, CLI's ∩ core "
                  f"{len(C & core)}), Spark {len(S)}; missing {len(missing)} (windows {mw}), "
                  f"extra {len(extra)} (windows {ew})")
        if own[a]:
            cause = own[a] + " — the member's own window"
            if w != first:
                engine_members[own[a]].append(a)
        else:
            # The other windows' articles of either story (the difference
            # itself, or the article whose story joined or split them).
            inherited = collections.Counter(
                own[x] for x in (missing | extra | ((S | C) - core)) if own.get(x)
            )
            if inherited:
                cause = inherited.most_common(1)[0][0] + " — through another window's part"
            else:
                cause = "stitching vote — both windows' engines agree with the CLI"
        causes[cause] += 1
        stories[cause].add(want[a][0])
        examples[cause].append(f"{a}: {detail}")
    longer = [d for d in str(opts.get("longer", "")).split(",") if d]
    for days in longer:
        runs = longer_runs(records, window_of, days, history)
        resolved = collections.Counter()
        for cause, members in engine_members.items():
            for a in members:
                w = window_of[a]
                core = windows[w][1]
                if runs[w][a] == (cli_set[a] & core):  # the longer run's story of a, core articles
                    resolved[cause] += 1
        for cause, members in sorted(engine_members.items()):
            print(f"context {days} days: {cause}: {resolved[cause]} of {len(members)} agree with the CLI")
    total = sum(v for k, v in causes.items() if not k.startswith("same set"))
    print(f"members: {len(want)}; same story as a set: {len(want) - total}; differing: {total}")
    print("| cause | members | CLI stories |\n|---|---|---|")
    for cause, n in sorted(causes.items(), key=lambda kv: (kv[0].startswith("same set"), -kv[1])):
        print(f"| {cause} | {n} | {len(stories[cause])} |")
    for cause, lines in sorted(examples.items()):
        print(f"\n{cause}:")
        for line in lines[:n_examples]:
            print("  " + line)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
