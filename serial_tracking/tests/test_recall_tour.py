from odoo.tests import tagged

from .tour_common import SerialTourCase


@tagged("post_install", "-at_install")
class TestRecallTour(SerialTourCase):
    def test_recall_tour(self):
        product = self.env["product.product"].create(
            {"name": "Tour Recall Drill", "is_storable": True, "tracking": "serial"}
        )
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        lots = self.env["stock.lot"].create(
            [{"name": f"DRL-{i}", "product_id": product.id} for i in (1, 2)]
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
        # The lot list, restricted to the tour's serials.
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Tour Serials",
                "res_model": "stock.lot",
                "view_mode": "list,form",
                "domain": [("product_id", "=", product.id)],
            }
        )
        self.start_tour(f"/odoo/action-{action.id}", "serial_tracking_recall_tour", login="admin")
        recall = self.env["serial.recall"].search([("title", "=", "Tour: cracked housing")])
        self.assertEqual(recall.state, "open")
        self.assertEqual(recall.line_ids.lot_id, lots)
        self.assertEqual(set(recall.line_ids.mapped("resolution")), {"repaired"})
        self.assertTrue(all(lots.mapped("serial_blocked")))
