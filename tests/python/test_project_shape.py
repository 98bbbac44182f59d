"""The project's shape, read from its files (no database): every model ends by selecting from
one of its own named CTEs, every public macro has a header saying what it returns with a worked
example, no macro reads raw code or keeps state between calls, and every model of the metric
engine declares its grain in its YAML."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]
MODELS = PROJECT / "models"
MACROS = PROJECT / "macros"

JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
SQL_LINE_COMMENT = re.compile(r"--[^\n]*")
MACRO_START = re.compile(r"\{%-?\s*macro\s+(\w+)\s*\(")
MACRO_END = re.compile(r"\{%-?\s*endmacro\s*-?%\}")
# Dispatch implementations: the dispatching macro carries the example.
ENGINE_IMPLEMENTATION = re.compile(r"^(default|duckdb|postgres|spark)__")

# Models of models/metrics with no grain test, and why.
NO_GRAIN_TEST = {
    "int_metric_fact_footprints": "a date appears twice when two of a key's date columns agree",
    "int_metric_date_bounds": "one row",
}
GRAIN_RULES = {"unique", "primary_key"}


def _relative(path: Path) -> str:
    return str(path.relative_to(PROJECT))


def _macros() -> Iterator[tuple[Path, str, str, str]]:
    """(file, macro name, the text before the macro, the macro's own text) of every macro."""
    for path in sorted(MACROS.rglob("*.sql")):
        text = path.read_text(encoding="utf-8")
        for start in MACRO_START.finditer(text):
            end = MACRO_END.search(text, start.end())
            assert end, f"{_relative(path)}: macro {start.group(1)} has no endmacro"
            yield path, start.group(1), text[: start.start()], text[start.start() : end.end()]


def test_every_model_ends_by_selecting_from_one_of_its_own_ctes():
    """No model is a single macro call: its last statement is `select ... from <cte>`, the CTE
    named in the same file, so its file shows every step."""
    problems = []
    for path in sorted(MODELS.rglob("*.sql")):
        sql = SQL_LINE_COMMENT.sub("", JINJA_COMMENT.sub("", path.read_text(encoding="utf-8")))
        final = re.search(
            r"\bselect\s+[\w.*]+(?:\s*,\s*[\w.*]+)*\s+from\s+(\w+)\s*;?\s*\Z", sql, re.I
        )
        if final is None:
            problems.append(f"{_relative(path)}: does not end with `select ... from <cte>`")
        elif not re.search(rf"\b{final.group(1)}\s+as\s*\(", sql, re.I):
            problems.append(f"{_relative(path)}: ends with a select from {final.group(1)}, no CTE")
    assert not problems, "\n".join(problems)


def test_every_public_macro_has_a_header_with_an_example():
    """`{#- ... -#}` directly above the macro, saying what it returns, with `Example`: a call and
    what it renders or returns. Dispatch implementations and generic tests are exempt."""
    missing = []
    for path, name, before, _ in _macros():
        if ENGINE_IMPLEMENTATION.match(name):
            continue
        header_end = before.rstrip().endswith("-#}")
        gap = before[len(before.rstrip()) :]
        header = before[before.rfind("{#-") :] if header_end else ""
        if not header_end or gap.count("\n") > 1:
            missing.append(f"{_relative(path)}: {name} has no header directly above it")
        elif "Example" not in header:
            missing.append(f"{_relative(path)}: {name}'s header has no Example")
    assert not missing, "\n".join(missing)


def test_no_macro_reads_raw_code_or_keeps_state():
    """A macro is a function of its arguments (and of dbt's graph, read only): it never reads a
    model's raw code, and it mutates only what it created itself with `{% set %}`, never
    dbt's context, the graph, a var or a caller's object."""
    mutation = re.compile(
        r"\b([A-Za-z_]\w*)(?:\.\w+|\[[^\]]*\])*\.(update|append|extend|insert|setdefault|pop|remove|clear)\("
    )
    assigned = re.compile(r"\{%-?\s*set\s+([\w\s,]+?)\s*(?:=|-?%\})")
    problems = []
    for path, name, _, body in _macros():
        code = JINJA_COMMENT.sub("", body)
        if "raw_code" in code:
            problems.append(f"{_relative(path)}: {name} reads raw_code")
        own = {
            target.strip()
            for names in assigned.findall(code)
            for target in names.split(",")
            if "." not in target
        }
        for target, method in mutation.findall(code):
            if target not in own:
                problems.append(f"{_relative(path)}: {name} calls .{method}() on {target}")
    assert not problems, "\n".join(problems)


def _model_rules(model: dict) -> Iterator[str]:
    """The constraint types a documented model declares, on the model and on its columns, when
    its rules test (macros/tests/rules.sql) checks them."""
    tests = [
        test if isinstance(test, str) else next(iter(test))
        for test in model.get("data_tests") or []
    ]
    if "rules" not in tests:
        return
    for owner in [model, *(model.get("columns") or [])]:
        for constraint in owner.get("constraints") or []:
            yield constraint["type"]


def test_every_metric_engine_model_declares_its_grain():
    """A `unique` constraint (column or model) checked by its rules test, so a fan-out in the
    metric engine fails the build; the models without one are NO_GRAIN_TEST, with their reason."""
    root = MODELS / "metrics"
    models = {path.stem for path in root.rglob("*.sql")}
    documented: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            documented[model["name"]] = set(_model_rules(model))
    assert set(NO_GRAIN_TEST) <= models, "an exception names a model that is gone"
    without = sorted(
        name
        for name in models - set(NO_GRAIN_TEST)
        if not documented.get(name, set()) & GRAIN_RULES
    )
    assert without == [], f"no grain test in the YAML of {without}"
