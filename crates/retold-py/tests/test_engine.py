"""retold.Engine: articles one at a time give the stories of a batch."""

import retold
from conftest import approx_equal, structure


def publication_order(records, rows):
    """The engine's order: dated articles by time (then id), an undated one
    right after the dated article it followed in the input."""
    published = {r["id"]: r["published"] for r in rows}
    keyed, last = [], None
    for k, rec in enumerate(records):
        p = published[rec["id"]]
        if p is not None:
            last = p
        keyed.append(((p or last or ""), k if p is None else -1, rec["id"] if p else "", k, rec))
    dated = all(published[r["id"]] for r in records)
    if dated:
        return sorted(records, key=lambda r: (published[r["id"]], r["id"]))
    return [x[-1] for x in sorted(keyed, key=lambda x: (x[0], x[3]))]


def test_streaming_equals_batch(corpus_records):
    batch = retold.analyze(corpus_records)
    many = retold.Engine()
    assert many.add_many(corpus_records) == [r["id"] for r in corpus_records]
    approx_equal(many.stories(), batch.stories)
    one = retold.Engine()
    for rec in publication_order(corpus_records, batch.articles):
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
