"""The configuration read through its declarations, as Sphinx's ``Config`` is: every key asked
for is one config/declared.py declares, and a key neither file writes answers its declared
default, however deep it sits::

    config.value("numbers.percent_places")            # 2 unless kind.yaml or bulletin.yaml says
    config.section("notices").value("folder")         # 整改通知
    for annex in config.items("annexes"):             # each annex read by its own type's record
        annex.value("unit_header")                    # 单位

A key the declarations do not have is a programming error, raised at once (UndeclaredSetting):
code cannot read a setting no file could write, nor restate a default the declarations hold.
"""

from __future__ import annotations

import copy

from ..core.errors import ProgramFault
from .declared import SETTINGS
from .types import NO_DEFAULT, Anything, Key, ListOf, MapOf, OneOf, Record, Variant

MAPPINGS = (Record, Variant, MapOf)


class UndeclaredSetting(ProgramFault):
    """Code asked for a configuration key that config/declared.py does not declare."""


def declared_type(kind, data):
    """The type that declares ``data``: a Variant's record chosen by its key, a OneOf's option by
    the shape of ``data`` (a mapping, a list, a single value; nothing: the first mapping or list)."""
    if isinstance(kind, OneOf):
        return declared_type(_option(kind, data), data)
    if isinstance(kind, Variant):
        chosen = data.get(kind.on, kind.default) if isinstance(data, dict) else kind.default
        return kind.variants.get(str(chosen)) or _any_variant(kind)
    return kind


def _option(kind: OneOf, data):
    if isinstance(data, dict):
        wanted = MAPPINGS
    elif isinstance(data, list):
        wanted = (ListOf,)
    elif data is None:
        wanted = (*MAPPINGS, ListOf)
    else:
        return next((o for o in kind.options if not isinstance(o, (*MAPPINGS, ListOf))), kind.options[0])
    return next((o for o in kind.options if isinstance(o, wanted)), kind.options[0])


def _any_variant(kind: Variant) -> Record:
    """A record with the keys of every variant, for a mapping whose variant cannot be told."""
    return Record({name: key for record in kind.variants.values() for name, key in record.keys.items()})


def empty_of(kind):
    """What a key with no declared default answers when no file writes it: an empty mapping or
    list for one of those, else None."""
    kind = _option(kind, None) if isinstance(kind, OneOf) and isinstance(kind.options[0], (*MAPPINGS, ListOf)) else kind
    if isinstance(kind, MAPPINGS):
        return {}
    return [] if isinstance(kind, ListOf) else None


class Settings:
    """A view of one mapping of the configuration, read by the type that declares it."""

    def __init__(self, data, kind, where: str = "", given: bool | None = None):
        self._data = data
        self._kind = declared_type(kind, data)
        self._where = where
        self._given = data is not None if given is None else given  # written in a file (not a default)

    def __repr__(self) -> str:
        return f"Settings({self._where or '<top>'}: {self._data!r})"

    @property
    def as_written(self):
        """This mapping as the files write it, no default filled in below it (a key no file writes:
        its declared default): for what reads it whole, such as a section's statement tree."""
        return self._data

    def value(self, path: str):
        """The value at the dotted ``path``: as written, else its declared default (else empty)."""
        *parents, name = path.split(".")
        view = self.section(".".join(parents)) if parents else self
        return view._value(name)

    def given(self, path: str = "") -> bool:
        """Whether a file writes the key at ``path``, if only as ``key:`` with nothing after it
        (this mapping itself, when no path: whether it is written as a mapping)."""
        if not path:
            return self._given
        *parents, name = path.split(".")
        view = self.section(".".join(parents)) if parents else self
        view._key(name)
        return view._written(name)

    def section(self, path: str) -> Settings:
        """A view of the mapping (a record, or one entry of a map) at the dotted ``path``."""
        view = self
        for name in path.split(".") if path else ():
            view = view.entry(name)
        return view

    def entry(self, name: str) -> Settings:
        """A view of the key ``name`` of this mapping (a map's key may hold a dot)."""
        key = self._key(name)
        return Settings(self._value(name), key.type, self._at(name), self._written(name))

    def items(self, path: str = "") -> list:
        """The entries at ``path``, each a view: for a list, [view, …]; for a map, [(key, view), …]."""
        view = self.section(path)
        kind, data = view._kind, view._data
        if isinstance(kind, ListOf):
            return [Settings(item, kind.item, f"{view._where}[{i}]") for i, item in enumerate(data or [])]
        if isinstance(kind, MapOf):
            return [(key, Settings(item, kind.value, view._at(str(key)))) for key, item in (data or {}).items()]
        raise UndeclaredSetting(f"{view._where or '配置'} is declared as {kind.name}, not a list or a map")

    def _value(self, name: str):
        key = self._key(name)
        given = self._data.get(name) if isinstance(self._data, dict) else None
        if given is not None:
            return given
        return copy.deepcopy(key.default) if key.default is not NO_DEFAULT else empty_of(key.type)

    def _written(self, name: str) -> bool:
        return isinstance(self._data, dict) and name in self._data

    def _key(self, name: str) -> Key:
        kind = self._kind
        if isinstance(kind, MapOf):
            return Key(kind.value, kind.key_meaning)
        if isinstance(kind, Record) and name in kind.keys:
            return kind.keys[name]
        if isinstance(kind, Anything) or isinstance(kind, Record) and kind.open:
            return Key(Anything(), name)
        raise UndeclaredSetting(f"{self._at(name)} is not declared in pipeline/config/declared.py")

    def _at(self, name: str) -> str:
        return f"{self._where}.{name}" if self._where else name


def bulletin_view(settings: dict) -> Settings:
    """A bulletin's merged settings (kind.yaml under bulletin.yaml) read through their declarations."""
    return Settings(settings, SETTINGS)
