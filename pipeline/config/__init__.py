"""The configuration language of ``kind.yaml`` and ``bulletin.yaml``: declared, checked, published.

declared.py declares every key once (type, default, meaning); check.py checks a file
against the declarations at its lines; published.py makes the JSON Schema and the
reference page docs/configuration.md from the same declarations; view.py is how the rest of
the program reads a configuration: through the declarations, each default from there.
"""
