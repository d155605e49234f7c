from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyReturnTransfer(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.car = cls._create_covered_product("Warranty Car", cls.term_transferable)
        cls.phone_lot = cls._receive_numbered(cls.product, 1)
        cls.car_lot = cls._receive_numbered(cls.car, 1)
        cls._deliver(cls.phone_lot, cls.customer)
        cls._deliver(cls.car_lot, cls.customer)

    def test_return_voids_non_transferable_coverage(self):
        coverage = self.phone_lot.serial_warranty_ids
        self.assertEqual(coverage.state, "active")
        self._receive_back(self.phone_lot, self.customer)
        self.assertEqual(coverage.state, "void")
        self.assertTrue(coverage.void_date)
        self.assertIn("returned", coverage.void_reason)
        self.assertEqual(self.phone_lot.serial_warranty_state, "none")
        self.assertIn("voided", self.phone_lot.message_ids[0].body)

    def test_return_keeps_transferable_coverage(self):
        coverage = self.car_lot.serial_warranty_ids
        self._receive_back(self.car_lot, self.customer)
        self.assertEqual(coverage.state, "active")
        self.assertEqual(self.car_lot.serial_warranty_state, "active")
        # Resold to someone else: the same coverage follows, no second one.
        self._deliver(self.car_lot, self.customer_2)
        self.assertEqual(self.car_lot.serial_warranty_ids, coverage)
        self.assertEqual(coverage.partner_id, self.customer_2)

    def test_redelivery_after_void_starts_a_new_coverage(self):
        self._receive_back(self.phone_lot, self.customer)
        self._deliver(self.phone_lot, self.customer_2)
        coverages = self.phone_lot.serial_warranty_ids
        self.assertEqual(sorted(coverages.mapped("state")), ["active", "void"])
        self.assertEqual(
            coverages.filtered(lambda w: w.state == "active").partner_id, self.customer_2
        )

    def _transfer(self, lots, partner, note="Sold on a second-hand market"):
        action = lots.action_serial_transfer()  # Action menu of the units
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.partner_id = partner
        wizard.note = note
        return wizard.save()

    def test_transfer_wizard(self):
        lots = self.phone_lot | self.car_lot
        wizard = self._transfer(lots, self.customer_2)
        self.assertIn("will be voided", wizard.warranty_info)
        self.assertIn("follows the unit", wizard.warranty_info)
        wizard.action_confirm()
        self.assertEqual(lots.serial_owner_id, self.customer_2)
        current = lots.serial_ownership_ids.filtered(lambda o: not o.date_end)
        self.assertEqual(set(current.mapped("origin")), {"transfer"})
        self.assertEqual(current.partner_id, self.customer_2)
        self.assertEqual(current.mapped("note"), ["Sold on a second-hand market"] * 2)
        phone_cov, car_cov = self.phone_lot.serial_warranty_ids, self.car_lot.serial_warranty_ids
        self.assertEqual(phone_cov.state, "void")
        self.assertIn("changed owner", phone_cov.void_reason)
        self.assertEqual(car_cov.state, "active")
        self.assertEqual(car_cov.partner_id, self.customer_2)
        self.assertIn(self.customer_2.name, self.car_lot.message_ids[0].body)

    def test_transfer_refuses_units_not_at_a_customer(self):
        in_stock = self._receive_numbered(self.product, 1, prefix="STK")
        wizard = self._transfer(in_stock | self.car_lot, self.customer)
        with self.assertRaisesRegex(UserError, in_stock.name) as error:
            wizard.action_confirm()
        self.assertIn(self.car_lot.name, str(error.exception), "already owned by them")
        self.assertEqual(self.car_lot.serial_owner_id, self.customer)

    def test_transfer_before_current_ownership_refused(self):
        wizard = self._transfer(self.car_lot, self.customer_2)
        wizard.date = "2000-01-01"
        with self.assertRaisesRegex(UserError, "after the transfer date"):
            wizard.action_confirm()
