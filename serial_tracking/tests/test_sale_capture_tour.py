from odoo.tests import tagged

from .common import SaleCaptureCase, SerialTourCase


@tagged("post_install", "-at_install")
class TestSaleCaptureTour(SerialTourCase, SaleCaptureCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = "09506000134376"

    def test_salesperson_scans_and_confirms(self):
        order = self._sell([(self.product, 2)], confirm=False)
        order.user_id = self.salesman
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "serial_tracking_sale_capture_tour",
            login=self.salesman.login,
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.serial_lot_ids, self.lots[:2])
        picking = order.picking_ids
        self.assertEqual(self._reserved_lots(picking), self.lots[:2])
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "serial_tracking_sale_delivery_tour",
            login="admin",
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, self.lots[:2])
        self.assertEqual(set(self.lots[:2].mapped("serial_state")), {"delivered"})
        self.assertEqual(self.lots[:2].serial_owner_id, self.customer)

    def test_portal_shows_own_serials_only(self):
        order = self._quote_in_form([(self.product, 2, self.lots[:2])])
        other = self._quote_in_form([(self.product, 1, self.lots[2])])
        response = self.url_open(order.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("CAM-001, CAM-002", response.text)
        self.assertNotIn("CAM-003", response.text)
        # Without the token, a visitor is sent to the login page, not to the serials.
        response = self.url_open(f"/my/orders/{other.id}")
        self.assertNotIn("CAM-003", response.text)
