"""The hashes of a record table's key that repeat: the first, cheap half of proving the key unique.

A province's year holds 100,000,000 case ids; grouping them all at once outgrows the embedded
database's memory, and DuckDB then spills the grouping to disk and reads it back, which takes
longer than the grouping itself. The ids are therefore hashed once (DuckDB's own 64-bit hash,
eight bytes an id), and the hashes grouped a range of hash values at a time, each range holding
about :data:`PASS_ROWS` of them: every pass fits in memory, and only hashes that repeat come back.
A table of fewer rows is grouped in one pass, with nothing stored.
"""

from __future__ import annotations

import functools

from .engine import Engine, ibis_module

PASS_ROWS = 16_000_000  # hashes grouped in one pass (about 400 MB of DuckDB's hash table)
HASH_SPACE = 1 << 64


@functools.cache
def key_hash():
    """DuckDB's own 64-bit hash of a text, as an Ibis function (Ibis's ``hash()`` turns each hash
    into a string of bits and back, which takes longer than grouping the hashes)."""
    ibis = ibis_module()
    from ibis.expr import datatypes

    @ibis.udf.scalar.builtin(name="hash", signature=((datatypes.string,), datatypes.uint64))
    def key_hash(value): ...

    return key_hash


def _repeating(hashes):
    """The values of ``hashes._h`` that occur more than once."""
    grouped = hashes.group_by("_h").aggregate(_n=hashes.count())
    return grouped.filter(grouped._n > 1).select("_h")


def _ranges(passes: int) -> list[tuple[int, int]]:
    """``passes`` ranges of hash values (first, last) covering all of them."""
    width = HASH_SPACE // passes
    return [(p * width, HASH_SPACE - 1 if p == passes - 1 else (p + 1) * width - 1) for p in range(passes)]


def repeated_hashes(table, key: str, rows: int, engine: Engine):
    """The hashes of ``table[key]`` that repeat, as an Ibis table of one column ``_h``; None when
    none does (then no key repeats)."""
    digest = key_hash()(table[key].cast("string"))
    passes = -(-rows // PASS_ROWS)
    if passes <= 1:
        repeating = _repeating(table.select(_h=digest))
        return repeating if repeating.count().to_pyarrow().as_py() else None
    return _repeated_by_range(engine.materialise("hashes", table.select(_h=digest)), passes, engine)


def _repeated_by_range(hashes, passes: int, engine: Engine):
    """The repeating hashes of a stored table of them, grouped a range at a time."""
    import pyarrow as pa

    ibis = ibis_module()
    found = []
    for first, last in _ranges(passes):
        part = hashes.filter(hashes._h.between(ibis.literal(first, "uint64"), ibis.literal(last, "uint64")))
        found.append(_repeating(part).to_pyarrow())
    engine.drop(hashes.get_name())
    repeating = pa.concat_tables(found)
    return engine.upload("repeating", repeating) if repeating.num_rows else None
