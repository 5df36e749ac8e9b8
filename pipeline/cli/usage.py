"""A command line ``bulletin`` cannot understand, told in Chinese like everything else it says.

click words its usage errors in English (“No such option”, “Missing option”…); each is said
again here in Chinese, with click's own words kept after it when it is not one of those known.
The exit code stays click's (2).
"""

from __future__ import annotations

import re

import click

# click's message (as click 8 words it) → the Chinese, filled from the message's named parts
KNOWN = [
    (r"No such option:? '?(?P<name>[^'\s]+?)'?\.?( Did you mean '?(?P<near>[^'?]+)'?\?)?$", "没有选项 {name}{near}"),
    (r"No such command '?(?P<name>[^'\s]+?)'?\.?$", "没有命令 {name}（bulletin --help 列出全部命令）"),
    (r"Missing option '?(?P<name>[^'\s]+?)'?\.?$", "缺少选项 {name}"),
    (r"Missing argument '?(?P<name>[^'\s]+?)'?\.?$", "缺少参数 {name}"),
    (r"Option '?(?P<name>[^'\s]+?)'? requires an argument\.?$", "选项 {name} 后面要写一个值"),
    (r"Got unexpected extra arguments? \((?P<name>.*)\)$", "多余的参数：{name}"),
    (r"Invalid value for '?(?P<name>[^':]+?)'?: (?:File|Path|Directory) '(?P<path>.*)' does not exist\.?$",
     "{name} 给出的 {path} 不存在"),
    (r"Invalid value for '?(?P<name>[^':]+?)'?: '?(?P<value>.*?)'? is not (?:one of|a valid) .*$", "{name} 的值“{value}”无效"),
]
PATTERNS = [(re.compile(pattern, re.S), chinese) for pattern, chinese in KNOWN]


def in_chinese(message: str) -> str:
    """click's usage message in Chinese; an unknown one as click wrote it."""
    for pattern, chinese in PATTERNS:
        found = pattern.match(message.strip())
        if found:
            parts = {k: v or "" for k, v in found.groupdict().items()}
            parts["name"] = parts.get("name", "").replace("[", "").replace("]", "").replace("...", "")
            parts["near"] = f"，是否为 {parts['near']}？" if parts.get("near") else ""
            return chinese.format(**parts)
    return message


class ChineseUsageError(click.UsageError):
    """A usage error shown as 用法… / 错误：…, in Chinese."""

    @classmethod
    def of(cls, error: click.UsageError) -> "ChineseUsageError":
        if isinstance(error, cls):
            return error
        chinese = cls(in_chinese(error.format_message()), error.ctx)
        chinese.exit_code = error.exit_code
        return chinese

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(f"{self.ctx.get_usage()}\n运行 {self.ctx.command_path} --help 查看说明。\n", err=True, color=self.ctx.color)
        click.echo(f"错误：{self.format_message()}", err=True)
