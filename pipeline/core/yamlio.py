"""YAML parsing for configuration, with libyaml's C parser where PyYAML has it (10× faster).

Aliases (``*name``) share one object, so a small file can describe an enormous tree (a
"billion laughs"): anything that walks it afterwards would take all memory or hang. A
document with anchors is therefore first measured as the tree its aliases make, and
refused past MAX_EXPANDED_NODES, naming the line of the repeated anchor.

A mapping's keys are names: a key written twice is refused at its second line (YAML
itself would keep the last silently), and so is a key YAML reads as something other than
text (``~``, ``true``/``no``, ``1.5``, a date, a list). A plain whole number (``2027:``) is
read as its text, so ``1:`` and ``'1':`` are the same key and meet as a repetition.
"""

import re

import yaml

from .errors import BulletinError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError
MAX_EXPANDED_NODES = 200_000  # a registry of 1,000 units is about 10,000
_ANCHOR = re.compile(r"&[^\s]")


class YAMLLimitError(BulletinError, yaml.MarkedYAMLError):
    """A document within YAML's rules but beyond what configuration may hold."""

    heading = "YAML 内容超出限制"


class YAMLKeyError(BulletinError, yaml.MarkedYAMLError):
    """A mapping key written twice or not text, or a date that is no day of the calendar."""

    heading = "YAML 内容有误"


_MERGE = "tag:yaml.org,2002:merge"
_KEY_KINDS = {
    "tag:yaml.org,2002:null": "空值（~ 或 null）",
    "tag:yaml.org,2002:bool": "真假值（YAML 把 yes/no/true/false/on/off 读作真假）",
    "tag:yaml.org,2002:float": "小数",
    "tag:yaml.org,2002:timestamp": "日期",
}


class _ConfigLoader(Loader):
    """The safe loader, with mapping keys that must be distinct text."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        own = [pair for pair in node.value if pair[0].tag != _MERGE]
        _refuse_repeated([self.key_text(key_node) for key_node, _ in own], own)
        self.flatten_mapping(node)  # merged keys (<<) come first; the mapping's own override them
        return {self.key_text(k): self.construct_object(v, deep=deep) for k, v in node.value}

    def construct_yaml_timestamp(self, node):
        """A date as written (2024-06-12); one that is no day of the calendar (2027-02-30) refused at its line."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise YAMLKeyError(problem=f"“{node.value}”不是有效的日期（该月没有这一天，或月份不在 1～12）", problem_mark=node.start_mark) from None

    def key_text(self, node) -> str:
        """A key as its text; refused at its line unless it is text or a whole number."""
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            return node.value
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
            return str(self.construct_yaml_int(node))
        raise _not_text(node)


def _not_text(node) -> YAMLKeyError:
    kind = _KEY_KINDS.get(node.tag, "列表或映射" if not isinstance(node, yaml.ScalarNode) else node.tag)
    if not isinstance(node, yaml.ScalarNode):
        return YAMLKeyError(problem=f"键被读作{kind}，键应为文字", problem_mark=node.start_mark)
    return YAMLKeyError(
        problem=f"键“{node.value}”被读作{kind}，键应为文字；如确是此名，请加引号（\"{node.value}\":）",
        problem_mark=node.start_mark,
    )


def _refuse_repeated(keys: list[str], pairs: list) -> None:
    first_line: dict[str, int] = {}
    for key, (key_node, _) in zip(keys, pairs):
        if key in first_line:
            raise YAMLKeyError(
                problem=f"键“{key}”重复（第{first_line[key]}行已有），YAML 只会保留后一个；请删去一个或改名",
                problem_mark=key_node.start_mark,
            )
        first_line[key] = line_of(key_node)


def _expanded_size(node, sizes: dict, uses: dict) -> int:
    """Nodes in the tree under ``node`` with every alias written out (each node measured once)."""
    key = id(node)
    uses[key] = uses.get(key, 0) + 1
    if key in sizes:
        if sizes[key][0] is None:  # still being measured: the node holds an alias of itself
            raise YAMLLimitError(problem="别名（*）引用了包含它自己的锚点（&），内容无穷嵌套", problem_mark=node.start_mark)
        return sizes[key][0]
    sizes[key] = (None, node)
    total = 1
    if isinstance(node, yaml.MappingNode):
        total += sum(_expanded_size(k, sizes, uses) + _expanded_size(v, sizes, uses) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        total += sum(_expanded_size(item, sizes, uses) for item in node.value)
    sizes[key] = (total, node)
    return total


def _check_aliases(text: str) -> None:
    root = yaml.compose(text, Loader=Loader)
    if root is None:
        return
    sizes, uses = {}, {}
    total = _expanded_size(root, sizes, uses)
    if total <= MAX_EXPANDED_NODES:
        return
    size, node = max((sizes[k] for k in uses if uses[k] > 1), key=lambda pair: pair[0] * uses[id(pair[1])])
    raise YAMLLimitError(
        problem=f"别名（*）展开后共有 {total:,} 项，超过上限 {MAX_EXPANDED_NODES:,}；"
        f"此处的锚点（&）被别名引用 {uses[id(node)] - 1} 次，每次展开 {size:,} 项",
        problem_mark=node.start_mark,
    )


def line_of(node) -> int:
    """The line (1-based, as an editor numbers it) a node starts on."""
    return node.start_mark.line + 1


def key_lines(document) -> dict[tuple[str, ...], int]:
    """The line of every key of a YAML document's mappings, nested keys by their path
    (``("document", "doc_number")``); ``document`` is its text or its composed root node.
    Text YAML cannot read, or beyond the limits :func:`parse_yaml` refuses, gives none."""
    try:
        if isinstance(document, str) and _ANCHOR.search(document):
            _check_aliases(document)
        root = yaml.compose(document, Loader=Loader) if isinstance(document, str) else document
        lines: dict[tuple[str, ...], int] = {}
        _walk_keys(root, (), lines)
    except (yaml.YAMLError, RecursionError):
        return {}
    return lines


def _walk_keys(node, prefix: tuple, lines: dict) -> None:
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        if isinstance(key, yaml.ScalarNode) and prefix + (key.value,) not in lines:  # an alias met again: walked once
            lines[prefix + (key.value,)] = line_of(key)
            _walk_keys(value, prefix + (key.value,), lines)


def parse_yaml(text: str):
    """The data of a YAML document (safe subset: no Python objects); YAMLLimitError past the limits."""
    if _ANCHOR.search(text):
        _check_aliases(text)
    try:
        return yaml.load(text, Loader=_ConfigLoader)
    except RecursionError:
        raise YAMLLimitError(problem="嵌套层次过深（列表或映射套了成千上万层）") from None


def text_line(node) -> int:
    """The line (1-based) a value is written on: for a ``>-`` or ``|`` block, its first line of text."""
    return line_of(node) + (1 if getattr(node, "style", None) in (">", "|") else 0)


def scalar_places(text: str) -> dict[str, tuple[int, int]]:
    """(line, column), 1-based, of every text value of a YAML document (the first, for one written twice)."""
    places: dict[str, tuple[int, int]] = {}
    nodes = [yaml.compose(text, Loader=Loader)]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            places.setdefault(node.value, (text_line(node), node.start_mark.column + 1))
        elif isinstance(node, yaml.MappingNode):
            nodes += [v for pair in reversed(node.value) for v in reversed(pair)]
        elif isinstance(node, yaml.SequenceNode):
            nodes += list(reversed(node.value))
    return places


_ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", _ConfigLoader.construct_yaml_timestamp)
