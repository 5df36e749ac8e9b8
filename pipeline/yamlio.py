"""YAML parsing for configuration, with libyaml's C parser where PyYAML has it (10× faster).

Aliases (``*name``) share one object, so a small file can describe an enormous tree (a
"billion laughs"): anything that walks it afterwards would take all memory or hang. A
document with anchors is therefore first measured as the tree its aliases make, and
refused past MAX_EXPANDED_NODES, naming the line of the repeated anchor.
"""

import re

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError
MAX_EXPANDED_NODES = 200_000  # a registry of 1,000 units is about 10,000
_ANCHOR = re.compile(r"&[^\s]")


class YAMLLimitError(yaml.MarkedYAMLError):
    """A document within YAML's rules but beyond what configuration may hold."""


def _expanded_size(node, sizes: dict, uses: dict) -> int:
    """Nodes in the tree under ``node`` with every alias written out (each node measured once)."""
    key = id(node)
    uses[key] = uses.get(key, 0) + 1
    if key in sizes:
        return sizes[key][0]
    sizes[key] = (1, node)  # a node inside itself (a recursive alias) counts once
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


def parse_yaml(text: str):
    """The data of a YAML document (safe subset: no Python objects); YAMLLimitError past the limits."""
    if _ANCHOR.search(text):
        _check_aliases(text)
    try:
        return yaml.load(text, Loader=Loader)
    except RecursionError:
        raise YAMLLimitError(problem="嵌套层次过深（列表或映射套了成千上万层）") from None
