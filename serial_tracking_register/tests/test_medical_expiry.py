from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .test_medical_product import MedicalCase

EXPIRED_MESSAGE = (
    "Expired medical devices cannot be delivered:\n - EXP-1 (Hip Stem 32) expired on 2025-01-31"
)


@tagged("post_install", "-at_install")
class TestMedicalExpiry(MedicalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lot = cls.env["stock.lot"]
        cls.expired = Lot.create(
            {
                "name": "EXP-1",
                "product_id": cls.implant.id,
                "serial_udi_lot": "L1",
                "serial_udi_expiry_code": "250131",
                "expiration_date": datetime(2025, 1, 31, 23, 59, 59),
            }
        )
        cls.fresh = Lot.create(
            {
                "name": "NEW-1",
                "product_id": cls.implant.id,
                "serial_udi_expiry_code": "491231",
                "expiration_date": datetime(2049, 12, 31, 23, 59, 59),
            }
        )
        # Receiving an expired unit is allowed: it can still go back to the vendor.
        receipt = cls._create_picking(cls.picking_type_in, cls.implant, 2, cls.vendor)
        # product_expiry asks whether to receive the expired unit: yes.
        cls._validate_picking(receipt.with_context(skip_expired=True), cls.expired | cls.fresh)
        assert receipt.state == "done"

    def _delivery(self, lots, **values):
        picking = self._create_picking(self.picking_type_out, self.implant, len(lots), **values)
        picking.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                dict(
                    picking.move_ids._prepare_move_line_vals(quantity=1), lot_id=lot.id, picked=True
                )
                for lot in lots
            ]
        )
        return picking

    def test_validation_refuses_expired_units(self):
        picking = self._delivery(self.expired | self.fresh, partner=self.customer)
        with self.assertRaises(UserError) as catcher:
            picking.button_validate()
        # Every expired unit is named with its local expiry date; the others are not.
        self.assertEqual(str(catcher.exception), EXPIRED_MESSAGE)
        self.assertNotIn("NEW-1", str(catcher.exception))
        # product_expiry's "deliver anyway" confirmation cannot let it through either.
        with self.assertRaises(UserError) as catcher:
            picking.with_context(skip_expired=True).button_validate()
        self.assertEqual(str(catcher.exception), EXPIRED_MESSAGE)
        # Nor can code that skips the picking's checks (assertRaises rolls back what
        # _action_done did before the check).
        with self.assertRaises(UserError) as catcher:
            picking._action_done()
        self.assertEqual(str(catcher.exception), EXPIRED_MESSAGE)
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self.expired.serial_state, "in_stock")
        # The fresh unit alone goes.
        fresh_only = self._delivery(self.fresh, partner=self.customer)
        fresh_only.button_validate()
        self.assertEqual(fresh_only.state, "done")

    def test_vendor_return_and_scrap_stay_possible(self):
        back = self._delivery(
            self.expired, partner=self.vendor, location_dest=self.supplier_location
        )
        # product_expiry still asks for confirmation: answer it.
        res = back.button_validate()
        self.assertEqual(res["res_model"], "expiry.picking.confirmation")
        Form.from_action(self.env, res).save().process()
        self.assertEqual(back.state, "done")

        lot = self.env["stock.lot"].create(
            {
                "name": "EXP-2",
                "product_id": self.implant.id,
                "expiration_date": datetime(2025, 1, 31, 23, 59, 59),
            }
        )
        receipt = self._create_picking(self.picking_type_in, self.implant, 1, self.vendor)
        self._validate_picking(receipt.with_context(skip_expired=True), lot)
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.implant.id,
                "lot_id": lot.id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")

    def test_capture_wizard_refuses_expired_units(self):
        picking = self._create_picking(self.picking_type_out, self.implant, 1, self.customer)
        with self.assertRaisesRegex(ValidationError, "line 1: EXP-1: expired on 2025-01-31"):
            self._capture(picking.move_ids, "EXP-1")
        self._capture(picking.move_ids, "NEW-1")
        self.assertEqual(picking.move_line_ids.lot_id, self.fresh)

    def test_detailed_operations_warn_at_once(self):
        picking = self._create_picking(self.picking_type_out, self.implant, 1, self.customer)
        line = self.env["stock.move.line"].new(
            dict(picking.move_ids._prepare_move_line_vals(quantity=1), lot_id=self.expired.id)
        )
        warning = line._onchange_serial_number()["warning"]
        self.assertEqual(warning["message"], "EXP-1 (Hip Stem 32) expired on 2025-01-31")
        line.lot_id = self.fresh
        self.assertNotIn("warning", line._onchange_serial_number())

    def test_unit_expires_after_its_day_in_the_company_time_zone(self):
        """AI (17) 261210 in New York (UTC-5): usable until 2026-12-11 04:59:59 UTC."""
        self.company.partner_id.tz = "America/New_York"
        with freeze_time("2026-12-01 12:00:00"):
            lots = self._receive_with_capture(
                self.implant, [self._udi(self.implant_di, "TZ-1", "L7", "260101", "261210")]
            )
        self.assertEqual(lots.expiration_date, datetime(2026, 12, 11, 4, 59, 59))
        # 23:00 on D in New York, already D+1 in UTC: still usable.
        with freeze_time("2026-12-11 04:00:00"):
            self.assertFalse(lots._serial_udi_expired())
            picking = self._delivery(lots, partner=self.customer)
            picking.button_validate()
            self.assertEqual(picking.state, "done")
        # Back in stock; 00:30 on D+1 in New York: expired "on D".
        with freeze_time("2026-12-11 04:30:00"):
            self._receive_back(lots, self.customer)
        with freeze_time("2026-12-11 05:30:00"):
            self.assertEqual(lots._serial_udi_expired(), lots)
            picking = self._delivery(lots, partner=self.customer)
            with self.assertRaises(UserError) as catcher:
                picking.button_validate()
        self.assertEqual(
            str(catcher.exception),
            "Expired medical devices cannot be delivered:\n"
            " - TZ-1 (Hip Stem 32) expired on 2026-12-10",
        )
