from odoo.tests import tagged

from .common import SerialTourCase


@tagged("post_install", "-at_install")
class TestRecallTour(SerialTourCase):
    def test_recall_tour(self):
        product = self._create_serial_product("Tour Recall Drill")
        lots = self._receive_units(product, ["DRL-1", "DRL-2"])
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
