"""Type stubs of the Rust extension ``retold._native`` (built by maturin from
``crates/retold-py/src/lib.rs``). Use the wrappers in :mod:`retold`; these
functions take plain lists and hand back JSON text."""

from typing import Any, List, Optional, Sequence, Tuple

__version__: str

class RetoldError(ValueError):
    """A record retold cannot read; the message names it
    (``records: entry 3: missing field: text``)."""

def analyze(
    records: Sequence[Any],
    name: str = "records",
    strict: bool = True,
    with_text: bool = False,
    history: Optional[Tuple[int, Sequence[int], Sequence[int]]] = None,
) -> str:
    """The analysis of ``records`` (dicts or texts) as ``retold analyze --format json`` writes it;
    ``history=(docs, keys, counts)``: word statistics of articles placed before them."""

def history_keys(records: Sequence[Any]) -> List[Optional[List[int]]]:
    """Each record's keys of the engine's word statistics (content terms below 2^32, names and
    numbers 2^32 + the hash), sorted; None for a record that cannot be read."""

def compare(a: Any, b: Any) -> str:
    """``retold compare --format json`` of two records or texts."""

def dedup(
    records: Sequence[Any],
    threshold: float = 0.8,
    sketch: str = "shingles",
    num_perm: int = 128,
    shingle: int = 5,
) -> Tuple[List[str], List[int]]:
    """Each record's id and the position of its cluster's first member."""

def sketch_bands(
    texts: Sequence[str],
    languages: Optional[Sequence[Optional[str]]] = None,
    threshold: float = 0.8,
    sketch: str = "shingles",
    num_perm: int = 128,
    shingle: int = 5,
    min_candidate_recall: float = 0.99,
) -> List[Tuple[List[int], List[int]]]:
    """Per text: its LSH band keys (signed 64-bit) and MinHash signature
    (empty for a text without words)."""

def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """The Jaccard similarity two signatures of ``sketch_bands`` estimate."""

def read(paths: Sequence[str], strict: bool = False) -> str:
    """``{"records", "skipped", "warnings"}`` of files read as ``retold analyze`` reads them."""

def published(records: Sequence[Any]) -> List[Optional[int]]:
    """Each record's publication time as the engine reads it, in seconds since 1970 (None: undated or unreadable)."""

def publication_order(records: Sequence[Any]) -> List[int]:
    """The records' positions in the order a batch places them (undated ones longest first, never input order)."""

class Engine:
    def __init__(self, strict: bool = True) -> None: ...
    def add(self, record: Any) -> Optional[str]: ...
    def add_many(self, records: Sequence[Any]) -> List[str]: ...
    def analysis_json(self) -> str: ...
    def __len__(self) -> int: ...
