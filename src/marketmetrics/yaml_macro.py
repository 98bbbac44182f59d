"""A plain YAML file as a dbt macro returning its text: dbt's Jinja cannot open a file.

The metric catalog (catalog.py) and the raw contract (contract.py) are YAML files that Python
reads; dbt reads the macro rendered from each, committed beside the other macros, and a test
per file fails when the committed macro is stale.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_JINJA = ("{{", "{%", "{#", "%}", "#}")


def yaml_macro(path: Path, macro: str, header: str, tail: str = "") -> str:
    """The macro file: `header` (a Jinja comment), `macro()` returning the file's text, `tail`."""
    text = Path(path).read_text(encoding="utf-8")
    for jinja in _JINJA:
        if jinja in text:
            raise ValueError(f"{path}: Jinja delimiter {jinja!r} in the YAML would break dbt")
    yaml.safe_load(text)  # fail here, with PyYAML's line number, rather than in dbt
    return (
        f"{header}\n"
        f"{{% macro {macro}() -%}}\n"
        "{% set yaml_text %}\n"
        f"{text.rstrip()}\n"
        "{% endset %}\n"
        "{{ return(yaml_text) }}\n"
        "{%- endmacro %}\n"
        f"{tail}"
    )


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` to `path` unless it already holds it; True when it changed."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
