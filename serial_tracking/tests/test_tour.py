from odoo.tests import tagged

from .common import SerialTourCase


@tagged("post_install", "-at_install")
class TestCaptureTour(SerialTourCase):
    def test_capture_serials_on_a_receipt(self):
        # The capture button is shown to users of Odoo's "Lots & Serial Numbers" setting.
        self.env.ref("base.user_admin").groups_id += self.env.ref("stock.group_production_lot")
        picking = self._create_picking(self.picking_type_in, self.product_imei, 3, self.vendor)
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(url, "serial_tracking_capture_tour", login="admin", timeout=120)
        self.assertEqual(picking.state, "done")
        lots = picking.move_line_ids.lot_id
        self.assertEqual(
            sorted(lots.mapped("name")),
            ["490154203237518", "860123456789014", "860123456789022"],
        )
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
