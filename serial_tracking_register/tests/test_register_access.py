from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RegisterCase


@tagged("post_install", "-at_install")
class TestRegisterAccess(RegisterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._receive_units(cls.pistol, ["A-1"])
        cls.entry = cls.Entry.search([("lot_id", "in", cls.lots.ids)])
        cls.other_company = cls.env["res.company"].create({"name": "Other Store"})
        cls.other_user = cls._create_user(
            "reg_other", "stock.group_stock_manager", company=cls.other_company
        )

    def test_inventory_user_reads_but_cannot_correct(self):
        self.assertEqual(self.entry.with_user(self.stock_user).serial, "A-1")
        with self.assertRaisesRegex(UserError, "Only Register Officers"):
            self.entry.with_user(self.stock_user).action_correct({"model": "X"}, "typo")
        with self.assertRaises(AccessError):
            self.Entry.with_user(self.stock_user).check_access("create")

    def test_salesman_cannot_read(self):
        with self.assertRaises(AccessError):
            self.entry.with_user(self.salesman).read(["serial"])

    def test_other_company_does_not_see_the_book(self):
        self.assertFalse(self.Entry.with_user(self.other_user).search([("id", "=", self.entry.id)]))
        # An officer of the other company cannot correct this company's book.
        with self.assertRaises(AccessError):
            self.entry.with_user(self.other_user).action_correct({"model": "X"}, "typo")

    def test_manager_is_officer(self):
        self.assertTrue(
            self.stock_manager.has_group("serial_tracking_register.group_serial_register_officer")
        )
        correction = self.entry.with_user(self.stock_manager).action_correct(
            {"transaction_ref": "4473-9"}, "Missing number"
        )
        self.assertEqual(correction.create_uid, self.stock_manager)
