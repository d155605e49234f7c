from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import RegisterCase

FORM_3310 = "File ATF Form 3310.4 (multiple handgun sale)"


@tagged("post_install", "-at_install")
class TestRegisterTheft(RegisterCase):
    @freeze_time("2026-03-01 23:30:00")
    def test_theft_then_recovery(self):
        # Reported at 23:30 UTC by a user in Brussels, where it is already the 2nd:
        # the 48 hours run on the reporting user's calendar.
        self.stock_user.tz = "Europe/Brussels"
        lot = self._receive_units(self.pistol, ["T-1"])
        wizard = (
            self.env["serial.loss.report.wizard"]
            .with_user(self.stock_user)
            .create({"lot_ids": [(6, 0, lot.ids)], "loss_state": "stolen", "reference": "PD-77"})
        )
        wizard.action_confirm()
        theft = self._entries(lot, entry_type="disposition")
        self.assertEqual(len(theft), 1, "the write-off move is the same event, one line")
        self.assertEqual(theft.event, "theft")
        self.assertIn("PD-77", theft.reason)
        activity = lot.activity_ids.filtered(lambda a: "ATF" in a.summary)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 3, 4))

        self.env["serial.loss.clear.wizard"].with_user(self.stock_manager).create(
            {"lot_ids": [(6, 0, lot.ids)], "reason": "Found by the police", "restock": True}
        ).action_confirm()
        entries = self._entries(lot)
        self.assertEqual(entries.mapped("event"), ["receipt", "theft", "recovery"])
        self.assertEqual(entries[-1].entry_type, "acquisition")
        self.assertTrue(self.Entry.action_verify_integrity())

    def test_unit_found_at_a_count_is_not_booked_as_recovered_on_request(self):
        # Only the restock of a reported unit is a recovery; a client's context
        # cannot make a unit found at an inventory count one.
        lot = self.env["stock.lot"].create({"product_id": self.pistol.id, "name": "F-1"})
        self.env["stock.quant"].with_user(self.stock_user).with_context(
            inventory_mode=True, serial_register_recovery=True
        ).create(
            {
                "product_id": self.pistol.id,
                "location_id": self.stock_location.id,
                "lot_id": lot.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        self.assertEqual(self._entries(lot).mapped("event"), ["found"])

    def test_unit_already_sold_writes_no_line_when_stolen(self):
        lot = self._receive_units(self.rifle, ["T-2"])
        self._sell_units(lot)
        lot._serial_report_loss("stolen", fields.Date.today(), "PD-78")
        self.assertEqual(self._entries(lot).mapped("event"), ["receipt", "delivery"])
        self.assertFalse(lot.activity_ids)


@tagged("post_install", "-at_install")
class TestRegisterMultipleSales(RegisterCase):
    """2026-03-02 is a Monday: that Friday is the 5th business day, the next Monday
    the 6th."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pistols = cls._receive_units(cls.pistol, [f"MP-{i}" for i in range(4)])
        cls.revolvers = cls._receive_units(cls.revolver, ["MR-1"])
        cls.rifles = cls._receive_units(cls.rifle, ["MRI-1"])

    def _alerts(self, pickings):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "in", pickings.ids),
                ("summary", "=", FORM_3310),
            ]
        )

    def test_second_handgun_within_five_business_days(self):
        with freeze_time("2026-03-02 10:00:00"):
            first = self._sell_units(self.pistols[0])
        self.assertFalse(self._alerts(first))
        with freeze_time("2026-03-06 15:00:00"):
            second = self._sell_units(self.revolvers, self.customer_contact)
        alert = self._alerts(second)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.date_deadline, date(2026, 3, 6))
        self.assertIn("MP-0", alert.note)
        self.assertIn("MR-1", alert.note)

    def test_not_on_the_sixth_business_day(self):
        with freeze_time("2026-03-02 10:00:00"):
            self._sell_units(self.pistols[0])
        with freeze_time("2026-03-09 10:00:00"):
            later = self._sell_units(self.pistols[1])
        self.assertFalse(self._alerts(later))

    def test_two_at_once_and_rifles_and_licensees(self):
        rifle_sale = self._sell_units(self.rifles | self.pistols[2])
        self.assertFalse(self._alerts(rifle_sale), "a rifle is no handgun")
        dealer_sale = self._sell_units(self.pistols[3] | self.revolvers, self.dealer)
        self.assertFalse(self._alerts(dealer_sale), "a licensee files no 3310.4")

    def test_two_handguns_in_one_delivery(self):
        sale = self._sell_units(self.pistols[:2])
        self.assertEqual(len(self._alerts(sale)), 1)
