"""retold: find every retelling of a news story, trace it to its source and
show what each retelling changed.

The Python face of the Rust library ``retold-core``: the same engine, the
same view model and the same messages as the ``retold`` command line tool.

Records are dicts with the JSON Lines fields of ``retold analyze``: ``id``,
``url``, ``source`` (or ``outlet``), ``title``, ``byline``, ``published``
(or ``date``), ``language`` and ``text`` (or ``html``); any other field is
kept as metadata. A pandas DataFrame or a pyarrow Table with those columns
works too.

>>> import retold
>>> text = ("Crews closed the Harbour Bridge on Monday after inspectors found a crack "
...         "in one of its steel girders. Repairs will take at least six weeks, the "
...         "city's transport office said.")
>>> a = retold.analyze([
...     {"id": "a", "published": "2026-03-02T08:00:00Z", "text": text},
...     {"id": "b", "published": "2026-03-02T10:00:00Z",
...      "text": text.replace("six weeks", "eight weeks")},
... ])
>>> [(m["article"], m["role"], m["parent"]) for m in a.stories[0]["members"]]
[('a', 'origin', None), ('b', 'derived', 'a')]
"""

from __future__ import annotations

import json
import warnings as _warnings
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._native import RetoldError

__all__ = [
    "Analysis",
    "Engine",
    "RetoldError",
    "analyze",
    "compare",
    "dedup",
    "publication_order",
    "read",
    "records_of",
    "MEMBER_COLUMNS",
    "__version__",
]

__version__: str = _native.__version__

#: The columns of :meth:`Analysis.to_pandas` and :meth:`Analysis.to_arrow`.
MEMBER_COLUMNS = ("story", "article", "role", "relation", "parent", "confidence")

Record = Mapping[str, Any]
Records = Union[Iterable[Record], Any]


def records_of(data: Records) -> List[Dict[str, Any]]:
    """The records of ``data`` as a list of dicts.

    ``data`` is an iterable of dicts, a pandas DataFrame (missing values,
    ``NaN`` and ``NaT``, become ``None``) or a pyarrow Table or RecordBatch.
    Dates may be strings, numbers or ``datetime``/``Timestamp`` values.

    >>> records_of([{"id": "a", "text": "Hello."}])
    [{'id': 'a', 'text': 'Hello.'}]
    """
    # pyarrow: Table and RecordBatch both have to_pylist (no import needed).
    if hasattr(data, "to_pylist") and hasattr(data, "schema"):
        return data.to_pylist()
    # pandas: a DataFrame has to_dict and columns.
    if hasattr(data, "to_dict") and hasattr(data, "columns") and hasattr(data, "notna"):
        frame = data.astype(object).where(data.notna(), None)
        return frame.to_dict("records")
    if isinstance(data, (str, bytes)) or isinstance(data, Mapping):
        raise TypeError(
            "records must be an iterable of dicts, a pandas DataFrame or a pyarrow Table, "
            f"not a single {type(data).__name__}"
        )
    return list(data)


def _members(stories: Sequence[Mapping[str, Any]]) -> Iterator[tuple]:
    for story in stories:
        for m in story["members"]:
            yield (
                story["id"],
                m["article"],
                m["role"],
                m.get("relation"),
                m.get("parent"),
                float(m.get("confidence", 0.0)),
            )


class Analysis:
    """The result of :func:`analyze`: the view model of ``retold analyze
    --format json`` (schema ``retold-analysis/1``, ``docs/schema/analysis-v1.json``),
    as plain Python values.

    Attributes:
        stories: the stories, largest first: dicts with ``id``, ``title``,
            ``origin``, ``articles``, ``members`` (each with ``article``,
            ``role``, ``relation``, ``parent``, ``confidence``, ``evidence``,
            ``changes``, …), ``entities``, ``quotes``, ``consensus`` and
            ``overview``.
        articles: one row per article read (``id``, ``at``, ``url``,
            ``source``, ``title``, ``published``, …).
        summary: counts (``articles``, ``stories``, ``singletons``, …).
        skipped: records not read (only with ``strict=False``): ``at``,
            ``code``, ``message``.
        warnings: records read with a caveat (a renamed id, a date not taken).
    """

    def __init__(self, data: Dict[str, Any]):
        self._data = data
        self.schema: str = data["schema"]
        self.summary: Dict[str, Any] = data["summary"]
        self.articles: List[Dict[str, Any]] = data["articles"]
        self.stories: List[Dict[str, Any]] = data["stories"]
        self.skipped: List[Dict[str, Any]] = data["skipped"]
        self.warnings: List[Dict[str, Any]] = data["warnings"]

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<retold.Analysis: {s['articles']} articles, {s['stories']} stories, "
            f"{s['singletons']} singletons>"
        )

    def to_dict(self) -> Dict[str, Any]:
        """The whole analysis, as ``retold analyze --format json`` writes it."""
        return self._data

    def to_json(self, **kwargs: Any) -> str:
        """The analysis as JSON text (``json.dumps`` keyword arguments apply)."""
        return json.dumps(self._data, **kwargs)

    def members(self) -> List[tuple]:
        """One tuple per story member, in the order of :data:`MEMBER_COLUMNS`:
        (story, article, role, relation, parent, confidence).

        A story of one article has one member, its origin.
        """
        return list(_members(self.stories))

    def to_pandas(self) -> "Any":
        """One row per story member (columns :data:`MEMBER_COLUMNS`) as a
        pandas DataFrame. Needs pandas (imported only here)."""
        import pandas as pd

        return pd.DataFrame(self.members(), columns=list(MEMBER_COLUMNS))

    def to_arrow(self) -> "Any":
        """One row per story member (columns :data:`MEMBER_COLUMNS`) as a
        pyarrow Table. Needs pyarrow (imported only here)."""
        import pyarrow as pa

        rows = self.members()
        columns = list(zip(*rows)) if rows else [[] for _ in MEMBER_COLUMNS]
        types = [pa.string()] * 5 + [pa.float64()]
        return pa.table(
            {name: pa.array(list(col), type=t) for name, col, t in zip(MEMBER_COLUMNS, columns, types)}
        )


def analyze(
    records: Records,
    *,
    strict: bool = True,
    with_text: bool = False,
    name: str = "records",
    history: Optional[Tuple[int, Sequence[int], Sequence[int]]] = None,
) -> Analysis:
    """Groups articles into stories, finds each story's origin and how every
    other version derives from it: ``retold analyze`` on records.

    Args:
        records: dicts with the JSON Lines fields, a pandas DataFrame or a
            pyarrow Table.
        strict: raise :class:`RetoldError` at the first bad record (the
            default); with ``False`` bad records are skipped and listed in
            :attr:`Analysis.skipped`, as the command line tool does.
        with_text: keep the texts in the article rows and each derived
            version beside its parent (``overview.pairs``), as ``--with-text``.
        name: what records are called in messages (``records: entry 3: …``).
        history: ``(docs, keys, counts)``, the word statistics of ``docs``
            articles published before these that are not given here: each
            key of ``retold._native.history_keys`` and how many of those
            articles hold it. The engine starts from them, so it weighs
            words (document frequencies, rare names) as a run over all the
            articles would (``retold.spark.analyze`` gives each time window
            the statistics of the articles before it).

    Raises:
        RetoldError: a record cannot be read (no text, a field of the wrong
            type); the message names it by its position, counted from 1.

    >>> a = analyze([{"id": "x", "text": "The council met on Tuesday."}])
    >>> a.summary["articles"], len(a.stories)
    (1, 1)
    >>> analyze([{"id": "x"}])
    Traceback (most recent call last):
    ...
    retold.RetoldError: records: entry 1: missing field: text
    """
    data = _native.analyze(
        records_of(records), name=name, strict=strict, with_text=with_text,
        history=None if history is None else (int(history[0]), list(history[1]), list(history[2])),
    )
    return Analysis(json.loads(data))


def compare(a: Union[str, Record], b: Union[str, Record]) -> Dict[str, Any]:
    """How two articles relate: ``retold compare A B --format json`` as a dict
    (verdict, direction and its evidence, aligned passages with their spans
    in both texts, what the derived version changed).

    ``a`` and ``b`` are records (dicts) or texts; a text gets the id ``a`` or
    ``b``.

    >>> r = compare("The mayor closed the bridge on Monday.", "The mayor closed the bridge on Monday.")
    >>> r["verdict"]["relation"]
    'duplicate'
    """
    return json.loads(_native.compare(a, b))


def dedup(
    data: Union[Sequence[str], Records],
    *,
    threshold: float = 0.8,
    sketch: str = "shingles",
    num_perm: int = 128,
    shingle: int = 5,
) -> List[Union[int, str]]:
    """Near-duplicate clusters, as ``retold dedup`` makes them (MinHash,
    banded LSH tuned for 99% recall at the threshold, verification on the
    full signatures, transitive clusters).

    Args:
        data: texts, or records (dicts, a DataFrame or a pyarrow Table).
        threshold: the Jaccard similarity at which two articles are duplicates.
        sketch: ``"shingles"`` (word 5-shingles, the classic) or
            ``"content"`` (content words and numbers: also groups rewrites and
            spun copies; use a lower threshold such as 0.4).
        num_perm: MinHash values per signature.
        shingle: words per shingle.

    Returns:
        One cluster label per input, in order: the label of a cluster is its
        first member's id (as ``retold dedup`` writes ``{"id", "cluster"}``);
        for texts, its position.

    >>> t = "The council voted on Tuesday to close the old harbour bridge for repairs that will take a year."
    >>> dedup([t, t + " Source link", "Stocks rallied in Tokyo after the central bank held rates."], threshold=0.5)
    [0, 0, 2]
    """
    if isinstance(data, (str, bytes)):
        raise TypeError("dedup takes a list of texts or records, not a single text")
    texts_only = isinstance(data, (list, tuple)) and all(isinstance(x, str) for x in data)
    items = list(data) if texts_only else records_of(data)
    ids, clusters = _native.dedup(
        items, threshold=threshold, sketch=sketch, num_perm=num_perm, shingle=shingle
    )
    if texts_only:
        return list(clusters)
    return [ids[c] for c in clusters]


def publication_order(records: Sequence[Any]) -> List[int]:
    """The records' positions in the order a batch places them
    (:func:`analyze`, :meth:`Engine.add_many`): dated ones by time, then
    the undated ones longest text first, then by the text's hash, never in
    input order (so a pile, dated, undated or mixed, gives the same stories
    in any order). :meth:`Engine.add` one record at a time in this order gives
    the batch's stories. Records that cannot be read are left out.

    >>> publication_order([{"id": "a", "text": "Short."},
    ...                    {"id": "b", "text": "A longer text than the first."}])
    [1, 0]
    """
    return _native.publication_order(list(records))


def read(*paths: str, strict: bool = False) -> List[Dict[str, Any]]:
    """Records from files and directories in every format ``retold analyze``
    reads (JSON Lines, text, Markdown, HTML, feeds, WARC, gzip), as dicts
    with the JSON Lines fields, ready for :func:`analyze`, :func:`dedup` or a
    DataFrame. Each record's ``at`` field says where it was read.

    >>> records = read("examples/corpus")  # doctest: +SKIP
    """
    out = json.loads(_native.read([str(p) for p in paths], strict=strict))
    for problem in out["skipped"]:
        _warnings.warn(f"retold: skipped {problem['at']}: {problem['message']}", stacklevel=2)
    return out["records"]


class Engine:
    """Stories kept up to date as articles arrive (the engine of ``retold serve``).

    ``add`` places one article (give them in publication order);
    ``add_many`` takes a batch (sorted into publication order, spread over
    all cores). Both give the same stories as :func:`analyze` on the same
    articles.

    >>> e = Engine()
    >>> e.add({"id": "a", "text": "The council met on Tuesday to vote on the harbour bridge."})
    'a'
    >>> len(e), len(e.stories())
    (1, 1)
    """

    def __init__(self, *, strict: bool = True):
        self._engine = _native.Engine(strict=strict)

    def add(self, record: Record) -> Optional[str]:
        """Adds one article; returns its id as read (a repeated id becomes
        ``id~2``), or ``None`` when it was skipped (``strict=False``)."""
        return self._engine.add(record)

    def add_many(self, records: Records) -> List[str]:
        """Adds a batch of articles; returns their ids as read."""
        return self._engine.add_many(records_of(records))

    def analysis(self) -> Analysis:
        """Everything so far as an :class:`Analysis` (article rows without texts)."""
        return Analysis(json.loads(self._engine.analysis_json()))

    def stories(self) -> List[Dict[str, Any]]:
        """The stories so far, as :attr:`Analysis.stories`."""
        return self.analysis().stories

    def __len__(self) -> int:
        return len(self._engine)
