"""Word statistics of articles placed elsewhere: `history_keys` and
`analyze(history=...)` (what `retold.spark.analyze` gives each window)."""

from collections import Counter

import pytest

import retold
from retold import _native

OLD = (
    "Council notes {k}: Mayor Ines Okafor of Wexhall met builders from Brannock about the "
    "Larkmoor ferry terminal and the harbour on Monday. Item {k} of the agenda was a "
    "proposal number {k}{k} by resident group {k}, who spoke for {k} minutes. "
    "About 2,000 residents and 40 members took part."
)
NEW = [
    {
        "id": "b1",
        "published": "2026-03-02T08:00:00Z",
        "text": "Mayor Ines Okafor of Wexhall opened the new Larkmoor ferry terminal on Monday. "
        "The terminal cost 40 million euros and will serve 2,000 passengers a day, the "
        "harbour authority said. Okafor thanked the builders from Brannock.",
    },
    {
        "id": "b2",
        "published": "2026-03-02T11:00:00Z",
        "text": "Fishermen in Larkmoor fear for their moorings. The crews say the new ferry "
        "traffic will crowd the old quay, where their boats have tied up for a century. "
        "Ines Okafor promised a meeting with them. The builders from Brannock left behind "
        "piles of gravel on the slipway, one skipper complained. Wexhall's port office "
        "counts 2,000 ferry passengers a day from Monday.",
    },
]


def old_records():
    return [
        {"id": f"old{k}", "published": f"2020-{1 + k // 28:02d}-{1 + k % 28:02d}T08:00:00Z",
         "text": OLD.format(k=k)}
        for k in range(60)
    ]


def placements(analysis, ids):
    stories = {}
    for story, article, *_ in analysis.members():
        stories.setdefault(story, set()).add(article)
    return sorted(
        (article, sorted(stories[story]), role, relation, parent, round(confidence, 9))
        for story, article, role, relation, parent, confidence in analysis.members()
        if article in ids
    )


def test_history_keys_are_terms_and_names_of_readable_records():
    keys = _native.history_keys([NEW[0], {"id": "no text"}, "Just a text."])
    assert len(keys) == 3 and keys[1] is None
    first = keys[0]
    assert first == sorted(set(first))
    names = [k for k in first if 2**32 <= k < 2**33]
    assert names and len(names) < len(first)
    # One key of the article's language (2^33 + the hash of its code).
    assert len([k for k in first if k >= 2**33]) == 1 and first[-1] >= 2**33
    # "Okafor" is a name (and a term) in both texts.
    second = _native.history_keys([NEW[1]])[0]
    assert set(names) & set(second)


def test_history_places_as_one_run_over_everything():
    old = old_records()
    counts, docs = Counter(), 0
    for keys in _native.history_keys(old):
        if keys is not None:
            docs += 1
            counts.update(keys)
    history = (docs, list(counts), list(counts.values()))
    ids = {"b1", "b2"}
    whole = placements(retold.analyze(old + NEW), ids)
    assert placements(retold.analyze(NEW, history=history), ids) == whole
    # Without it the shared names are rare, and the two are linked.
    assert placements(retold.analyze(NEW), ids) != whole


def test_a_history_that_cannot_be_right_is_refused():
    with pytest.raises(ValueError, match="more than the 1 counted"):
        retold.analyze(NEW, history=(1, [5], [2]))
    with pytest.raises(ValueError, match="keys but"):
        retold.analyze(NEW, history=(1, [5], []))
    with pytest.raises(ValueError, match="neither a term"):
        retold.analyze(NEW, history=(1, [3 << 32], [1]))
