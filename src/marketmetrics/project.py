"""Which dbt project a command works on.

The package is a thin layer around one dbt project: the directory holding `dbt_project.yml`.
It is found from the working directory upward, as dbt itself finds it, or named by
$MARKETMETRICS_PROJECT_DIR; never from where the package is installed, so two clones sharing
one virtualenv each act on their own files.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ProjectNotFound", "project_dir"]

ENV = "MARKETMETRICS_PROJECT_DIR"


class ProjectNotFound(RuntimeError):
    """No dbt_project.yml in the working directory or above it."""


def project_dir(start: str | os.PathLike[str] | None = None) -> Path:
    """The project's directory: $MARKETMETRICS_PROJECT_DIR, else the nearest directory from
    `start` (default: the working directory) upward that holds a dbt_project.yml."""
    named = os.environ.get(ENV)
    if named:
        path = Path(named).resolve()
        if not (path / "dbt_project.yml").is_file():
            raise ProjectNotFound(f"${ENV}={named} holds no dbt_project.yml")
        return path
    here = Path(start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    raise ProjectNotFound(
        f"no dbt_project.yml in {here} or above it: run marketmetrics from the project's "
        f"directory (the clone), or set ${ENV}"
    )
