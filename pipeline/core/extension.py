"""The one way an extension point (rule check, figure derivation, format rule) registers its members:
a name taken twice is refused, naming both modules."""

from __future__ import annotations

from .errors import BulletinError


class DuplicateExtension(BulletinError, ValueError):
    """Two modules registered the same name at one extension point."""


class Extensions(dict):
    """Registered members of one extension point, by name; each remembers the module it came from."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind  # 规则检查 / 计算方法 / 格式规则
        self.modules: dict[str, str] = {}

    def register(self, name: str, member, module: str) -> None:
        if name in self:
            raise DuplicateExtension(f"{self.kind}“{name}”重复登记：{self.modules[name]} 与 {module}")
        self[name] = member
        self.modules[name] = module
