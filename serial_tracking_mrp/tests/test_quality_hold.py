from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import GenealogyCase


@tagged("post_install", "-at_install")
class TestQualityHold(GenealogyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.kit1, cls.customer)
        cls.hold = cls._create_recall(kind="hold", lot_ids=[Command.set(cls.cell_a.ids)])

    def test_hold_keeps_in_house_units_only_and_notifies_nobody(self):
        self.hold.action_compute_scope()
        lines = self._by_lot(self.hold)
        # KIT-1 is at a customer: a hold does not reach it (a recall would).
        self.assertEqual(set(lines), {"CELL-A", "BAT-1", "BAT-2", "PH-1", "PH-2"})
        self.hold.action_open()
        self.assertEqual(self._email_count(self.hold, self.customer), 0)
        self.assertTrue(self.ph["PH-2"].serial_blocked)
        self.assertIn("quality hold", self.ph["PH-2"].serial_block_reason)
        self.assertEqual(self.hold.process_state, "done")

    def test_inspection_results(self):
        self.hold.action_compute_scope()
        self.hold.action_open()
        lines = self._by_lot(self.hold)
        lines["PH-2"]._resolve("inspected_ok")
        self.assertFalse(self.ph["PH-2"].serial_blocked, "released at once")
        lines["CELL-A"].with_user(self.stock_user)._resolve("destroyed")
        self.assertFalse(
            self.env["stock.quant"].search(
                [
                    ("lot_id", "=", self.cell_a.id),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ]
            ),
            "the rest of the batch is scrapped",
        )
        self.assertEqual(
            self.env["stock.scrap"].search([("lot_id", "=", self.cell_a.id)]).scrap_qty, 8
        )
        with self.assertRaisesRegex(UserError, "inspection result"):
            lines["BAT-1"]._resolve("refunded")
        (lines["BAT-1"] | lines["BAT-2"] | lines["PH-1"])._resolve("repaired")
        self.assertEqual(self.hold.resolved_rate, 100.0)
        self.hold.action_close()
        self.assertEqual(self.hold.state, "closed")

    def test_only_managers_run_holds(self):
        with self.assertRaises(AccessError):
            self.hold.with_user(self.stock_user).action_compute_scope()
        with self.assertRaises(AccessError):
            self.env["serial.recall"].with_user(self.salesman).create(
                {"title": "x", "kind": "hold"}
            )
        self.hold.action_compute_scope()
        self.hold.action_open()
        with self.assertRaises(UserError):
            self.hold.write({"include_finished": False})

    def test_new_hold_menu(self):
        action = self.env.ref("serial_tracking_mrp.serial_recall_action_new_hold")
        self.assertEqual(action.context, "{'default_kind': 'hold'}")
        action = (
            self.env["serial.recall"]
            .with_context(serial_recall_kind="hold")
            .action_create_from("stock.lot", self.cell_a.ids)
        )
        self.assertEqual(action["context"]["default_kind"], "hold")
        self.assertEqual(action["context"]["default_lot_ids"], self.cell_a.ids)
