from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import move_lots
from .recall_common import RecallCommon


@tagged("post_install", "-at_install")
class TestRecallAccess(RecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recall = cls._recall(product_ids=[(6, 0, cls.widget.ids)])
        cls.recall.action_compute_scope()
        cls.recall.action_open()

    def test_user_reads_and_resolves_but_cannot_run(self):
        recall = self.recall.with_user(self.user)
        self.assertEqual(recall.unit_count, 15)
        with self.assertRaises(AccessError):
            self.env["serial.recall"].with_user(self.user).create({"title": "Nope"})
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
            .with_user(self.manager)
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
        outsider = new_test_user(
            self.env,
            login="recall_outsider",
            groups="stock.group_stock_manager,serial_tracking.group_serial_tracking_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
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
class TestRecallPortal(HttpCase):
    def test_portal_lists_only_own_units(self):
        env = self.env
        stock = env.ref("stock.warehouse0").lot_stock_id
        customer_loc = env.ref("stock.stock_location_customers")
        product = env["product.product"].create(
            {"name": "Portal Recall Kettle", "is_storable": True, "tracking": "serial"}
        )
        lots = env["stock.lot"].create(
            [{"name": f"KET-{i}", "product_id": product.id} for i in (1, 2)]
        )
        for lot in lots:
            env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
        mine = env["res.partner"].create({"name": "Portal Owner", "email": "po@example.com"})
        theirs = env["res.partner"].create({"name": "Someone Else", "email": "se@example.com"})
        for lot, partner in zip(lots, (mine, theirs), strict=True):
            move_lots(env, lot, stock, customer_loc, env.ref("stock.picking_type_out"), partner)
        self.assertEqual(lots[0].serial_owner_id, mine)
        recall = env["serial.recall"].create(
            {"title": "Kettle lid may detach", "product_ids": [(6, 0, product.ids)]}
        )
        recall.action_compute_scope()
        recall.action_open()
        new_test_user(
            env,
            login="recall_portal",
            groups="base.group_portal",
            partner_id=mine.id,
            password="recall_portal_pw",
        )
        self.authenticate("recall_portal", "recall_portal_pw")
        response = self.url_open("/my/recalls")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Kettle lid may detach", response.text)
        self.assertIn("KET-1", response.text)
        self.assertNotIn("KET-2", response.text)
