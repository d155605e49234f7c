from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyAccess(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._receive_numbered(cls.product, 1)
        cls._deliver(cls.lot, cls.customer)
        cls.coverage = cls.lot.serial_warranty_ids

    def test_sales_user_reads_but_cannot_edit(self):
        coverage = self.coverage.with_user(self.salesman)
        self.assertEqual(coverage.date_end, self.coverage.date_end)
        with self.assertRaises(AccessError):
            coverage.write({"date_end": "2099-12-31"})
        with self.assertRaises(AccessError):
            coverage.unlink()
        with self.assertRaises(AccessError):
            self.env["serial.warranty"].with_user(self.salesman).create(
                self.env["serial.warranty"]._serial_prepare_vals(
                    self.term_delivery, self.product, self.coverage.date_start, lot=self.lot
                )
            )
        with self.assertRaises(AccessError):
            self.term_delivery.with_user(self.salesman).write({"duration": 10})

    def test_portal_user_cannot_read_or_edit(self):
        with self.assertRaises(AccessError):
            self.coverage.with_user(self.portal_user).read(["date_end"])
        with self.assertRaises(AccessError):
            self.coverage.with_user(self.portal_user).write({"date_end": "2099-12-31"})

    def test_stock_user_reads_manager_edits(self):
        self.assertTrue(self.coverage.with_user(self.stock_user).read(["state"]))
        with self.assertRaises(AccessError):
            self.coverage.with_user(self.stock_user).write({"date_end": "2099-12-31"})
        self.coverage.with_user(self.stock_manager).action_void()
        self.assertEqual(self.coverage.state, "void")

    def test_sales_user_triggers_coverage_without_rights(self):
        """Confirming an order starts coverage even if the user cannot create any."""
        product = self._create_covered_product("Sale-trigger", self.term_sale)
        order = self._sell([(product, 1)], confirm=False)
        order.user_id = self.salesman
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.order_line.sudo().serial_warranty_ids.state, "pending")

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        other_term = self.env["serial.warranty.term"].create(
            {"name": "Other term", "duration": 1, "company_id": other.id}
        )
        shared_term = self.term_delivery
        self.assertFalse(shared_term.company_id, "terms without company are shared")
        user = self._create_user("war_other", "stock.group_stock_user", other)
        terms = self.env["serial.warranty.term"].with_user(user).search([])
        self.assertIn(other_term, terms)
        self.assertIn(shared_term, terms)
        self.assertFalse(
            self.env["serial.warranty"].with_user(user).search([("id", "=", self.coverage.id)]),
            "coverage of another company is invisible",
        )
        # a product of this company cannot use a term of another company
        self.product.product_tmpl_id.company_id = self.env.company
        with self.assertRaisesRegex(UserError, "Other term|compan"):
            self.product.product_tmpl_id.serial_warranty_term_id = other_term

    def test_sales_user_sells_an_extension(self):
        order = self._sell(
            [(self.extension, 1, {"serial_extended_lot_ids": [Command.set(self.lot.ids)]})],
            confirm=False,
        )
        order.user_id = self.salesman
        order.with_user(self.salesman).action_confirm()
        extension = self.lot.serial_warranty_ids.filtered(lambda w: w.origin == "extension")
        self.assertEqual(extension.date_start, self.coverage.date_end + timedelta(days=1))
        # the order line shows the serials to the salesperson
        line = order.order_line.with_user(self.salesman)
        self.assertEqual(line.serial_extended_lot_ids.mapped("name"), [self.lot.name])
