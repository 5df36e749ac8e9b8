"""requirements.lock pins every dependency, one version each for Python 3.10–3.13, and the suite runs on it."""

from __future__ import annotations

import sys
from importlib import metadata

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the lock pins tomli for 3.10
    import tomli as tomllib

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

LOCK = ROOT / "requirements.lock"


def pins() -> dict[str, list[tuple[str, str]]]:
    """Package → [(version, environment marker)] as the lock file lists them."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", line
            found.setdefault(canonicalize_name(requirement.name), []).append((spec.version, str(requirement.marker or "")))
    return found


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]


def test_every_declared_dependency_is_pinned_and_within_its_range():
    locked = pins()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} 不在 requirements.lock 中：改了 pyproject.toml 后请运行 make lock"
        for version, _ in locked[name]:
            assert requirement.specifier.contains(version, prereleases=True), f"{name}=={version} 不满足 {requirement}"


def test_one_version_of_each_package_for_every_python():
    """The same bytes on 3.10 and 3.13 start with the same libraries: no package pinned twice."""
    assert {name: versions for name, versions in pins().items() if len(versions) > 1} == {}


def test_the_suite_runs_on_the_pinned_versions():
    wrong = {}
    for name, versions in pins().items():
        for version, marker in versions:
            if marker and not Marker(marker).evaluate():
                continue
            try:
                installed = metadata.version(name)
            except metadata.PackageNotFoundError:
                installed = None
            if installed != version:
                wrong[name] = (installed, version)
    assert wrong == {}, f"已安装的版本与 requirements.lock 不同（已装, 锁定）：{wrong}；请运行 pip install -r requirements.lock"
