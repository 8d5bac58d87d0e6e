"""retold.analyze on the example corpus: the same analysis as the CLI, the
gold labels, the DataFrame and Arrow views, and its errors."""

import pytest

import retold
from conftest import approx_equal, structure


def test_same_stories_as_the_cli(corpus_records, cli_analysis):
    a = retold.analyze(corpus_records)
    # The same view model, field for field (only the article rows differ:
    # the CLI names files and lines, the records their entry number).
    approx_equal(a.stories, cli_analysis["stories"])
    assert structure(a.stories) == structure(cli_analysis["stories"])
    for k in ("articles", "stories", "singletons", "skipped"):
        assert a.summary[k] == cli_analysis["summary"][k], k
    assert [r["id"] for r in a.articles] == [r["id"] for r in cli_analysis["articles"]]
    assert a.schema == cli_analysis["schema"] == "retold-analysis/1"


def test_stories_roles_and_parents_match_gold(corpus_records, gold):
    a = retold.analyze(corpus_records)
    url_of = {r["id"]: r["url"] for r in corpus_records}
    got_story, got_role, got_parent = {}, {}, {}
    for s in a.stories:
        for m in s["members"]:
            url = url_of[m["article"]]
            got_story[url] = s["id"]
            # Gold calls an article alone in its story "unrelated".
            got_role[url] = m["role"] if len(s["members"]) > 1 else "unrelated"
            got_parent[url] = url_of.get(m.get("parent"))
    gold_groups = {}
    for g in gold["articles"]:
        gold_groups.setdefault(g["story"], set()).add(g["url"])
    got_groups = {}
    for url, s in got_story.items():
        got_groups.setdefault(s, set()).add(url)
    canon = lambda u: u.rstrip("/")
    as_sets = lambda groups: sorted(sorted(canon(u) for u in g) for g in groups.values() if len(g) > 1)
    # No gold story split or merged.
    assert as_sets(got_groups) == as_sets(gold_groups)
    wrong = []
    by_url = {canon(u): u for u in got_role}
    for g in gold["articles"]:
        u = by_url[canon(g["url"])]
        if got_role[u] != g["role"]:
            wrong.append((g["url"], "role", got_role[u], g["role"]))
        if g["role"] == "derived" and canon(got_parent[u] or "") != canon(g["parent"] or ""):
            wrong.append((g["url"], "parent", got_parent[u], g["parent"]))
    # As the Rust test of the corpus: at most a few roles or parents off.
    assert len(wrong) <= 4, wrong


def test_dataframe_and_arrow_tables_give_the_same_stories(corpus_records):
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    expected = structure(retold.analyze(corpus_records).stories)
    frame = pd.DataFrame(corpus_records)
    assert structure(retold.analyze(frame).stories) == expected
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert structure(retold.analyze(table).stories) == expected


def test_member_rows(corpus_records):
    a = retold.analyze(corpus_records)
    rows = a.members()
    assert len(rows) == a.summary["articles"]
    derived = [r for r in rows if r[2] == "derived"]
    assert derived and all(r[4] for r in derived)
    pd = pytest.importorskip("pandas")
    frame = a.to_pandas()
    assert list(frame.columns) == list(retold.MEMBER_COLUMNS)
    assert len(frame) == len(rows)
    assert set(frame["role"]) <= {"origin", "derived", "independent"}
    pa = pytest.importorskip("pyarrow")
    table = a.to_arrow()
    assert table.num_rows == len(rows)
    assert table.schema.field("confidence").type == pa.float64()


def test_a_bad_record_raises_naming_it():
    good = {"id": "a", "text": "The council met on Tuesday."}
    with pytest.raises(retold.RetoldError, match=r"^records: entry 2: missing field: text$"):
        retold.analyze([good, {"id": "b", "title": "no text"}])
    with pytest.raises(ValueError, match=r"entry 1: field `title` has the wrong type"):
        retold.analyze([{"id": "b", "title": {"x": 1}, "text": "Words."}])
    with pytest.raises(retold.RetoldError, match=r"entry 2: expected a dict"):
        retold.analyze([good, 42])
    with pytest.raises(TypeError):
        retold.analyze("not records")


def test_bad_records_are_listed_when_not_strict():
    a = retold.analyze(
        [{"id": "a", "text": "The council met on Tuesday."}, {"id": "b"}], strict=False
    )
    assert a.summary["articles"] == 1
    assert [(p["at"], p["code"]) for p in a.skipped] == [("records: entry 2", "missing_field")]


def test_repeated_ids_are_renamed_as_the_cli_does():
    a = retold.analyze(
        [{"id": "a", "text": "One text about the bridge."}, {"id": "a", "text": "Another text about a ferry."}]
    )
    assert sorted(r["id"] for r in a.articles) == ["a", "a~2"]
    assert a.warnings[0]["code"] == "duplicate_id"


def test_with_text_keeps_texts_and_pairs(corpus_records):
    a = retold.analyze(corpus_records, with_text=True)
    assert all(r.get("text") for r in a.articles)
    assert any(s["overview"].get("pairs") for s in a.stories)


def test_frame_values_are_read_as_json_values():
    # Integer ids, datetime columns and NaN (a missing value) as pandas and
    # pyarrow hand them over.
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    text = "The council closed the harbour bridge on Monday after cracks were found in the girders. Repairs take six weeks."
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "published": pd.to_datetime(["2026-03-01T08:00:00Z", "2026-03-01T10:00:00Z"]),
            "text": [text, text.replace("six", "eight")],
            "score": [float("nan"), 1.5],
        }
    )
    for data in (frame, pa.Table.from_pandas(frame)):
        a = retold.analyze(data)
        assert [(r["id"], r["published"]) for r in a.articles] == [
            ("1", "2026-03-01T08:00:00Z"),
            ("2", "2026-03-01T10:00:00Z"),
        ]
        assert [m[1:5] for m in a.members()] == [("1", "origin", None, None), ("2", "derived", "copy", "1")]
