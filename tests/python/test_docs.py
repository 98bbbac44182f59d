"""The repository documents itself: a short README, links that resolve inside the repository,
no issue numbers a reader cannot open, no file generated from another."""

from __future__ import annotations

import re

from fixtures.clone import REPO_ROOT, tracked_files

TEXT_SUFFIXES = {".md", ".py", ".sql", ".yml", ".yaml", ".toml", ".csv", ".cfg", ".example"}


def _texts() -> dict[str, str]:
    files = tracked_files() or [
        str(p.relative_to(REPO_ROOT)) for p in REPO_ROOT.rglob("*") if p.is_file()
    ]
    texts = {}
    for name in files:
        path = REPO_ROOT / name
        is_text = path.suffix in TEXT_SUFFIXES or path.name in ("Makefile", "run")
        if is_text and path.is_file() and "node_modules" not in path.parts:
            texts[name] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def test_the_readme_is_short() -> None:
    lines = (REPO_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150


def test_no_issue_numbers_and_nothing_outside_the_repository() -> None:
    texts = _texts()
    assert "README.md" in texts and "docs/metrics.md" in texts
    this_file = "tests/python/test_docs.py"
    issue = re.compile(r"\b[Ii]ssues? #?\d+")
    outside = re.compile(r"\.\./shared|\.\./spec")
    found = [
        f"{name}: {match.group(0)}"
        for name, text in texts.items()
        if name != this_file
        for pattern in (issue, outside)
        for match in pattern.finditer(text)
    ]
    assert found == []


def test_every_relative_link_of_the_docs_resolves() -> None:
    broken = []
    for name, text in _texts().items():
        if not name.endswith(".md"):
            continue
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            if not (REPO_ROOT / name).parent.joinpath(target).resolve().exists():
                broken.append(f"{name} -> {target}")
    assert broken == []


def test_no_file_says_it_is_generated() -> None:
    """Generated copies of the YAML (macros, semantic YAML, docs) are gone for good."""
    marker = re.compile(r"generated (from|by) |do not edit|DO NOT EDIT", re.I)
    found = [
        name
        for name, text in _texts().items()
        if name != "tests/python/test_docs.py" and marker.search(text[:2000])
    ]
    assert found == []
