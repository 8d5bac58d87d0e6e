"""retold.compare and retold.dedup against the CLI."""

import json

import pytest

import retold
from conftest import CORPUS, approx_equal, run_cli

A = "text/estuarypost-larkmoor-bridge.txt"
B = "html/portcaddoncourier-larkmoor-bridge-closed.html"


def test_compare_equals_the_cli():
    cli = json.loads(run_cli("compare", str(CORPUS / A), str(CORPUS / B), "--format", "json"))
    (a,), (b,) = retold.read(str(CORPUS / A)), retold.read(str(CORPUS / B))
    got = retold.compare(a, b)
    # The article rows say where each was read: a file, or a record number.
    for side in ("a", "b"):
        for k in ("path", "at", "position"):
            assert k in got[side] and k in cli[side]
            del got[side][k], cli[side][k]
    approx_equal(got, cli)
    assert got["verdict"]["relation"] == cli["verdict"]["relation"]


def test_compare_texts():
    text = "The mayor closed the Larkmoor Bridge on Friday. Engineers found cracks in 12 girders."
    r = retold.compare(text, text.replace("12", "14"))
    assert r["a"]["id"] == "a" and r["b"]["id"] == "b"
    assert r["verdict"]["relation"] in {"duplicate", "copy"}
    with pytest.raises(retold.RetoldError, match="entry 2"):
        retold.compare(text, {"id": "b"})


def cli_clusters(*flags):
    lines = run_cli("dedup", str(CORPUS), *flags).splitlines()
    return [(d["id"], d["cluster"]) for d in map(json.loads, lines)]


@pytest.mark.parametrize(
    "flags, kwargs",
    [
        ((), {}),
        (("--sketch", "content", "--threshold", "0.4"), {"sketch": "content", "threshold": 0.4}),
    ],
)
def test_dedup_equals_the_cli(corpus_records, flags, kwargs):
    expected = cli_clusters(*flags)
    # Records in the CLI's order (the CLI reads the files in name order too).
    labels = retold.dedup(corpus_records, **kwargs)
    got = list(zip([r["id"] for r in corpus_records], labels))
    assert got == expected
    assert len(set(labels)) < len(labels)


def test_dedup_texts_and_tables():
    t = "The council voted on Tuesday to close the old harbour bridge for repairs that will take a year."
    other = "Stocks rallied in Tokyo after the central bank held rates steady for a third month."
    assert retold.dedup([t, other, t + " Source link"], threshold=0.5) == [0, 1, 0]
    # An exact repeat of a record joins the cluster of the record it repeats.
    recs = [{"id": "x", "text": t}, {"id": "y", "text": other}, {"id": "x", "text": t}]
    assert retold.dedup(recs) == ["x", "y", "x"]
    pd = pytest.importorskip("pandas")
    assert retold.dedup(pd.DataFrame(recs[:2])) == ["x", "y"]
    with pytest.raises(ValueError, match="threshold"):
        retold.dedup([t], threshold=1.5)
    with pytest.raises(ValueError, match="sketch"):
        retold.dedup([t], sketch="words")


def test_sketch_bands_find_the_pair():
    t = "The council voted on Tuesday to close the old harbour bridge for repairs that will take a year."
    (ka, sa), (kb, sb), (kc, sc), (ke, se) = retold._native.sketch_bands(
        [t, t + " Source link", "Stocks rallied in Tokyo after the central bank held rates.", ""],
        threshold=0.5,
    )
    assert set(ka) & set(kb)
    assert not set(ka) & set(kc)
    assert retold._native.jaccard(sa, sb) >= 0.5 > retold._native.jaccard(sa, sc)
    assert ke == [] and se == [] and retold._native.jaccard(sa, se) == 0.0
