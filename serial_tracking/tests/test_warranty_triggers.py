from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyTriggers(WarrantyCase):
    def test_delivery_starts_one_coverage_per_unit(self):
        lots = self._receive_numbered(self.product, 3)
        no_term = self._create_covered_product("No warranty", False)
        other = self._receive_numbered(no_term, 1)
        with freeze_time("2026-02-10 10:00:00"):
            picking = self._deliver(lots, self.customer)
            self._deliver(other, self.customer)
        coverages = self.env["serial.warranty"].search([("lot_id", "in", lots.ids)])
        self.assertEqual(len(coverages), 3)
        self.assertEqual(coverages.lot_id, lots)
        for coverage in coverages:
            self.assertEqual(coverage.term_id, self.term_delivery)
            self.assertEqual(coverage.partner_id, self.customer)
            self.assertEqual(coverage.picking_id, picking)
            self.assertEqual(coverage.origin, "standard")
            self.assertEqual(coverage.date_start, date(2026, 2, 10))
            self.assertEqual(coverage.date_end, date(2028, 2, 9))
        self.assertFalse(other.serial_warranty_ids)
        self.assertEqual(other.serial_warranty_state, "none")

    def test_delivery_to_contact_covers_the_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id, "type": "delivery"}
        )
        lot = self._receive_numbered(self.product, 1)
        self._deliver(lot, contact)
        self.assertEqual(lot.serial_warranty_ids.partner_id, self.customer)

    def test_internal_moves_start_nothing(self):
        lot = self._receive_numbered(self.product, 1)
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": self.stock_location.id, "usage": "internal"}
        )
        self._move_units(lot, self.warehouse.int_type_id, self.customer, self.stock_location, shelf)
        self.assertFalse(lot.serial_warranty_ids)

    def test_sale_trigger_pending_until_delivery(self):
        product = self._create_covered_product("Sold phone", self.term_sale)
        lots = self._receive_numbered(product, 2)
        with freeze_time("2026-01-31 15:00:00"):
            order = self._sell([(product, 2)])
            line = order.order_line
            pending = line.serial_warranty_ids
            self.assertEqual(len(pending), 2)
            self.assertEqual(set(pending.mapped("state")), {"pending"})
            self.assertFalse(pending.lot_id)
            self.assertEqual(pending.mapped("date_start"), [date(2026, 1, 31)] * 2)
            # 31 January + 6 months = 31 July, covered until 30 July.
            self.assertEqual(pending.mapped("date_end"), [date(2026, 7, 30)] * 2)
        with freeze_time("2026-02-03 09:00:00"):
            self._deliver_order(order, lots)
            coverages = line.serial_warranty_ids
            self.assertEqual(len(coverages), 2, "pending coverage got its unit")
            self.assertEqual(coverages.lot_id, lots)
            self.assertEqual(set(coverages.mapped("state")), {"active"})
            self.assertEqual(coverages.mapped("date_start"), [date(2026, 1, 31)] * 2)
            self.assertEqual(lots.mapped("serial_warranty_state"), ["active"] * 2)

    def test_invoice_trigger(self):
        product = self._create_covered_product("Invoiced phone", self.term_invoice)
        lots = self._receive_numbered(product, 2)
        order = self._sell([(product, 2)])
        with freeze_time("2026-04-01 10:00:00"):
            self._deliver_order(order, lots)
        self.assertFalse(lots.serial_warranty_ids, "waits for the invoice")
        invoice = order._create_invoices()
        invoice.invoice_date = date(2026, 4, 5)
        with freeze_time("2026-04-06 10:00:00"):
            invoice.action_post()
            coverages = lots.serial_warranty_ids
            self.assertEqual(len(coverages), 2)
            self.assertEqual(coverages.invoice_id, invoice)
            self.assertEqual(coverages.sale_line_id, order.order_line)
            self.assertEqual(coverages.mapped("date_start"), [date(2026, 4, 5)] * 2)
            self.assertEqual(coverages.mapped("date_end"), [date(2027, 4, 4)] * 2)
            self.assertEqual(set(coverages.mapped("state")), {"active"})
        # A second posting (credit note and new invoice) does not duplicate coverage.
        invoice2 = invoice.copy({"invoice_date": date(2026, 4, 7)})
        invoice2.action_post()
        self.assertEqual(len(lots.serial_warranty_ids), 2)

    def test_invoice_before_delivery(self):
        product = self._create_covered_product("Prepaid phone", self.term_invoice)
        product.invoice_policy = "order"
        lot = self._receive_numbered(product, 1)
        order = self._sell([(product, 1)])
        invoice = order._create_invoices()
        invoice.invoice_date = date(2026, 4, 2)
        invoice.action_post()
        self.assertFalse(
            self.env["serial.warranty"].search([("sale_line_id", "=", order.order_line.id)])
        )
        with freeze_time("2026-04-10 10:00:00"):
            self._deliver_order(order, lot)
        self.assertEqual(lot.serial_warranty_ids.date_start, date(2026, 4, 2))
        self.assertEqual(lot.serial_warranty_ids.invoice_id, invoice)

    def test_sale_trigger_with_serials_captured_on_the_order(self):
        product = self._create_covered_product("Captured phone", self.term_sale)
        product.serial_sale_capture = True
        lots = self._receive_numbered(product, 2)
        with freeze_time("2026-03-02 10:00:00"):
            order = self._sell([(product, 2, {"serial_lot_ids": [Command.set(lots.ids)]})])
            coverages = order.order_line.serial_warranty_ids
            self.assertEqual(coverages.lot_id, lots, "known units are covered right away")
            self.assertEqual(set(coverages.mapped("state")), {"active"})
        with freeze_time("2026-03-05 10:00:00"):
            self._deliver_order(order, lots)
        self.assertEqual(order.order_line.serial_warranty_ids, coverages, "no second coverage")
        self.assertEqual(coverages.mapped("date_start"), [date(2026, 3, 2)] * 2)
