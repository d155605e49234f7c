"""Two transactions capturing the same unit at the same moment (two real connections).

The test transaction never commits, so the fixture is committed through a connection
of its own and removed afterwards, whatever the outcome.
"""

import threading
import time

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.api import Transaction
from odoo.exceptions import ValidationError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCaptureConcurrency(TransactionCase):
    def _env(self, cr):
        """Environment on a connection of its own, in any thread.

        Given its transaction up front: Odoo's registry lock is held by the thread
        running the tests, so the worker thread must not look the registry up.
        """
        cr.transaction = Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _committed(self, func):
        """Run ``func(env)`` in a transaction of its own and commit it."""
        with db_connect(self.env.cr.dbname).cursor() as cr:
            result = func(self._env(cr))
            cr.commit()  # pylint: disable=invalid-commit
            return result

    def _setup(self, env):
        product = env["product.product"].create(
            {
                "name": "Concurrency Camera",
                "is_storable": True,
                "tracking": "serial",
                "serial_sale_capture": True,
            }
        )
        lot = env["stock.lot"].create({"name": f"CONC-{time.time_ns()}", "product_id": product.id})
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 1, lot_id=lot
        )
        lot.write({"serial_state": "in_stock"})  # no move here: set what a receipt sets
        partner = env["res.partner"].create({"name": "Concurrency Buyer"})
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for __ in range(2)
            ]
        )
        return {
            "product": product.id,
            "lot": lot.id,
            "partner": partner.id,
            "orders": orders.ids,
            "lines": orders.order_line.ids,
        }

    def _cleanup(self, ids):
        def remove(env):
            env["sale.order"].browse(ids["orders"]).unlink()
            env.cr.execute("DELETE FROM stock_quant WHERE lot_id = %s", [ids["lot"]])
            env["stock.lot"].browse(ids["lot"]).unlink()
            env["product.product"].browse(ids["product"]).product_tmpl_id.unlink()
            env["res.partner"].browse(ids["partner"]).unlink()

        self._committed(remove)

    def _capture(self, env, line_id, lot_id):
        env["sale.order.line"].browse(line_id).write({"serial_lot_ids": [Command.link(lot_id)]})
        env.flush_all()

    def _waiting_on_lock(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Statistics are a snapshot per transaction: refresh them at each look.
            self.env.cr.execute("SELECT pg_stat_clear_snapshot()")
            self.env.cr.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if self.env.cr.fetchone()[0]:
                return True
            time.sleep(0.05)
        return False

    def test_two_transactions_capture_one_unit(self):
        ids = self._committed(self._setup)
        self.addCleanup(self._cleanup, ids)
        line_1, line_2 = ids["lines"]
        outcome = {}

        def second_capture():
            # As the RPC layer does: a transaction aborted by a serialization failure
            # is rolled back and run again; the retry sees the committed holder.
            with db_connect(self.env.cr.dbname).cursor() as cr:
                env = self._env(cr)
                for __ in range(3):
                    try:
                        self._capture(env, line_2, ids["lot"])
                        cr.commit()  # pylint: disable=invalid-commit
                        outcome["result"] = "committed"
                        return
                    except ValidationError as error:
                        cr.rollback()
                        outcome["result"] = str(error)
                        return
                    except psycopg2.errors.SerializationFailure:
                        cr.rollback()
                        env.transaction.clear()
                        outcome["retried"] = True

        with db_connect(self.env.cr.dbname).cursor() as cr_1:
            env_1 = self._env(cr_1)
            self._capture(env_1, line_1, ids["lot"])
            order_name = env_1["sale.order.line"].browse(line_1).order_id.name
            # The aborted statement is logged as an error by the cursor: expected here.
            self.enterContext(mute_logger("odoo.sql_db"))
            thread = threading.Thread(target=second_capture)
            thread.start()
            # On failure too, the thread ends before the fixture is removed.
            self.addCleanup(thread.join, 60)
            # The second transaction waits for the first one on the unit's index entry.
            self._waiting_on_lock()
            cr_1.commit()  # pylint: disable=invalid-commit
        thread.join(timeout=60)
        self.assertFalse(thread.is_alive())

        self.assertIn(f"already captured on {order_name}", outcome.get("result", ""))
        self.assertTrue(outcome.get("retried"), "the second capture did not wait for the first")
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                "SELECT line_id FROM sale_order_line_serial_open_lot_rel WHERE lot_id = %s",
                [ids["lot"]],
            )
            self.assertEqual([row[0] for row in cr.fetchall()], [line_1])
