from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import RecallCase, SerialTrackingCase


@tagged("post_install", "-at_install")
class TestRecallAccess(RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recall = cls._create_recall(product_ids=[(6, 0, cls.widget.ids)])
        cls.recall.action_compute_scope()
        cls.recall.action_open()

    def test_user_reads_and_resolves_but_cannot_run(self):
        recall = self.recall.with_user(self.stock_user)
        self.assertEqual(recall.unit_count, 15)
        with self.assertRaises(AccessError):
            self.env["serial.recall"].with_user(self.stock_user).create({"title": "Nope"})
        with self.assertRaises(UserError):
            recall.action_close(force_reason="not mine")
        with self.assertRaises(UserError):
            recall.action_cancel()
        with self.assertRaises(AccessError):
            recall.title = "Renamed"
        line = recall.line_ids.filtered(lambda line: line.lot_id.name == "W5")
        line._resolve("inspected_ok")
        self.assertEqual(line.state, "resolved")
        # Users cannot lift a block themselves.
        with self.assertRaises(AccessError):
            line.write({"blocking": False})
        self.assertTrue(self.w["W5"].serial_blocked)

    def test_manager_runs_campaigns(self):
        recall = (
            self.env["serial.recall"]
            .with_user(self.stock_manager)
            .create({"title": "Manager recall", "lot_ids": [(6, 0, self.g["G2"].ids)]})
        )
        recall.action_compute_scope()
        recall.action_open()
        recall.line_ids._resolve("replaced")
        recall.action_close()
        self.assertEqual(recall.state, "closed")
        self.assertFalse(self.g["G2"].serial_blocked)

    def test_other_company_cannot_see(self):
        other = self.env["res.company"].create({"name": "Recall Other Co"})
        outsider = self._create_user(
            "recall_outsider",
            "stock.group_stock_manager,serial_tracking.group_serial_tracking_manager",
            company=other,
        )
        Recall = self.env["serial.recall"].with_user(outsider)
        self.assertFalse(Recall.search([("id", "=", self.recall.id)]))
        self.assertFalse(
            self.env["serial.recall.line"]
            .with_user(outsider)
            .search([("recall_id", "=", self.recall.id)])
        )
        with self.assertRaises(AccessError):
            self.recall.with_user(outsider).read(["title"])


@tagged("post_install", "-at_install")
class TestRecallPortal(HttpCase, SerialTrackingCase):
    def test_portal_lists_only_own_units(self):
        product = self._create_serial_product("Portal Recall Kettle")
        lots = self._receive_units(product, ["KET-1", "KET-2"])
        self._deliver(lots[0], self.customer)
        self._deliver(lots[1], self.customer_2)
        self.assertEqual(lots[0].serial_owner_id, self.customer)
        recall = self.env["serial.recall"].create(
            {"title": "Kettle lid may detach", "product_ids": [(6, 0, product.ids)]}
        )
        recall.action_compute_scope()
        recall.action_open()
        portal = self._create_user(
            "recall_portal", "base.group_portal", partner_id=self.customer.id
        )
        self.authenticate(portal.login, portal.login)
        response = self.url_open("/my/recalls")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Kettle lid may detach", response.text)
        self.assertIn("KET-1", response.text)
        self.assertNotIn("KET-2", response.text)
