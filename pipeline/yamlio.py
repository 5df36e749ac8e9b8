"""YAML parsing for configuration, with libyaml's C parser where PyYAML has it (10× faster)."""

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def parse_yaml(text: str):
    """The data of a YAML document (safe subset: no Python objects)."""
    return yaml.load(text, Loader=Loader)
