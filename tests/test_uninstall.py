"""Uninstalling the addons from a demo database leaves stock consistent; reinstalling
loads the demo again.

Odoo removes a module's records by their external ids on uninstall: demo stock that
was made of quant records would vanish while the moves that explain it stay. Runs
Odoo in subprocesses on a database of its own, dropped at the end.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DB = f"st_uninstall_{os.getpid()}"
# Every addon of the repository; the core one first (its state is the one checked).
ADDONS = sorted(path.parent.name for path in REPO.glob("*/__manifest__.py"))

# Per lot, the quantity in internal locations must be what the done moves brought in
# minus what they took out; no reservation may be negative or exceed the quantity.
CHECK = """
import json, sys
import odoo
from odoo import api, SUPERUSER_ID
from odoo.tools import config
config.parse_config(sys.argv[1:], setup_logging=False)
db_name = config["db_name"]
registry = odoo.modules.registry.Registry(db_name[0] if isinstance(db_name, list) else db_name)
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    action = sys.stdin.read().strip()
    if action == "uninstall":
        env["ir.module.module"].search([("name", "in", %(addons)r)]).button_immediate_uninstall()
    cr.execute('''
        WITH moved AS (
            SELECT ml.lot_id,
                   SUM(CASE WHEN dst.usage = 'internal' THEN ml.quantity ELSE 0 END)
                 - SUM(CASE WHEN src.usage = 'internal' THEN ml.quantity ELSE 0 END) AS qty
              FROM stock_move_line ml
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dst ON dst.id = ml.location_dest_id
             WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
          GROUP BY ml.lot_id
        ), held AS (
            SELECT q.lot_id, SUM(q.quantity) AS qty
              FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
             WHERE l.usage = 'internal' AND q.lot_id IS NOT NULL
          GROUP BY q.lot_id
        )
        SELECT COALESCE(m.lot_id, h.lot_id), m.qty, h.qty
          FROM moved m FULL JOIN held h ON h.lot_id = m.lot_id
         WHERE COALESCE(m.qty, 0) != COALESCE(h.qty, 0)''')
    mismatched = cr.fetchall()
    cr.execute('''SELECT id FROM stock_quant
                   WHERE reserved_quantity < 0 OR reserved_quantity > GREATEST(quantity, 0)''')
    bad_reservations = cr.fetchall()
    cr.execute("SELECT state, demo FROM ir_module_module WHERE name = %%s", [%(addons)r[0]])
    module = cr.fetchone()
    cr.execute("SELECT count(*) FROM ir_model_data WHERE module = %%s AND name = 'lot_phone_1'",
               [%(addons)r[0]])
    print(json.dumps({
        "mismatched": [list(map(str, row)) for row in mismatched],
        "bad_reservations": [row[0] for row in bad_reservations],
        "module": list(module),
        "demo_lot_xmlid": cr.fetchone()[0],
    }))
""" % {"addons": ADDONS}


def _odoo_args():
    import odoo.release  # noqa: F401  (Odoo must be importable, as for the other tests)

    core = Path(sys.modules["odoo.release"].__file__).resolve().parent.parent / "addons"
    paths = [str(core)] if core.is_dir() else []
    return [f"--addons-path={','.join(paths + [str(REPO)])}", "-d", DB]


def _python(*args, stdin=""):
    """Run the interpreter that has Odoo with ``args``; fail with its output."""
    proc = subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        env=dict(os.environ, TZ="UTC"),
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def _odoo(*args):
    return _python(
        "-m",
        "odoo",
        *_odoo_args(),
        *args,
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
    )


def _check(action=""):
    proc = _python("-c", CHECK, *_odoo_args(), stdin=action)
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo_db():
    subprocess.run(["dropdb", "--if-exists", DB], check=False)
    try:
        _odoo("-i", ",".join(ADDONS))
        yield DB
    finally:
        subprocess.run(["dropdb", "--if-exists", DB], check=False)


def test_uninstall_keeps_stock_consistent_and_reinstall_loads_demo(demo_db):
    installed = _check()
    assert installed["module"] == ["installed", True]
    assert installed["demo_lot_xmlid"] == 1
    assert installed["mismatched"] == [] and installed["bad_reservations"] == []

    removed = _check("uninstall")
    assert removed["module"][0] == "uninstalled"
    assert removed["mismatched"] == [], "quants no longer match the done moves"
    assert removed["bad_reservations"] == []

    _odoo("-i", ",".join(ADDONS))
    again = _check()
    assert again["module"] == ["installed", True], "the demo data was not loaded again"
    assert again["demo_lot_xmlid"] == 1
    assert again["mismatched"] == [] and again["bad_reservations"] == []
