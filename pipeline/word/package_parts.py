"""The parts of a document's Word package: a document started from a template parsed once,
and the bytes of its parts, taken once.

A document starts from the parsed template with its own copy of every part a render or a pass
may change (the main document part, headers and footers, settings, properties, font table …:
lxml copies each XML part's tree, which is cheap) and shares the template's styles part, the one
large part, which a document changes only when a pass adds an optional style: that change is made
once per process on a copy of the styles which every document making it then shares
(:func:`change_styles`); a pass changing the styles otherwise asks for its own copy first
(:func:`own_styles`). A shared part's bytes are serialised once.

After the last pass the bytes of every XML part are taken once (:func:`seal`); the digest of the
document and the zip writer both read them (:func:`part_bytes`), and what comes after the passes
may only add parts or change parts that are not XML (the record of the build, custom XML).
"""

from __future__ import annotations

import hashlib
import weakref
from copy import deepcopy

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.package import Package
from docx.parts.styles import StylesPart

from .opener import open_word

# part shared by every document started from its template → its bytes, serialised once
_shared: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
# shared part → the SHA-256 digest of its bytes
_shared_sha: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
# shared part → {name: a value computed from it}
_derived: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
# package → {XML part: its bytes} taken after the last pass
_sealed: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def parsed_template(data: bytes, name: str):
    """The python-docx document of the template ``data``, its shared parts' bytes serialised once;
    WordFileError naming ``name`` if it is no Word document (word/opener.py, as for any file)."""
    template = open_word(data, name)
    for part in template.part.package.iter_parts():
        if _is_shared(part):
            _shared[part] = part.blob
    return template


def _is_shared(part) -> bool:
    """The styles, the one large part, unless it relates to other parts (which are copied)."""
    return isinstance(part, StylesPart) and not len(part.rels)


def started_from(template):
    """A new python-docx document with the content of ``template`` (from :func:`parsed_template`),
    which it never changes: own copies of its parts, the styles shared."""
    source = template.part.package
    package = Package()
    copies = {part: part if part in _shared else _copy(part, package) for part in source.iter_parts()}
    _copy_rels(source, package, copies)
    for part, copied in copies.items():
        if copied is not part:
            _copy_rels(part, copied, copies)
    package.after_unmarshal()  # the image parts, as opening a file gathers them
    return copies[template.part].document


def _copy(part, package):
    if isinstance(part, XmlPart):
        return type(part)(part.partname, part.content_type, deepcopy(part.element), package)
    return type(part).load(part.partname, part.content_type, part.blob, package)


def _copy_rels(source, target, copies: dict) -> None:
    """``source``'s relationships on ``target``, in order, to the copies of their parts."""
    for rel in source.rels.values():
        destination = rel.target_ref if rel.is_external else copies[rel.target_part]
        target.load_rel(rel.reltype, destination, rel.rId, rel.is_external)


def own_styles(document) -> None:
    """The document's styles part its own (a copy of the shared one) before a pass changes it."""
    rel = _shared_styles(document)
    if rel is not None:
        _point(document, rel, _styles_copy(rel.target_part, document.part.package))


def change_styles(document, change: str, make) -> None:
    """``make()``, which makes the change named ``change`` to ``document``'s styles and nothing
    else, the same for every document: made on shared styles once per process, on a copy of them
    that every document making the same change then shares."""
    rel = _shared_styles(document)
    if rel is None:
        make()
        return
    made = _changes_made(rel.target_part)
    if change in made:
        _point(document, rel, made[change])
        return
    styles = _styles_copy(rel.target_part, rel.target_part.package)
    _point(document, rel, styles)
    make()
    _shared[styles] = styles.blob
    made[change] = styles


def _changes_made(styles) -> dict:
    """{name of a change: the shared styles with it made} of the shared ``styles`` (kept on the
    part itself, so that they go with their template)."""
    if not hasattr(styles, "changes_made"):
        styles.changes_made = {}
    return styles.changes_made


def _shared_styles(document):
    """The relationship of ``document`` to the shared styles part it uses, if it uses one."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.STYLES and not rel.is_external and rel.target_part in _shared:
            return rel
    return None


def _styles_copy(styles, package):
    return StylesPart(styles.partname, styles.content_type, deepcopy(styles.element), package)


def _point(document, rel, part) -> None:
    rel._target = part
    document.part.rels._target_parts_by_rId[rel.rId] = part


def is_shared(part) -> bool:
    """Whether ``part`` is a template's part shared by the documents started from it."""
    return part in _shared


def seal(document) -> None:
    """Take the bytes of every XML part of ``document`` now, once: nothing changes them after."""
    package = document.part.package
    _sealed[package] = {part: part_bytes(part) for part in package.iter_parts() if isinstance(part, XmlPart)}


def part_bytes(part) -> bytes:
    """The bytes of ``part`` as written: taken once if shared or sealed, else serialised now."""
    if part in _shared:
        return _shared[part]
    sealed = _sealed.get(part.package) if part.package is not None else None
    if sealed is not None and part in sealed:
        return sealed[part]
    return part.blob


def derived_once(part, name: str, compute):
    """``compute(part)``: for a shared part, whose content never changes, computed once (under
    ``name``) and kept with the part; for any other part, computed each time."""
    if part not in _shared:
        return compute(part)
    values = _derived.setdefault(part, {})
    if name not in values:
        values[name] = compute(part)
    return values[name]


def part_sha256(part) -> bytes:
    """The SHA-256 digest of :func:`part_bytes` of ``part``, taken once for a shared part."""
    if part in _shared:
        if part not in _shared_sha:
            _shared_sha[part] = hashlib.sha256(_shared[part]).digest()
        return _shared_sha[part]
    return hashlib.sha256(part_bytes(part)).digest()


def unseal(document) -> None:
    """Forget the bytes taken of ``document`` (it has been written)."""
    _sealed.pop(document.part.package, None)


def changed_since_sealed(document) -> list[str]:
    """The XML parts of ``document`` whose content differs from the bytes :func:`seal` took."""
    sealed = _sealed.get(document.part.package, {})
    return [str(part.partname) for part, data in sealed.items() if part.blob != data]


def shared_parts_changed() -> list[str]:
    """The shared parts of the templates parsed in this process whose content differs from the
    bytes serialised when the template was parsed (nothing may change them)."""
    return [str(part.partname) for part, data in list(_shared.items()) if part.blob != data]
