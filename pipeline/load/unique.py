"""Proving a record table's key unique, cheaply where the file allows it.

An exporting system numbers its cases as it registers them (YC9, YC10, YC11 …), so the ids of a
file usually come in order: then one streaming pass shows that each id comes after the one before
it, and a strictly increasing sequence holds no value twice (:func:`keys_in_order`). Otherwise the
ids are grouped by DuckDB's own 64-bit hash (eight bytes an id, whatever the id's length), in one
grouping: beyond the engine's memory DuckDB partitions the grouping by hash and spills the
partitions to disk itself (:func:`repeated_hashes`). (On 100,000,000 ids, writing the hashes out
split by value and grouping each part within memory took 2.5 times the CPU time, and grouping a
stored table of them a range of values at a time was no faster: every pass reads all the hashes
again.)
"""

from __future__ import annotations

import functools

from .engine import ibis_module

ORDER_BATCH = 1 << 20  # keys read at a time while their order is followed


@functools.cache
def key_hash():
    """DuckDB's own 64-bit hash of a text, as an Ibis function (Ibis's ``hash()`` turns each hash
    into a string of bits and back, which takes longer than grouping the hashes)."""
    ibis = ibis_module()
    from ibis.expr import datatypes

    @ibis.udf.scalar.builtin(name="hash", signature=((datatypes.string,), datatypes.uint64))
    def key_hash(value): ...

    return key_hash


def keys_in_order(table, key: str) -> bool:
    """Whether every key of ``table``, in the order the engine streams them, comes after the one
    before it: longer, or as long and later as text (so YC9 before YC10, and 0009 before 0010).
    When so, no key repeats, whatever the order the rows arrive in. One streaming pass, stopped
    at the first key out of order or missing (NULL) (False: the hashes are grouped instead)."""
    return _in_order(table.select(_k=table[key].cast("string")).to_pyarrow_batches(chunk_size=ORDER_BATCH))


def keys_in_order_ahead(table, key: str, engine):
    """:func:`keys_in_order` begun on another thread, on a connection of its own to the embedded
    database, while this one makes the other checks: a future of True, False, or None where it
    could not be followed there (then it is followed here); None for a small table."""
    if not engine.parallel_now:
        return None
    keys = table.select(_k=table[key].cast("string"))
    backend = keys._find_backend()
    backend._run_pre_execute_hooks(keys)  # the in-memory tables it reads registered, as Ibis does
    sql, cursor = backend.compile(keys), engine.connection().cursor()

    def follow():
        try:
            return _in_order(cursor.execute(sql).to_arrow_reader(ORDER_BATCH))
        except Exception:  # duckdb.Error: a table only this build's connection sees (a temporary one)
            return None
        finally:
            cursor.close()

    return engine.ahead(follow)


def _in_order(batches) -> bool:
    """Whether the keys of a stream of one-column batches come each after the one before it."""
    last = None  # the key before the batch, as bytes
    try:
        for batch in batches:
            keys = batch.column(0)
            if not len(keys):
                continue
            if keys.null_count or not _increasing(keys) or (last is not None and not _before(last, keys[0].as_py().encode())):
                return False
            last = keys[len(keys) - 1].as_py().encode()
    finally:
        batches.close()
    return True


def _before(a: bytes, b: bytes) -> bool:
    """Whether key ``a`` comes before key ``b``: shorter, or as long and lower as bytes."""
    return (len(a), a) < (len(b), b)


def _increasing(keys) -> bool:
    """Whether each key of an Arrow array is after the one before it (:func:`_before`), compared
    in Arrow."""
    import pyarrow.compute as pc

    if len(keys) < 2:
        return True
    lengths = pc.binary_length(keys)
    before, after = lengths.slice(0, len(keys) - 1), lengths.slice(1)
    later = pc.less(keys.slice(0, len(keys) - 1), keys.slice(1))
    return pc.all(pc.or_(pc.less(before, after), pc.and_(pc.equal(before, after), later))).as_py()


def repeated_hashes(table, key: str):
    """The hashes of ``table[key]`` that repeat, as an Ibis table of one column ``_h``; None when
    none does (then no key repeats)."""
    hashes = table.select(_h=key_hash()(table[key].cast("string")))
    grouped = hashes.group_by("_h").aggregate(_n=hashes.count())
    repeating = grouped.filter(grouped._n > 1).select("_h")
    return repeating if repeating.count().to_pyarrow().as_py() else None
