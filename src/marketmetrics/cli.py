"""The `marketmetrics` command: what dbt does not do, around the dbt project.

    marketmetrics demo                  generate sample data, load it, build and test (DuckDB)
    marketmetrics generate [...]        write synthetic raw tables to DuckDB, PostgreSQL or Parquet
    marketmetrics load DIR [...]        load Parquet raw tables into an engine
    marketmetrics build [-- dbt args]   dbt build against a target; on DuckDB then publish
    marketmetrics publish               marts and metrics, no personal data, to the serving copy
    marketmetrics roles                 PostgreSQL: create the transformer and BI roles (as a DBA)
    marketmetrics pii-key               install the pseudonym key from $MARKETMETRICS_PII_KEY
    marketmetrics mf -- ARGS            MetricFlow's `mf` on a target's warehouse, e.g.
                                        mf -- query --metrics orders --group-by metric_time__week
    marketmetrics dashboard             render the static dashboard from the metric tables
    marketmetrics export METRIC --out F one metric's rows of a metric table to CSV or Parquet
    marketmetrics alerts [--freshness] [--webhook-url URL]
                                        print open alerts (and stale sources), deliver them

The DuckDB file defaults to data/warehouse.duckdb (DBT_DUCKDB_PATH); PostgreSQL connects
with the standard libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
-v shows every line dbt prints, -q only warnings and errors; by default the steps, dbt's
per-node results as they happen, and progress bars (rows, rate) while generating and loading.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn

import yaml

from marketmetrics import jobs, pii
from marketmetrics.alerts import run_alerts, terminal_safe
from marketmetrics.dashboard.build import GRAINS
from marketmetrics.dbt_runner import DbtError, ProfileMissing
from marketmetrics.explain import explain_connection_error
from marketmetrics.export import FORMATS, GRAIN_TABLES, ExportError, export_metric
from marketmetrics.freshness import check_freshness, freshness_alerts
from marketmetrics.loader import read_parquet
from marketmetrics.progress import setup_logging
from marketmetrics.roles import setup_roles
from marketmetrics.semantic import run_mf
from marketmetrics.serving import AuditFailed
from marketmetrics.superset import SupersetError, SupersetSite
from marketmetrics.warehouse import DEFAULT_DUCKDB_PATH, Warehouse

EXIT_CODES = """exit codes (when several apply, the first of 3, 4, 1, 2):
  0  done (alerts: no critical alert open, delivery succeeded if asked for)
  1  dbt failed (a failed audit among it: then nothing is published), a webhook delivery
     failed after its retries, a setting is missing or wrong (the pseudonym key, the
     profile, $DBT_TARGET), an argument is wrong (--vars not a YAML mapping, a date not
     YYYY-MM-DD, any other usage error: never 2, which alerts keeps for its own meaning),
     or Superset could not be installed, provisioned or started
  2  a critical alert is open (metric or stale source): the scheduler must notice
  3  the warehouse cannot be opened (PostgreSQL unreachable or refusing the login, the
     DuckDB file locked by another writer) or holds nothing to read yet (no DuckDB file,
     no metric tables: no build has made them, or the last one failed before them)
  4  a critical alert is open and its webhook delivery failed (both of 1 and 2)
"""
# A wrong setting or argument (EXIT_CODES).
EXIT_SETTING = 1


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one sentence and exits 1: argparse's own 2 would tell
    the scheduler running `marketmetrics alerts` that a critical alert is open."""

    argv: list[str] = []

    def error(self, message: str) -> NoReturn:
        hint = f"see `{self.prog} --help`"
        command = next((a for a in self.argv if a in PASSTHROUGH), None)
        if message.startswith("unrecognized arguments") and command and "--" not in self.argv:
            first = message.split(":", 1)[1].split()[0]
            # From the first token argparse refused: what follows it went to the tool already.
            extra = " ".join(self.argv[self.argv.index(first) :]) if first in self.argv else first
            tool = "dbt" if command == "build" else "mf"
            hint = f"{tool}'s own arguments go after `--`: `marketmetrics {command} -- {extra}`"
        self.exit(EXIT_SETTING, f"[marketmetrics] {self.prog}: {message} ({hint})\n")


# The commands that pass what follows `--` to another tool.
PASSTHROUGH = ("build", "mf")


def _date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: give it as YYYY-MM-DD, e.g. 2026-03-01"
        ) from None


def _instant_argument(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an instant: give it as ISO 8601, e.g. 2026-03-01T06:00 (UTC if naive)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _vars_argument(text: str) -> dict[str, Any]:
    """--vars as the mapping dbt would read, refused here rather than by dbt (or the
    schema names) later."""
    example = "give dbt vars as a YAML mapping, e.g. '{metrics_schema: analytics}'"
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise argparse.ArgumentTypeError(f"{text!r} is not YAML ({problem}); {example}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(
            f"{text!r} is a YAML {type(value).__name__}, not a mapping; {example}"
        )
    return value


def _resolve_warehouse(args: argparse.Namespace) -> Warehouse | None:
    """The one description of the warehouse a command works on, from its arguments: engine,
    location (--duckdb-path, $DBT_DUCKDB_PATH, the PG* variables) and the schema names dbt
    uses under --vars (and --raw-schema). None for a command without a target (or Parquet)."""
    target = getattr(args, "target", None)
    if target not in ("duckdb", "postgres", "spark"):
        return None
    dbt_vars = dict(getattr(args, "vars", None) or {})
    if getattr(args, "raw_schema", None) and args.raw_schema != "raw":
        dbt_vars["raw_schema"] = args.raw_schema
    return Warehouse.resolve(target, duckdb_path=args.duckdb_path, dbt_vars=dbt_vars)


def cmd_generate(args: argparse.Namespace, warehouse: Warehouse | None) -> int:
    jobs.generate_raw(
        _generator_config(args), as_of=args.as_of, warehouse=warehouse, out_dir=Path(args.out_dir)
    )
    return 0


def _generator_config(args: argparse.Namespace) -> Any:
    return jobs.generator_config(
        seed=args.seed,
        orders=args.orders,
        start_date=args.start_date,
        days=args.days,
        clean=args.clean,
        incident_date=getattr(args, "incident_date", None),
        demo=args.command == "demo",
    )


def cmd_load(args: argparse.Namespace, warehouse: Warehouse) -> int:

    jobs.load_raw(read_parquet(Path(args.directory)), warehouse)
    return 0


def cmd_build(args: argparse.Namespace, warehouse: Warehouse) -> int:
    jobs.build(warehouse, args.dbt_args, job=args.job)
    return 0


def cmd_roles(args: argparse.Namespace, warehouse: Warehouse) -> int:

    if warehouse.engine != "postgres" or warehouse.conninfo is None:
        raise SystemExit(
            "[marketmetrics] roles is for PostgreSQL; DuckDB readers use the serving copy"
        )
    roles = setup_roles(warehouse.conninfo, raw_schema=warehouse.schemas.raw)
    jobs.say(
        f"roles ready: {roles.transformer} (dbt and the loader log in as it: PGUSER) and "
        f"{roles.bi} (BI tools: marts and metric tables only, after the next build)"
    )
    return 0


def cmd_pii_key(args: argparse.Namespace, warehouse: Warehouse) -> int:
    jobs.install_pii_key(warehouse)
    jobs.say("a changed key changes every pseudonym: run the weekly full refresh next")
    return 0


def cmd_publish(args: argparse.Namespace, warehouse: Warehouse) -> int:
    if warehouse.engine != "duckdb":
        raise SystemExit(
            "[marketmetrics] publish is for DuckDB; on PostgreSQL readers use the BI role "
            "(marketmetrics roles)"
        )
    assert warehouse.duckdb_path is not None
    if not warehouse.duckdb_path.exists():
        raise jobs.NothingToRead(
            f"there is no warehouse at {warehouse.duckdb_path} yet, so nothing to publish: "
            "build it first (`marketmetrics build` publishes when it succeeds)"
        )
    jobs.require_tables(warehouse, [("audit", "audit_row_reconciliation")], warehouse.describe())
    jobs.publish_serving(warehouse)
    return 0


def cmd_dashboard(args: argparse.Namespace, warehouse: Warehouse) -> int:

    jobs.reader_for(warehouse, [("metrics", table) for _, table in GRAINS])
    jobs.render_dashboard(warehouse, args.out_dir)
    return 0


def cmd_superset(args: argparse.Namespace, warehouse: Warehouse) -> int:

    site = SupersetSite()
    result = site.provision(warehouse)
    reader = warehouse.serving()
    print(
        f"[marketmetrics] Superset: dashboard {result['slug']!r} ({result['charts']} charts, "
        f"{result['datasets']} datasets) over {reader.describe()}, read-only"
    )
    if args.no_serve:
        return 0
    url = f"http://{args.host}:{args.port}"
    process = site.serve(args.host, args.port)
    try:
        site.wait_until_up(url, process)
        print(
            f"[marketmetrics] Superset on {url}/superset/dashboard/{result['slug']}/\n"
            f"  viewer: {site.viewer_user} (password in {site.home / 'viewer_password'} or "
            "$MARKETMETRICS_SUPERSET_VIEWER_PASSWORD): sees the dashboard only\n"
            f"  admin:  {site.admin_user} (password in {site.home / 'admin_password'} or "
            "$MARKETMETRICS_SUPERSET_ADMIN_PASSWORD)\n"
            "  Ctrl-C stops it"
        )
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def cmd_alerts(args: argparse.Namespace, warehouse: Warehouse) -> int:

    # Before dbt's freshness check too: dbt would create a missing DuckDB file.
    reader = jobs.reader_for(warehouse, [("metrics", "metric_alerts")])
    extra = []
    if args.freshness:
        # The raw tables are in the builds' warehouse, not in the serving copy.
        states = check_freshness(warehouse.dbt())
        stale = [state for state in states if state.stale]
        jobs.say(f"source freshness: {len(states) - len(stale)} of {len(states)} raw tables fresh")
        extra = freshness_alerts(states)
    return run_alerts(
        reader,
        extra=extra,
        webhook_url=args.webhook_url or os.environ.get("ALERT_WEBHOOK_URL"),
        since=args.since,
        retries=args.retries,
        timeout=args.timeout,
        out=sys.stdout,
    )


def cmd_demo(args: argparse.Namespace, warehouse: Warehouse) -> int:
    return jobs.demo(
        warehouse,
        _generator_config(args),
        cycles=args.cycles,
        out_dir=args.out_dir,
        as_of=args.as_of,
    )


def cmd_export(args: argparse.Namespace, warehouse: Warehouse) -> int:
    table = GRAIN_TABLES.get(args.grain, "metrics_daily")
    reader = jobs.reader_for(warehouse, [("metrics", table)])
    done = export_metric(
        reader,
        args.metric,
        Path(args.out),
        grain=args.grain,
        start=args.start,
        end=args.end,
        by=args.by,
        fmt=args.format,
    )
    jobs.say(f"exported {done.rows:,} rows of {done.table} to {done.path}")
    return 0


def cmd_mf(args: argparse.Namespace, warehouse: Warehouse) -> int:

    if warehouse.duckdb_path is not None and not warehouse.duckdb_path.exists():
        raise jobs.NothingToRead(
            f"there is no warehouse at {warehouse.duckdb_path} yet: build it first "
            "(`marketmetrics build`, or `marketmetrics demo` for sample data), then retry"
        )
    return run_mf(warehouse.dbt(), list(args.dbt_args)).returncode


def _add_verbosity(parser: argparse.ArgumentParser, default: Any) -> None:
    """-v / -q, before or after the command (`marketmetrics -q build`, `... build -v`)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-v", "--verbose", action="count", default=default, help="every line dbt prints"
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_const",
        const=-1,
        dest="verbose",
        default=default,
        help="warnings and errors only",
    )


def _add_target_options(
    parser: argparse.ArgumentParser,
    parquet: bool = False,
    spark: bool = False,
    reads: bool = False,
) -> None:
    """`spark` for the commands that work there: generate, load, build (docs/spark.md);
    `reads` for the commands that only read the warehouse."""
    _add_verbosity(parser, argparse.SUPPRESS)
    targets = (
        ["duckdb", "postgres"] + (["spark"] if spark else []) + (["parquet"] if parquet else [])
    )
    parser.add_argument(
        "--target",
        choices=targets,
        default=os.environ.get("DBT_TARGET") or "duckdb",
        help=("the warehouse to read" if reads else "where to write")
        + " (default: duckdb, or $DBT_TARGET)",
    )
    # argparse checks --target against its choices, but not a default: main checks $DBT_TARGET.
    parser.set_defaults(targets=tuple(targets))
    parser.add_argument(
        "--duckdb-path",
        help=f"DuckDB file (default: $DBT_DUCKDB_PATH or {DEFAULT_DUCKDB_PATH})",
    )
    parser.add_argument("--raw-schema", default="raw", help="schema of the raw tables")
    parser.add_argument(
        "--vars",
        type=_vars_argument,
        help="dbt vars as YAML, e.g. '{metrics_schema: analytics}': passed to every dbt "
        "command, and the schema names in them are where the loader writes and the "
        "dashboard and alerts read",
    )


def _add_generator_options(parser: argparse.ArgumentParser, orders: int, demo: bool) -> None:
    parser.add_argument("--orders", type=int, default=orders, help="orders to generate")
    if demo:
        days_help = "length of the period in days, ending today (default: from the first of "
        days_help += "the month 13 months back, so every comparison has its prior year)"
        start_help = "first day of a period in the past instead, YYYY-MM-DD"
        as_of_help = "replicate only rows synced by this instant (default: now, when the "
        as_of_help += "period reaches today; ISO 8601, UTC if naive)"
        incident_help = "the gateway outage day (default: two days before the last whole day)"
    else:
        days_help = "length of the generated period in days (default 120)"
        start_help = "first day of the period, YYYY-MM-DD (default 2026-01-01)"
        as_of_help = "replicate only rows synced by this instant (ISO 8601, UTC if naive)"
        incident_help = "the gateway outage day (default: the middle of the period)"
    parser.add_argument("--days", type=int, help=days_help)
    parser.add_argument("--start-date", type=_date_argument, help=start_help)
    parser.add_argument("--seed", type=int, default=42, help="random seed (deterministic)")
    parser.add_argument("--as-of", type=_instant_argument, help=as_of_help)
    parser.add_argument(
        "--clean", action="store_true", help="no replication artefacts and no bad rows"
    )
    parser.add_argument("--incident-date", type=_date_argument, help=incident_help)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="marketmetrics",
        description=__doc__,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawTextHelpFormatter,
    )
    _add_verbosity(parser, 0)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
        """A subcommand whose --help starts with what it does (and the exit codes)."""
        return sub.add_parser(
            name,
            help=summary,
            description=summary[0].upper()
            + summary[1:]
            + "."
            + (f"\n\n{details}" if details else ""),
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    demo = command(
        "demo",
        "generate a sample marketplace ending today, load it, build and test, render the dashboard",
        "The period runs from the first of the month 13 months back to today in the reporting "
        "time zone (Asia/Seoul), replicated as of now: yesterday is the last complete day.",
    )
    _add_target_options(demo)
    _add_generator_options(demo, orders=20_000, demo=True)
    demo.add_argument("--out-dir", help="dashboard folder (default target/dashboard)")
    demo.add_argument(
        "--cycles",
        type=int,
        default=4,
        help="replay the last N days of the period as daily syncs with snapshots, then the "
        "late rows as one catch-up sync (0: load at once; default 4)",
    )
    demo.set_defaults(func=cmd_demo, incident_date=None)

    gen = command(
        "generate",
        "write synthetic raw tables (the raw contract's shapes) to a warehouse or Parquet files",
    )
    _add_target_options(gen, parquet=True, spark=True)
    _add_generator_options(gen, orders=20_000, demo=False)
    gen.add_argument("--out-dir", default="data/raw", help="Parquet output folder")
    gen.set_defaults(func=cmd_generate)

    load = command("load", "load a folder of Parquet raw tables into a warehouse's raw schema")
    load.add_argument("directory", help="folder of <table>.parquet files")
    _add_target_options(load, spark=True)
    load.set_defaults(func=cmd_load)

    build = command(
        "build",
        "run dbt build against a target, then publish the serving copy (DuckDB)",
        "dbt's own arguments go after `--`, e.g. `marketmetrics build -- --select orders`.",
    )
    _add_target_options(build, spark=True)
    build.add_argument(
        "--job",
        choices=sorted(jobs.JOBS),
        help="a scheduled job (selectors.yml): sync = after each replication sync, data tests "
        "scoped to the rows it wrote, no unit tests; weekly = --full-refresh, every test; "
        "ci = every test. Without it, a plain `dbt build`",
    )
    build.add_argument("dbt_args", nargs=argparse.REMAINDER, help="dbt arguments, after --")
    build.set_defaults(func=cmd_build)

    dash = command("dashboard", "render the static dashboard page from the metric tables")
    _add_target_options(dash, reads=True)
    dash.add_argument("--out-dir", help="output folder (default target/dashboard)")
    dash.set_defaults(func=cmd_dashboard)

    alerts = command(
        "alerts",
        "print the open alerts and deliver them to a webhook",
        "Exits 2 while a critical alert is open, 4 when one is open and its delivery failed.",
    )
    _add_target_options(alerts, reads=True)
    alerts.add_argument("--webhook-url", help="Slack-compatible webhook ($ALERT_WEBHOOK_URL)")
    alerts.add_argument(
        "--since", type=_date_argument, help="every alert from this date (YYYY-MM-DD), open or not"
    )
    alerts.add_argument(
        "--freshness",
        action="store_true",
        help="first run dbt source freshness: a raw table without new rows past its warn_after "
        "(6 hours for most) is a warning alert, past its error_after (24 hours for most) a "
        "critical one (delivered and counted like metric alerts)",
    )
    alerts.add_argument(
        "--retries", type=int, default=3, help="delivery attempts after the first (default 3)"
    )
    alerts.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="seconds to wait for the webhook on each attempt (default 10)",
    )
    alerts.set_defaults(func=cmd_alerts)

    bi = command(
        "superset",
        "start Apache Superset on the serving warehouse",
        "In its own virtualenv, with a read-only connection, the dashboard of "
        "bi/superset/dashboard.yml and a viewer who sees only it.",
    )
    _add_target_options(bi, reads=True)
    bi.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    bi.add_argument("--port", type=int, default=8088, help="port to listen on (8088)")
    bi.add_argument(
        "--no-serve", action="store_true", help="install and import the dashboard, then stop"
    )
    bi.set_defaults(func=cmd_superset)

    pub = command(
        "publish",
        "copy the marts and metric tables, without personal data, to the serving copy",
        "build does it after every successful build; refused when the audit failed.",
    )
    _add_target_options(pub)
    pub.set_defaults(func=cmd_publish)

    roles = command(
        "roles",
        "create the PostgreSQL transformer and BI roles (run as a DBA)",
        "Their names come from $MARKETMETRICS_TRANSFORMER_ROLE and $MARKETMETRICS_BI_ROLE.",
    )
    _add_target_options(roles)
    roles.set_defaults(func=cmd_roles, target="postgres")

    key = command(
        "pii-key",
        f"install the pseudonym key into the restricted relation {pii.DEFAULT_SCHEMA}.pii_key",
        f"The key comes from ${pii.KEY_ENV}; build does it when the variable is set; required "
        "on PostgreSQL.",
    )
    _add_target_options(key)
    key.set_defaults(func=cmd_pii_key)

    export = command(
        "export",
        "write one metric's rows of a metric table to a CSV or Parquet file",
        "The rows are the metric table's (grain, period, breakdown value, value, prior period, "
        "prior year, changes, complete or not), read where readers read, e.g. "
        "`marketmetrics export gmv --grain week --by pg_provider --out gmv.csv`.",
    )
    _add_target_options(export, reads=True)
    export.add_argument("metric", help="a published metric (`marketmetrics mf -- list metrics`)")
    export.add_argument(
        "--grain", choices=list(GRAIN_TABLES), default="day", help="period length (default day)"
    )
    export.add_argument(
        "--from",
        dest="start",
        type=_date_argument,
        help="first period start to include, YYYY-MM-DD (default: the first)",
    )
    export.add_argument(
        "--to",
        dest="end",
        type=_date_argument,
        help="last period start to include, YYYY-MM-DD (default: the last)",
    )
    export.add_argument(
        "--by",
        default="all",
        help="a breakdown of the metric, one row per value (default: all, the total)",
    )
    export.add_argument("--out", required=True, help="the file to write (.csv or .parquet)")
    export.add_argument(
        "--format", choices=FORMATS, help="csv or parquet (default: from the file's suffix)"
    )
    export.set_defaults(func=cmd_export)

    mf = command(
        "mf",
        "run MetricFlow's `mf` on the target's warehouse through the semantic layer",
        "mf's arguments go after `--`, e.g. "
        "`marketmetrics mf -- query --metrics orders --group-by metric_time__week`.",
    )
    _add_target_options(mf, reads=True)
    mf.add_argument("dbt_args", nargs=argparse.REMAINDER, help="mf arguments, after --")
    mf.set_defaults(func=cmd_mf)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    _Parser.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (or --help): its code, from main like any other
        return exc.code if isinstance(exc.code, int) else EXIT_SETTING
    setup_logging(getattr(args, "verbose", 0) or 0)
    targets = getattr(args, "targets", None)
    if targets and args.target not in targets:
        _complain(
            f"DBT_TARGET is {args.target!r}, not a target of `marketmetrics {args.command}`: "
            f"set it to {', '.join(targets[:-1])} or {targets[-1]}, or unset it (or pass --target)"
        )
        return EXIT_SETTING
    if getattr(args, "dbt_args", None) and args.dbt_args[0] == "--":
        args.dbt_args = args.dbt_args[1:]
    try:
        warehouse = _resolve_warehouse(args)
        return args.func(args, warehouse)
    except Exception as exc:  # a clear one-line error for the CLI user, not a traceback
        if isinstance(exc, DbtError):
            _complain(f"dbt failed:\n{exc}")
            return 1
        if isinstance(exc, jobs.BuildFailed):
            _complain(f"dbt build failed:\n{exc}")
            return 1

        # Errors whose message already says what to do.
        if isinstance(exc, ProfileMissing | SupersetError | pii.MissingKey | ExportError):
            _complain(str(exc))
            return 1
        if isinstance(exc, jobs.NothingToRead):
            _complain(str(exc))
            return EXIT_UNREACHABLE
        if isinstance(exc, AuditFailed):
            _complain(
                f"not published, the audit failed: {exc}; the serving copy keeps the last good "
                "build"
            )
            return 1
        explained = explain_connection_error(exc, args.duckdb_path)
        if explained:
            _complain(explained)
            return EXIT_UNREACHABLE
        raise


def _complain(message: str) -> None:
    """An error on stderr, without what a terminal would act on: the messages quote dbt, the
    database and the data (terminal_safe)."""

    print(terminal_safe(f"[marketmetrics] {message}", keep_newlines=True), file=sys.stderr)


# The warehouse could not be opened (PostgreSQL down, DuckDB file locked by another process),
# or holds nothing to read yet (NothingToRead).
EXIT_UNREACHABLE = 3


if __name__ == "__main__":
    sys.exit(main())
