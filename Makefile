# Developer and CI entry points. `make test` is what CI runs (.ci/run): lint, SQL lint, the
# fast lane (a dbt build on a small data set), then pytest on the three engines. Every recipe
# uses the project's own virtualenv.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
# Rebuilt when pyproject.toml changes, so a dependency bump reaches every checkout.
STAMP := $(VENV)/.installed
# SQL the dbt templater can compile: models and singular tests (macros are not nodes).
SQL_DIRS := models tests/dbt
PYTEST_ARGS ?=
# Test workers (pytest-xdist): one per core on the 2-core CI machine. Each test module runs
# whole in one worker (--dist loadfile), so its module-scoped warehouse is built once; the
# modules go out in the order conftest.py gives them, slowest first (--no-loadscope-reorder).
PYTEST_WORKERS ?= 2

export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help venv pg-bin java node-deps browser lint format lint-sql fast pytest test demo clean

help:  ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

venv: $(STAMP) profiles.yml  ## Create .venv (Python 3.11) with the package and dev tools, and profiles.yml

# dbt reads a profiles.yml in the working directory first: the example works as it is (every
# connection detail comes from the environment), so plain `.venv/bin/dbt build` runs in a fresh
# clone. Ignored by git; edit it freely, it is never overwritten.
profiles.yml:
	cp profiles.yml.example profiles.yml

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x "$(BIN)/python" ]; then \
	  py="$${PYTHON:-}"; \
	  if [ -z "$$py" ]; then \
	    if command -v python3.11 >/dev/null 2>&1; then py=python3.11; \
	    elif python3 -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 13)))' 2>/dev/null; then py=python3; \
	    else echo "make venv: need Python 3.11 or 3.12; python3.11 is missing and python3 is $$(python3 --version 2>&1)" >&2; exit 1; fi; \
	  fi; \
	  echo "creating $(VENV) with $$($$py --version)"; \
	  "$$py" -m venv "$(VENV)"; \
	fi; \
	"$(BIN)/python" -m pip install --disable-pip-version-check -q -e ".[dev]"; \
	touch "$(STAMP)"

# The tests start their own PostgreSQL cluster (src/marketmetrics/pgcluster.py) and only
# need the server binaries; Debian keeps them off PATH, under /usr/lib/postgresql/*/bin.
pg-bin:  ## Make sure PostgreSQL server binaries exist (installs them when root with apt)
	@set -e; \
	if [ -n "$${PG_BIN:-}" ]; then \
	  if [ -x "$$PG_BIN/initdb" ]; then exit 0; fi; \
	  echo "pg-bin: PG_BIN=$$PG_BIN has no initdb" >&2; exit 1; \
	fi; \
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "pg-bin: installing PostgreSQL server binaries with apt-get"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null; \
	else \
	  echo "pg-bin: PostgreSQL server binaries (initdb, pg_ctl) not found." >&2; \
	  echo "  Install them (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@15)" >&2; \
	  echo "  or point PG_BIN at the directory holding initdb." >&2; \
	  exit 1; \
	fi

lint: venv  ## ruff lint and format check of the Python package and tests, mypy of the package
	$(BIN)/ruff check src tests/python bi docs/examples
	$(BIN)/ruff format --check src tests/python bi docs/examples
	$(BIN)/mypy

format: venv  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests/python bi docs/examples
	$(BIN)/ruff format src tests/python bi docs/examples

# The dbt templater compiles the project with the profile in the working directory (.sqlfluff),
# against a scratch DuckDB file under target/lint, never a real warehouse.
lint-sql: venv  ## sqlfluff lint of models and dbt tests (dbt templater, DuckDB target)
	mkdir -p target/lint
	DBT_TARGET=duckdb DBT_TARGET_PATH=target/lint DBT_LOG_PATH=target/lint/logs \
	DBT_DUCKDB_PATH=target/lint/lint.duckdb \
	  $(BIN)/sqlfluff lint $(SQL_DIRS) --templater dbt --processes 2 --disable-progress-bar

# The first minutes of CI, before the engines' suites: dbt parses the project, then builds it
# whole on a small generated data set in a scratch DuckDB file, which runs every unit test and
# every data test (the grain test of every metric-engine model among them).
FAST := target/fast
fast: venv  ## dbt parse, then dbt build (unit tests, data tests, grain tests) on a small generated data set
	rm -rf $(FAST)
	$(BIN)/dbt parse --target-path $(FAST)/target --log-path $(FAST)/logs
	DBT_DUCKDB_PATH=$(FAST)/fast.duckdb $(BIN)/marketmetrics generate -q --target duckdb \
	  --orders 300 --days 21 --seed 11
	DBT_TARGET=duckdb DBT_DUCKDB_PATH=$(FAST)/fast.duckdb \
	  $(BIN)/dbt build --target-path $(FAST)/target --log-path $(FAST)/logs --quiet

# The dashboard's charting library comes from the npm registry (package.json, lock file);
# the build inlines it into the page, so node_modules is only needed at build time.
node-deps: node_modules/.package-lock.json  ## Install the dashboard's npm dependencies (npm ci)

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "node-deps: npm not found (install Node.js 20+)" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# Headless Chromium for the browser tests (the static dashboard; Superset through Debian's
# chromedriver), and a Korean font so screenshots show the Korean labels; installed with apt
# when root, as pg-bin does for PostgreSQL.
browser:  ## Make sure Debian's chromium, chromedriver and a Korean font exist for the browser tests
	@set -e; \
	if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && fc-list :lang=ko 2>/dev/null | grep -q .; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "browser: installing chromium, chromium-driver and fonts-nanum with apt-get"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-nanum; \
	elif ! command -v chromium >/dev/null 2>&1; then \
	  echo "browser: chromium not found; install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2; \
	  exit 1; \
	fi

# Spark's local session (the `spark` target, docs/spark.md) runs on a Java 17 runtime; pyspark
# itself is in the venv (the `spark` extra). Installed with apt when root, as pg-bin does.
java:  ## Make sure a Java 17+ runtime exists for the local Spark session
	@set -e; \
	if [ -n "$${JAVA_HOME:-}" ] && [ -x "$$JAVA_HOME/bin/java" ]; then exit 0; fi; \
	if command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])'; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "java: installing openjdk-17-jre-headless with apt-get"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; \
	else \
	  echo "java: no Java 17+ runtime; install one (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless)" >&2; \
	  echo "  or point JAVA_HOME at it." >&2; \
	  exit 1; \
	fi

# Exit code 5 ("no tests collected") stays a failure: a suite that runs nothing is broken.
pytest: venv pg-bin java node-deps browser  ## Run the Python test suite on all three engines
	$(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

test: lint lint-sql fast pytest  ## Everything CI checks, the fast checks first

demo: venv  ## Generate data, load it and build the warehouse (see the CLI's help)
	$(BIN)/marketmetrics demo

clean:  ## Remove dbt output and caches (not the venv, not data/)
	rm -rf target logs .pytest_cache .ruff_cache
