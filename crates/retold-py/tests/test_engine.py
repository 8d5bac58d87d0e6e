"""retold.Engine: articles one at a time give the stories of a batch."""

import retold
from conftest import approx_equal, structure


def test_streaming_equals_batch(corpus_records):
    batch = retold.analyze(corpus_records)
    many = retold.Engine()
    assert many.add_many(corpus_records) == [r["id"] for r in corpus_records]
    approx_equal(many.stories(), batch.stories)
    one = retold.Engine()
    for k in retold.publication_order(corpus_records):
        rec = corpus_records[k]
        assert one.add(rec) == rec["id"]
    assert len(one) == len(corpus_records)
    assert structure(one.stories()) == structure(batch.stories)
    approx_equal(one.stories(), batch.stories)


def test_engine_errors_and_skips():
    e = retold.Engine()
    try:
        e.add({"id": "x"})
    except retold.RetoldError as err:
        assert str(err) == "records: entry 1: missing field: text"
    else:
        raise AssertionError("no error")
    lenient = retold.Engine(strict=False)
    assert lenient.add({"id": "x"}) is None
    assert lenient.add({"id": "y", "text": "The ferry sailed at noon."}) == "y"
    a = lenient.analysis()
    assert [p["at"] for p in a.skipped] == ["records: entry 1"]
    assert a.summary["articles"] == 1


def test_an_undated_pile_gives_the_same_stories_in_any_order(corpus_records):
    undated = [{k: v for k, v in r.items() if k != "published"} for r in corpus_records]
    order = retold.publication_order(undated)
    assert sorted(order) == list(range(len(undated)))
    # Longest text first, whatever the input order.
    lengths = [len(undated[k]["text"]) for k in order]
    assert lengths[0] == max(lengths)
    backward_records = undated[::-1]
    assert [backward_records[k]["id"] for k in retold.publication_order(backward_records)] == [
        undated[k]["id"] for k in order
    ]
    forward = retold.analyze(undated)
    backward = retold.analyze(backward_records)
    assert structure(forward.stories) == structure(backward.stories)
    approx_equal(forward.stories, backward.stories)


def test_undated_records_among_dated_ones_go_after_them(corpus_records):
    # Every other record keeps its date.
    mixed = [r if k % 2 == 0 else {c: v for c, v in r.items() if c != "published"} for k, r in enumerate(corpus_records)]
    undated = {k for k, r in enumerate(mixed) if not r.get("published")}
    assert 0 < len(undated) < len(mixed)
    order = retold.publication_order(mixed)
    assert set(order[len(mixed) - len(undated) :]) == undated
    backward_records = mixed[::-1]
    forward = retold.analyze(mixed)
    backward = retold.analyze(backward_records)
    assert structure(forward.stories) == structure(backward.stories)
    approx_equal(forward.stories, backward.stories)
