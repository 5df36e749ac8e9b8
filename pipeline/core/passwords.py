"""Passwords never leave the machine: found in connection strings, stripped from every message.

A PostgreSQL connection may be written as a URL (``postgresql://user:pw@host/db``), as libpq's
``key=value`` string (``host=h password=pw``), or spread over the ``PG*`` environment
variables, any of which (``PGDATABASE`` too) may itself hold such a string. A password is
allowed in the environment or ~/.pgpass only: configuration files are committed and their
text, like every message, reaches CI logs. :func:`scrubbed` is applied where a problem is
shown, so a driver's error that repeats the connection string shows *** instead.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, urlsplit

HIDDEN = "***"
_URL = re.compile(r"\b(postgres(?:ql)?|jdbc:postgresql|[a-z][a-z0-9+.-]*)://([^\s/@:]*):([^\s@]+)@", re.I)
_URL_QUERY = re.compile(r"([?&](?:password|passwd|pwd)=)[^&\s]*", re.I)
_KEYWORD = re.compile(r"\b(password|passwd|pwd)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", re.I)
SECRET_VARIABLES = ("PGPASSWORD", "PGSERVICEFILE", "PGPASSFILE")  # values never shown
CONNECTION_VARIABLES = ("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "DATABASE_URL")


def password_in(text: str) -> bool:
    """Whether ``text`` carries a password: a URL with ``user:pw@`` or ``?password=``, or ``password=…``."""
    if not isinstance(text, str):
        return False
    return bool(_URL.search(text) or _URL_QUERY.search(text) or _KEYWORD.search(text))


def without_password(text: str) -> str:
    """``text`` with every password in it written as ***."""
    text = _URL.sub(lambda m: f"{m.group(1)}://{m.group(2)}:{HIDDEN}@", text)
    text = _URL_QUERY.sub(lambda m: m.group(1) + HIDDEN, text)
    return _KEYWORD.sub(lambda m: f"{m.group(1)}={HIDDEN}", text)


def environment_secrets(environ=None) -> list[str]:
    """Values in the environment that must never be printed: passwords, and the password inside
    any connection string a PG* variable holds."""
    environ = os.environ if environ is None else environ
    found = [environ[name] for name in SECRET_VARIABLES if environ.get(name)]
    for name in CONNECTION_VARIABLES:
        found += _embedded(environ.get(name) or "")
    return [value for value in found if len(value) >= 3]  # too short to find safely is not searched for


def _embedded(text: str) -> list[str]:
    """The passwords written inside one connection string, URL or key=value."""
    found = [m.group(3) for m in _URL.finditer(text)]
    found += [m.group(2).strip("'") for m in _KEYWORD.finditer(text)]
    if "://" in text and "?" in text:
        found += [v for k, v in parse_qsl(urlsplit(text).query) if k.lower() in ("password", "passwd", "pwd")]
    return found


def scrubbed(text: str, environ=None) -> str:
    """``text`` as it may be shown: passwords in connection strings and the environment's secrets hidden."""
    text = without_password(text)
    for secret in sorted(environment_secrets(environ), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text
