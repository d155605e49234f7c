from odoo.tests import tagged

from .common import SaleCaptureCase, SerialTourCase, WarrantyCase


@tagged("post_install", "-at_install")
class TestSaleScanTour(SerialTourCase, SaleCaptureCase):
    def test_scanner_enter_keeps_the_line(self):
        """A handheld scanner sends Enter after each code: the scan cell keeps the
        focus, so every serial lands on the line being edited."""
        order = self._sell([], confirm=False)
        order.user_id = self.salesman
        serials = ["CAM-001", "CAM-002", "CAM-003"]
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "serial_tracking_sale_scan_tour",
            login=self.salesman.login,
        )
        self.assertEqual(len(order.order_line), 1)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.order_line.product_uom_qty, 3)
        self.assertEqual(order.order_line.serial_lot_ids, self.lots[:3])
        self.assertFalse(
            self.env["product.template"]
            .with_context(active_test=False)
            .search_count([("name", "in", serials)]),
            "a scanned serial was taken for a product name",
        )


@tagged("post_install", "-at_install")
class TestWarrantyLookupScanTour(SerialTourCase, WarrantyCase):
    def test_scanner_enter_looks_up_unit_after_unit(self):
        self._receive_units(self.product, ["WSCAN-0001", "WSCAN-0002"])
        self.start_tour(
            "/odoo/action-serial_tracking.serial_warranty_lookup_action",
            "serial_tracking_lookup_scan_tour",
            login=self.stock_user.login,
        )
