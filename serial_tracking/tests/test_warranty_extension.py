from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyExtension(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._receive_numbered(cls.product, 2)
        with freeze_time("2026-01-15 10:00:00"):
            cls._deliver(cls.lots, cls.customer)
        # standard coverage: 2026-01-15 .. 2028-01-14

    def _sell_extension(self, lots, qty=None, partner=None):
        return self._sell(
            [
                (
                    self.extension,
                    qty or len(lots),
                    {"serial_extended_lot_ids": [Command.set(lots.ids)]},
                )
            ],
            partner=partner,
        )

    def test_extension_starts_after_current_coverage(self):
        lot = self.lots[0]
        with freeze_time("2026-06-01 10:00:00"):
            order = self._sell_extension(lot)
            extension = lot.serial_warranty_ids.filtered(lambda w: w.origin == "extension")
            self.assertEqual(extension.sale_line_id, order.order_line)
            self.assertEqual(extension.term_id, self.term_extension)
            self.assertEqual(extension.date_start, date(2028, 1, 15))
            self.assertEqual(extension.date_end, date(2029, 1, 14))
            self.assertEqual(extension.state, "pending")
            self.assertEqual(lot.serial_warranty_state, "active")
            self.assertEqual(lot.serial_warranty_end, date(2029, 1, 14))
            self.assertIn("+12 months", lot.message_ids[0].body, "logged on the unit")
        with freeze_time("2028-01-15 10:00:00"):
            self.env.invalidate_all()  # a new request, on a new day
            self.assertEqual(extension.state, "active")
            self.assertEqual(lot.serial_warranty_state, "active")

    def test_extensions_chain(self):
        lot = self.lots[0]
        with freeze_time("2026-06-01 10:00:00"):
            self._sell_extension(lot)
            # two more in the same order: they follow each other
            self._sell(
                [
                    (self.extension, 1, {"serial_extended_lot_ids": [Command.set(lot.ids)]}),
                    (self.extension, 1, {"serial_extended_lot_ids": [Command.set(lot.ids)]}),
                ]
            )
        extensions = lot.serial_warranty_ids.filtered(lambda w: w.origin == "extension").sorted(
            "date_start"
        )
        self.assertEqual(
            [(w.date_start, w.date_end) for w in extensions],
            [
                (date(2028, 1, 15), date(2029, 1, 14)),
                (date(2029, 1, 15), date(2030, 1, 14)),
                (date(2030, 1, 15), date(2031, 1, 14)),
            ],
        )
        self.assertEqual(lot.serial_warranty_end, date(2031, 1, 14))
        self.assertEqual(self.lots[1].serial_warranty_end, date(2028, 1, 14))

    def test_extension_without_active_coverage_starts_at_sale(self):
        lot = self.lots[0]
        with freeze_time("2028-03-01 10:00:00"):
            self.env.invalidate_all()  # a new request, on a new day
            self.assertEqual(lot.serial_warranty_state, "expired")
            self._sell_extension(lot)
            extension = lot.serial_warranty_ids.filtered(lambda w: w.origin == "extension")
            self.assertEqual(extension.date_start, date(2028, 3, 1))
            self.assertEqual(extension.date_end, date(2029, 2, 28))
            self.assertEqual(extension.state, "active")
            self.assertEqual(lot.serial_warranty_state, "active")

    def test_several_serials_on_one_line(self):
        self._sell_extension(self.lots)
        self.assertEqual(
            len(self.lots.serial_warranty_ids.filtered(lambda w: w.origin == "extension")), 2
        )

    def test_extension_without_serial_refused(self):
        order = self._sell([(self.extension, 1)], confirm=False)
        with self.assertRaisesRegex(UserError, "choose the serial"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_extension_for_serial_of_someone_else_refused(self):
        order = self._sell(
            [(self.extension, 1, {"serial_extended_lot_ids": [Command.set(self.lots[0].ids)]})],
            partner=self.customer_2,
            confirm=False,
        )
        with self.assertRaisesRegex(UserError, self.lots[0].name):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(self.lots.serial_warranty_ids.filtered(lambda w: w.origin == "extension"))

    def test_extension_for_unit_in_stock_refused(self):
        in_stock = self._receive_numbered(self.product, 1, prefix="STK")
        order = self._sell(
            [(self.extension, 1, {"serial_extended_lot_ids": [Command.set(in_stock.ids)]})],
            confirm=False,
        )
        with self.assertRaisesRegex(UserError, "not owned"):
            order.action_confirm()

    def test_quantity_must_match_serials(self):
        order = self._sell(
            [(self.extension, 3, {"serial_extended_lot_ids": [Command.set(self.lots.ids)]})],
            confirm=False,
        )
        with self.assertRaisesRegex(UserError, "one per serial"):
            order.action_confirm()

    def test_extension_product_must_be_a_service_with_term(self):
        with self.assertRaisesRegex(ValidationError, "a warranty extension is a service"):
            self.env["product.product"].create(
                {"name": "Bad extension", "type": "service", "serial_warranty_extension": True}
            )
