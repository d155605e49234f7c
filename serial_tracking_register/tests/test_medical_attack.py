from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .test_medical_register import MedicalCase


@tagged("post_install", "-at_install")
class TestMedicalAttack(MedicalCase):
    """What a restricted or careless RPC client tries against the medical book."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Second Pharmacy"})
        cls.other_officer = cls._create_user(
            "atk_other",
            "stock.group_stock_user,serial_tracking_register.group_serial_register_officer",
            company=cls.company_b,
        )

    @contextmanager
    def assertRaisesMessage(self, exception, pattern):
        # assertRaises (not assertRaisesRegex) rolls back what the failed call wrote.
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), pattern)

    def _received(self, serial, **vals):
        lot = self.env["stock.lot"].create(
            {"name": serial, "product_id": self.implant.id, "serial_udi_lot": "L9", **vals}
        )
        receipt = self._create_picking(self.picking_type_in, self.implant, 1, self.vendor)
        # product_expiry asks whether to receive an expired unit: yes.
        self._validate_picking(receipt.with_context(skip_expired=True), lot)
        self.assertEqual(receipt.state, "done")
        return lot

    def test_unit_expired_by_its_udi_is_not_delivered(self):
        # AI (17) on the unit but no product_expiry date (created by RPC or import).
        lot = self._received("EXPA-1", serial_udi_expiry_code="200115")
        self.assertFalse(lot.expiration_date)
        with self.assertRaisesMessage(UserError, "EXPA-1 .* expired on 2020-01-15"):
            self._deliver_devices(lot)
        self.assertEqual(lot.serial_state, "in_stock")
        # A stock user clearing (or moving) the expiration date does not help either.
        lot = self._received(
            "EXPA-2",
            serial_udi_expiry_code="200115",
            expiration_date=datetime(2020, 1, 15, 23, 59, 59),
        )
        lot.with_user(self.stock_user).write({"expiration_date": False})
        with self.assertRaisesMessage(UserError, "EXPA-2 .* expired on 2020-01-15"):
            self._deliver_devices(lot)
        lot.with_user(self.stock_user).write({"expiration_date": datetime(2099, 1, 1)})
        with self.assertRaisesMessage(UserError, "EXPA-2 .* expired on 2020-01-15"):
            self._deliver_devices(lot)
        self.assertEqual(lot.serial_state, "in_stock")
        # A product_expiry date earlier than the label still counts.
        lot = self._received(
            "EXPA-3",
            serial_udi_expiry_code="491231",
            expiration_date=datetime(2021, 3, 1, 12, 0, 0),
        )
        with self.assertRaisesMessage(UserError, "EXPA-3 .* expired on 2021-03-01"):
            self._deliver_devices(lot)
        fresh = self._received("EXPA-4", serial_udi_expiry_code="491231")
        self._deliver_devices(fresh)
        self.assertEqual(fresh.serial_state, "delivered")

    def test_malformed_pi_written_on_the_unit_is_refused(self):
        lot = self._received("PI-1", serial_udi_expiry_code="301231")
        Lot = lot.with_user(self.stock_user)
        for vals, message in (
            ({"serial_udi_expiry_code": "251332"}, r"PI-1: AI \(17\) 251332"),
            ({"serial_udi_expiry_code": "2512"}, r"PI-1: AI \(17\) 2512"),
            ({"serial_udi_lot": "L1\x1d21FAKE"}, r"PI-1: AI \(10\) L1"),
            ({"serial_udi_lot": "L 1"}, r"PI-1: AI \(10\) L 1"),
        ):
            with self.assertRaisesMessage(ValidationError, message):
                Lot.write(vals)
        self.assertEqual(lot.serial_udi_expiry_code, "301231")
        self.assertEqual(lot.serial_udi_lot, "L9")
        with self.assertRaisesMessage(ValidationError, r"PI-2: AI \(17\) 991399"):
            self.env["stock.lot"].with_user(self.stock_user).create(
                {"name": "PI-2", "product_id": self.implant.id, "serial_udi_expiry_code": "991399"}
            )
        # Day 00 is the end of the month in GS1: valid.
        lot.write({"serial_udi_expiry_code": "301200"})
        self.assertEqual(
            lot._register_entry_values_unit("medical_device")["udi_expiry"], date(2030, 12, 31)
        )

    def test_malformed_pi_on_a_receipt_line_is_refused(self):
        picking = self._create_picking(self.picking_type_in, self.implant, 1, self.vendor)
        line = picking.move_ids.move_line_ids.with_user(self.stock_user)
        with self.assertRaisesMessage(ValidationError, r"PI-ML: AI \(17\) 991399"):
            line.write({"lot_name": "PI-ML", "serial_udi_expiry_code": "991399"})
        line.write({"lot_name": "PI-ML", "serial_udi_expiry_code": "991231", "picked": True})
        picking.with_user(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(line.lot_id.serial_udi_expiry_code, "991231")

    def test_correction_with_malformed_values_is_refused(self):
        lots = self._receive_devices(self.implant, ["CO-1"])
        entry = self._entries(lots).with_user(self.officer)
        count = self.Entry.search_count([])
        for values, label in (
            ({"date": "garbage"}, "Date"),
            ({"udi_expiry": "2025-13-45"}, "Expiry Date"),
            ({"end_use": "bogus"}, "End Use"),
            ({"patient_name": {"a": 1}}, "Patient Name"),
        ):
            with self.assertRaisesMessage(UserError, f"Invalid value for {label}"):
                entry.action_correct(values, "typo")
        self.assertEqual(self.Entry.search_count([]), count, "nothing written")
        correction = entry.action_correct({"udi_expiry": "2031-01-31"}, "typo")
        self.assertEqual(correction.udi_expiry, date(2031, 1, 31))
        self.assertTrue(self.Entry.action_verify_integrity())

    def test_other_company_cannot_record_events_on_our_units(self):
        # Units of a product shared between companies are readable by both.
        lots = self._receive_devices(self.implant, ["OC-1"])
        self._deliver_devices(lots, end_use="institution")
        self.assertFalse(lots.company_id)
        Wizard = self.env["serial.register.event.wizard"].with_user(self.other_officer)
        wizard = Wizard.create({"event": "death", "lot_ids": [Command.set(lots.ids)]})
        self.assertEqual(wizard.company_id, self.company_b)
        with self.assertRaisesMessage(UserError, "not in the medical device book of Second"):
            wizard.action_confirm()
        self.assertFalse(self.Entry.sudo().search([("company_id", "=", self.company_b.id)]))
        # Our own officer still records it in our book.
        entry = self._record_event(lots, "death")
        self.assertEqual(entry.company_id, self.company)

    def test_no_line_added_to_the_end_user_wizard_of_another_user(self):
        lots = self._receive_devices(self.implant, ["EU-1"])
        picking = self._create_picking(self.picking_type_out, self.implant, 1, self.hospital)
        picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            dict(
                picking.move_ids._prepare_move_line_vals(quantity=1),
                lot_id=lots.id,
                picked=True,
            )
        )
        action = picking.with_user(self.officer).button_validate()
        form = Form(
            self.env[action["res_model"]].with_user(self.officer).with_context(**action["context"])
        )
        form.end_use = "patient"
        with form.line_ids.edit(0) as line:
            line.patient_name = "True Patient"
            line.prescriber_name = "Dr. True"
        wizard = form.save()
        Line = self.env["serial.register.end.user.line"].with_user(self.stock_user)
        fake = {"lot_id": lots.id, "patient_name": "Fake Patient", "prescriber_name": "Dr. Fake"}
        with self.assertRaises(AccessError):
            Line.create({"wizard_id": wizard.id, **fake})
        # Nor by moving a line of one's own wizard into it.
        own = (
            self.env["serial.register.end.user.wizard"]
            .with_user(self.stock_user)
            .create({"end_use": "patient", "line_ids": [Command.create(fake)]})
        )
        with self.assertRaises(AccessError):
            own.line_ids.write({"wizard_id": wizard.id})
        self.assertEqual(wizard.sudo().line_ids.mapped("patient_name"), ["True Patient"])
        wizard.action_confirm()
        entry = self.Entry.search([("lot_id", "=", lots.id), ("event", "=", "delivery")])
        self.assertEqual(entry.with_user(self.officer).patient_name, "True Patient")

    def test_no_expired_unit_swapped_into_a_done_delivery(self):
        fresh = self._received("SW-1", serial_udi_expiry_code="491231")
        expired = self._received("SW-2", serial_udi_expiry_code="200115")
        picking = self._deliver_devices(fresh)
        self.assertEqual(picking.state, "done")
        line = picking.move_line_ids.with_user(self.stock_user)
        with self.assertRaisesMessage(UserError, "SW-2 .* expired on 2020-01-15"):
            line.write({"lot_id": expired.id})
        self.assertEqual(line.lot_id, fresh)
        quant = self.env["stock.quant"].search([("lot_id", "=", expired.id), ("quantity", ">", 0)])
        self.assertEqual(quant.location_id, self.stock_location)
        # A unit expired since its delivery: the line can still be saved or undone.
        fresh.expiration_date = datetime(2021, 1, 1)
        line = picking.move_line_ids
        line.write({"lot_id": fresh.id, "quantity": 1})
        line.write({"quantity": 0})
        quant = self.env["stock.quant"].search([("lot_id", "=", fresh.id), ("quantity", ">", 0)])
        self.assertEqual(quant.location_id, self.stock_location)

    def test_changed_udi_expiry_leaves_a_trace(self):
        lot = self._received("TR-1", serial_udi_expiry_code="200115")
        # End of the creating request: tracking starts with the next one.
        self.env.flush_all()
        self.env.cr.precommit.run()
        lot.with_user(self.stock_user).write({"serial_udi_expiry_code": "491231"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        lot.invalidate_recordset(["message_ids"])
        tracking = lot.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "serial_udi_expiry_code"
        )
        self.assertEqual(tracking.old_value_char, "200115")
        self.assertEqual(tracking.new_value_char, "491231")

    def test_no_expired_unit_added_to_a_done_delivery(self):
        fresh = self._received("AD-1", serial_udi_expiry_code="491231")
        expired = self._received("AD-2", serial_udi_expiry_code="200115")
        picking = self._deliver_devices(fresh)
        move = picking.move_ids
        with self.assertRaisesMessage(UserError, "AD-2 .* expired on 2020-01-15"):
            self.env["stock.move.line"].with_user(self.stock_user).create(
                dict(move._prepare_move_line_vals(quantity=1), lot_id=expired.id, picked=True)
            )
        quant = self.env["stock.quant"].search([("lot_id", "=", expired.id), ("quantity", ">", 0)])
        self.assertEqual(quant.location_id, self.stock_location)

    def test_out_of_range_dates_refused_by_the_exports(self):
        self.company.partner_id.tz = "Asia/Tokyo"
        Notification = self.env["serial.register.notification.wizard"].with_user(self.stock_user)
        Book = self.env["serial.register.book.wizard"].with_user(self.stock_user)
        for date_from, date_to in (("0001-01-01", "2026-01-01"), ("2026-01-01", "9999-12-31")):
            wizard = Notification.create(
                {"manufacturer_id": self.med_maker.id, "date_from": date_from, "date_to": date_to}
            )
            with self.assertRaisesMessage(UserError, "out of range"):
                wizard.action_export_csv()
            book = Book.create(
                {"register_kind": "medical_device", "date_from": date_from, "date_to": date_to}
            )
            with self.assertRaisesMessage(UserError, "out of range"):
                book.action_export_csv()

    def test_out_of_range_event_date_refused(self):
        self.company.partner_id.tz = "Asia/Tokyo"
        lots = self._receive_devices(self.implant, ["OR-1"])
        self._deliver_devices(lots, end_use="institution")
        count = self.Entry.search_count([])
        with self.assertRaisesMessage(UserError, "out of range"):
            self._record_event(lots, "death", date="0001-01-01")
        self.assertEqual(self.Entry.search_count([]), count)
