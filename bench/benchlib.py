"""Shared helpers of the benchmark scripts: find Odoo, build databases, measure.

Benchmarks run bare Odoo and Odoo + serial_tracking side by side in one process, on
fresh databases, and report wall time, SQL query count and their ratio.
"""

import argparse
import gc
import inspect
import os
import statistics
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def import_odoo():
    try:
        import odoo  # noqa: PLC0415
        import odoo.release  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "Odoo 18.0 is not installed or not importable by this Python "
            f"({sys.executable}). See README, section 'Getting Odoo'."
        )
    if odoo.release.version_info[0] != 18:
        sys.exit(f"Odoo 18.0 is required, found {odoo.release.version}.")
    return odoo


def addons_path(odoo):
    """Odoo's core addons (source or packaged install) plus this repository."""
    if os.environ.get("ODOO_ADDONS_PATH"):
        paths = os.environ["ODOO_ADDONS_PATH"].split(",")
    else:
        source_addons = Path(odoo.__file__).resolve().parent.parent / "addons"
        paths = [str(source_addons)] if source_addons.is_dir() else []
    return ",".join(paths + [str(REPO)])


def addon_depends():
    """The addon's own dependencies: the fair "bare Odoo" to compare with."""
    import ast  # noqa: PLC0415

    manifest = ast.literal_eval((REPO / "serial_tracking" / "__manifest__.py").read_text())
    return manifest["depends"]


def parser(description, default_n):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("-n", type=int, default=default_n, help="number of serial units")
    p.add_argument("--repeat", type=int, default=1, help="measured runs per side")
    p.add_argument("--db-prefix", default="st_bench", help="prefix of the databases")
    p.add_argument("--keep-db", action="store_true", help="keep the databases")
    p.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse the databases when they already have the modules (implies --keep-db)",
    )
    return p


def setup_odoo(odoo, args):
    config = odoo.tools.config
    config.parse_config(
        [f"--addons-path={addons_path(odoo)}", "--log-level=warn", "--without-demo=all"]
    )
    return config


def fresh_db(odoo, name, modules, reuse=False):
    """Drop ``name`` if present and create it with ``modules`` installed (no demo).

    With ``reuse``, an existing database that already has the modules is kept.
    """
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.service import db  # noqa: PLC0415

    if db.exp_db_exist(name):
        if reuse and _has_modules(odoo, name, modules):
            return Registry(name)
        db.exp_drop(name)
    db._create_empty_database(name)
    config = odoo.tools.config
    config["init"] = dict.fromkeys(modules, 1)
    config["without_demo"] = "all"
    try:
        registry = Registry.new(name, update_module=True)
    finally:
        config["init"] = {}
    return registry


def _has_modules(odoo, name, modules):
    with odoo.sql_db.db_connect(name).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN %s",
            [tuple(modules)],
        )
        return cr.fetchone()[0] == len(modules)


def open_dbs(odoo, args, bare_modules, addon_modules):
    """Create (or reuse) the bare and addon databases of a benchmark."""
    bare_db, addon_db = f"{args.db_prefix}_bare", f"{args.db_prefix}_addon"
    bare = None
    if bare_modules:
        print(f"Database {bare_db}: {', '.join(bare_modules)}", flush=True)
        bare = fresh_db(odoo, bare_db, bare_modules, reuse=args.reuse_db)
    print(f"Database {addon_db}: {', '.join(addon_modules)}", flush=True)
    addon = fresh_db(odoo, addon_db, addon_modules, reuse=args.reuse_db)
    return bare, addon


def start(args, bare_modules, addon_modules=("serial_tracking",)):
    """Import and configure Odoo, then open the benchmark's databases.

    Returns ``(odoo, bare_registry, addon_registry)``; ``bare_registry`` is None when
    ``bare_modules`` is empty.
    """
    odoo = import_odoo()
    setup_odoo(odoo, args)
    bare, addon = open_dbs(odoo, args, bare_modules, list(addon_modules))
    return odoo, bare, addon


def close_dbs(odoo, args, *registries):
    if args.keep_db or args.reuse_db:
        return
    for registry in registries:
        if registry is not None:
            drop_db(odoo, registry.db_name)


def drop_db(odoo, name):
    from odoo.service import db  # noqa: PLC0415

    odoo.modules.registry.Registry.delete(name)
    if db.exp_db_exist(name):
        db.exp_drop(name)


def alternate(repeat, bare_run, addon_run, warmups=()):
    """Run both sides ``repeat`` times, alternating so machine noise hits both alike.

    ``bare_run(i)`` / ``addon_run(i)`` get the run index (to vary serial numbers).
    Which side goes first flips at every run, so that neither always runs right after
    the other's work. ``warmups`` are called once before the measured runs (small
    unmeasured runs of each side): the first run on a database pays for loading code
    and caches, which is not what is being compared.
    """
    for warmup in warmups:
        warmup()
    bare_runs, addon_runs = [], []
    sides = [(bare_runs, bare_run), (addon_runs, addon_run)]
    for i in range(repeat):
        for runs, run in sides[:: -1 if i % 2 else 1]:
            runs.append(run(i))
    return bare_runs, addon_runs


def vacuum(odoo, registry):
    """VACUUM ANALYZE the database of ``registry``, outside any transaction.

    Every run is rolled back, so the rows it wrote stay in the tables and their
    indexes as dead entries (and, in trigram indexes, as entries not merged yet)
    until autovacuum passes, at a moment nobody chooses: the next run, on whichever
    side, pays for reading through them. Vacuuming before each measured run starts
    both sides as tidy as autovacuum keeps a production database, whatever ran on
    them before (a database kept by --reuse-db, the warm-up).
    """
    with closing(odoo.sql_db.db_connect(registry.db_name).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")


def analyze(env, tables=("stock_lot", "stock_quant", "stock_move", "stock_move_line")):
    """Refresh PostgreSQL's statistics of ``tables`` once a scenario is set up.

    A production database has current statistics (autovacuum). These databases have
    none, since every run is rolled back: PostgreSQL then estimates one row where
    there are thousands and may pick nested-loop plans that take a second or more,
    on either side at random. ANALYZE counts the transaction's own new rows.
    """
    from odoo.tools import SQL  # noqa: PLC0415

    env.flush_all()
    for table in tables:
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


WARMUP_UNITS = 50


def compare(odoo, bare, addon, scenario, n, repeat):
    """Warm up, then alternate ``repeat`` runs of ``scenario`` on each side.

    ``scenario(odoo, registry, n, with_addon, offset)`` runs once on one database;
    ``offset`` varies the serial numbers from run to run. Each measured run starts on
    a freshly vacuumed database (see :func:`vacuum`). Returns the bare and addon
    results.

    A scenario written as a generator yields once its unmeasured setup is done and
    after each measured phase, and returns its results: the two sides then run in
    lockstep (see :func:`lockstep`).
    """
    if inspect.isgeneratorfunction(scenario):
        return _compare_lockstep(odoo, bare, addon, scenario, n, repeat)

    def measured(registry, with_addon):
        def run(i):
            vacuum(odoo, registry)
            return scenario(odoo, registry, n, with_addon, i * n)

        return run

    return alternate(
        repeat,
        measured(bare, False),
        measured(addon, True),
        warmups=[
            lambda: scenario(odoo, bare, WARMUP_UNITS, False, 0),
            lambda: scenario(odoo, addon, WARMUP_UNITS, True, 0),
        ],
    )


def _compare_lockstep(odoo, bare, addon, scenario, n, repeat):
    for registry, with_addon in ((bare, False), (addon, True)):
        finish(scenario(odoo, registry, WARMUP_UNITS, with_addon, 0))
    bare_runs, addon_runs = [], []
    for i in range(repeat):
        vacuum(odoo, bare)
        vacuum(odoo, addon)
        runs = [
            scenario(odoo, bare, n, False, i * n),
            scenario(odoo, addon, n, True, i * n),
        ]
        first, second = runs[:: -1 if i % 2 else 1]
        results = lockstep(first, second)
        bare_result, addon_result = results[:: -1 if i % 2 else 1]
        bare_runs.append(bare_result)
        addon_runs.append(addon_result)
    return bare_runs, addon_runs


def lockstep(first, second):
    """Run two scenario generators phase by phase: setup of both, then each measured
    phase of ``first`` right before the same phase of ``second``.

    The machine's speed drifts over tens of seconds (other virtual machines on the
    same host): a phase measured right next to its counterpart sees the same spell,
    where whole runs one after the other would not. Returns both generators' values.
    """
    values = {}
    steps = {0: first, 1: second}
    while steps:
        for key, step in list(steps.items()):
            try:
                next(step)
            except StopIteration as stop:
                values[key] = stop.value
                del steps[key]
    return values[0], values[1]


def finish(steps):
    """Run the scenario generator ``steps`` to its end and return its value."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


@contextmanager
def measure(result):
    """Record wall time (s), CPU time of this process (s) and SQL queries of the block.

    The CPU time leaves out the time spent waiting for PostgreSQL, hence most of the
    noise of a shared machine (checkpoints, autovacuum, other jobs' I/O); the query
    count tells whether the database side changed.

    The block starts on a collected heap whose objects are frozen (``gc.freeze``):
    Python's full collections scan every live object, and this process holds both
    sides' registries and whatever earlier runs left, so their cost would otherwise
    land, at moments set by allocation counts, on whichever block happens to trigger
    them. Objects the block creates are collected as usual.
    """
    from odoo import sql_db  # noqa: PLC0415

    gc.unfreeze()
    gc.collect()
    gc.freeze()
    queries = sql_db.sql_counter
    start = time.perf_counter()
    cpu = time.process_time()
    yield
    result["time"] = time.perf_counter() - start
    result["cpu"] = time.process_time() - cpu
    result["queries"] = sql_db.sql_counter - queries


def report(title, rows):
    """Print ``rows`` = [(label, bare_runs, addon_runs)] with medians and ratios.

    A row with no ``bare_runs`` is an addon feature without bare Odoo counterpart: only
    its addon columns are printed.

    Columns: wall time, CPU time of the Odoo process and SQL queries (medians of the
    runs) and the ratios of those medians; then the medians of the paired ratios
    (run i of the addon over run i of bare Odoo, which ran right before or after it,
    so that a slow spell of the machine weighs on both sides of one pair rather than
    on one side's median); then the ratio of the fastest wall times: noise from a
    shared machine only ever adds time, so the minimum is the steadier estimate of
    what the code costs.
    """
    print(f"\n{title}")
    columns = [
        ("bare s", 9),
        ("addon s", 9),
        ("ratio", 8),
        ("bare cpu", 9),
        ("addon cpu", 10),
        ("ratio", 8),
        ("bare q", 9),
        ("addon q", 9),
        ("ratio", 8),
        ("paired", 8),
        ("paired cpu", 11),
        ("best ratio", 11),
    ]
    header = f"{'measure':<26}" + "".join(" " + name.rjust(width - 1) for name, width in columns)
    print(header)
    print("-" * len(header))

    def median(runs, key):
        return statistics.median(r.get(key, 0) for r in runs)

    def ratio(a, b):
        # Below what the columns print (0.00), a ratio means nothing.
        return f"{a / b:.3f}" if b >= 0.005 else ""

    def line(label, cells):
        # A space before each cell, however wide its figure.
        cells = zip(cells, columns, strict=False)
        print(f"{label:<26}" + "".join(" " + cell.rjust(width - 1) for cell, (__, width) in cells))

    for label, bare, addon in rows:
        at, ac, aq = (median(addon, key) for key in ("time", "cpu", "queries"))
        if not bare:
            line(label, ["", f"{at:.2f}", "", "", f"{ac:.2f}", "", "", f"{aq:.0f}"])
            continue
        bt, bc, bq = (median(bare, key) for key in ("time", "cpu", "queries"))
        best = ratio(min(r["time"] for r in addon), min(r["time"] for r in bare))
        paired = [paired_ratio(bare, addon, key) for key in ("time", "cpu")]
        line(
            label,
            [
                f"{bt:.2f}",
                f"{at:.2f}",
                ratio(at, bt),
                f"{bc:.2f}",
                f"{ac:.2f}",
                ratio(ac, bc),
                f"{bq:.0f}",
                f"{aq:.0f}",
                ratio(aq, bq),
                *paired,
                best,
            ],
        )


def paired_ratio(bare, addon, key):
    """Median of run i of the addon over run i of bare Odoo, formatted like a ratio."""
    pairs = [a[key] / b[key] for b, a in zip(bare, addon, strict=False) if b[key] >= 0.005]
    return f"{statistics.median(pairs):.3f}" if pairs else ""
