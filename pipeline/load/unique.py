"""The hashes of a record table's key that repeat: the first, cheap half of proving the key unique.

The ids are grouped by DuckDB's own 64-bit hash (eight bytes an id, whatever the id's length),
in one grouping: beyond the engine's memory DuckDB partitions the grouping by hash and spills
the partitions to disk itself. (On 100,000,000 ids, writing the hashes out split by value and
grouping each part within memory took 2.5 times the CPU time, and grouping a stored table of
them a range of values at a time was no faster: every pass reads all the hashes again.)
"""

from __future__ import annotations

import functools

from .engine import ibis_module


@functools.cache
def key_hash():
    """DuckDB's own 64-bit hash of a text, as an Ibis function (Ibis's ``hash()`` turns each hash
    into a string of bits and back, which takes longer than grouping the hashes)."""
    ibis = ibis_module()
    from ibis.expr import datatypes

    @ibis.udf.scalar.builtin(name="hash", signature=((datatypes.string,), datatypes.uint64))
    def key_hash(value): ...

    return key_hash


def repeated_hashes(table, key: str):
    """The hashes of ``table[key]`` that repeat, as an Ibis table of one column ``_h``; None when
    none does (then no key repeats)."""
    hashes = table.select(_h=key_hash()(table[key].cast("string")))
    grouped = hashes.group_by("_h").aggregate(_n=hashes.count())
    repeating = grouped.filter(grouped._n > 1).select("_h")
    return repeating if repeating.count().to_pyarrow().as_py() else None
