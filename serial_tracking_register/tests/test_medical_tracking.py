import csv
import io
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_medical_register import MedicalCase

PLACEHOLDER = "not released (21 CFR 821.55(a))"


@tagged("post_install", "-at_install")
class TestMedicalTracking(MedicalCase):
    def _delivery(self, lots, user=None):
        picking = self._create_picking(
            self.picking_type_out, lots.product_id, len(lots), self.hospital
        )
        picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                dict(
                    picking.move_ids._prepare_move_line_vals(quantity=1), lot_id=lot.id, picked=True
                )
                for lot in lots
            ]
        )
        return picking.with_user(user) if user else picking

    def _wizard_from(self, action, user):
        self.assertEqual(action["res_model"], "serial.register.end.user.wizard")
        Wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        return Form(Wizard)

    def test_delivery_asks_for_the_patient(self):
        lots = self._receive_devices(self.implant, ["HS-10", "HS-11"])
        picking = self._delivery(lots, self.stock_user)
        action = picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        form = self._wizard_from(action, self.stock_user)
        self.assertEqual(len(form.line_ids), 2)
        form.end_use = "patient"
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.date_provided, fields.Date.context_today(picking))
            line.patient_name = "Jane Roe"
            line.patient_phone = "555-0101"
        with form.line_ids.edit(1) as line:
            line.patient_data_released = False
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "HS-10: prescribing physician"):
            wizard.action_confirm()
        self.assertNotEqual(picking.state, "done")
        wizard.line_ids.filtered(lambda line: line.lot_id == lots[0]).prescriber_name = "Dr. Who"
        wizard.action_confirm()
        self.assertEqual(picking.state, "done")
        self.assertFalse(wizard.sudo().exists(), "the typed data lives in the register only")
        self.assertEqual(picking.serial_register_end_use, "patient")
        first, second = self._entries(lots, event="delivery").with_user(self.officer)
        self.assertEqual(first.end_use, "patient")
        self.assertEqual(first.patient_name, "Jane Roe")
        self.assertEqual(first.patient_phone, "555-0101")
        self.assertEqual(first.prescriber_name, "Dr. Who")
        self.assertEqual(first.date_provided, fields.Date.context_today(picking))
        self.assertTrue(first.patient_data_released)
        self.assertFalse(second.patient_data_released)
        self.assertFalse(second.patient_name)
        self.assertTrue(self.Entry.action_verify_integrity())

    def test_institution_without_end_user_yet(self):
        lots = self._receive_devices(self.pump, ["PU-10"])
        picking = self._delivery(lots, self.stock_user)
        form = self._wizard_from(picking.button_validate(), self.stock_user)
        form.end_use = "institution"
        form.save().action_confirm()
        self.assertEqual(picking.state, "done")
        entry = self._entries(lots, event="delivery").with_user(self.officer)
        self.assertEqual(entry.end_use, "institution")
        self.assertFalse(entry.date_provided, "the default date alone is no end user")
        self.assertFalse(entry.end_user_digest)
        self.assertFalse(lots.activity_ids)

    def test_end_user_wizard_survives_the_backorder_wizard(self):
        lots = self._receive_devices(self.pump, ["PU-11", "PU-12"])
        picking = self._delivery(lots[:1], self.stock_user)
        picking.move_ids.product_uom_qty = 2
        action = picking.button_validate()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        backorder_wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.stock_user)
            .with_context(**action["context"])
        ).save()
        action = backorder_wizard.process()
        form = self._wizard_from(action, self.stock_user)
        form.end_use = "patient"
        with form.line_ids.edit(0) as line:
            line.patient_name = "Jane Roe"
            line.prescriber_name = "Dr. Who"
        form.save().action_confirm()
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.backorder_ids)
        entry = self._entries(lots[:1], event="delivery").with_user(self.officer)
        self.assertEqual(entry.patient_name, "Jane Roe")

    def test_validating_several_transfers_validates_them_all(self):
        lots = self._receive_devices(self.pump, ["PU-14"])
        plain = self._receive_devices(self.plain_device, ["BP-14"])
        tracked, untracked = self._delivery(lots), self._delivery(plain)
        pickings = (tracked | untracked).with_user(self.stock_user)
        form = self._wizard_from(pickings.button_validate(), self.stock_user)
        self.assertEqual(form.picking_ids.ids, tracked.ids)
        form.end_use = "institution"
        form.save().action_confirm()
        self.assertEqual(tracked.state, "done")
        self.assertEqual(untracked.state, "done")

    def test_action_done_without_wizard_asks_the_officers(self):
        lots = self._receive_devices(self.implant, ["HS-12"])
        picking = self._delivery(lots)
        picking._action_done()
        self.assertEqual(picking.state, "done")
        entry = self._entries(lots, event="delivery")
        self.assertFalse(entry.end_use)
        activity = lots.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("end user", activity.summary)
        self.assertIn("HS-12", activity.note)
        self.assertTrue(
            activity.user_id.has_group("serial_tracking_register.group_serial_register_officer")
        )

    def test_distributor_end_use_needs_no_wizard(self):
        lots = self._receive_devices(self.pump, ["PU-13"])
        picking = self._delivery(lots)
        picking.serial_register_end_use = "distributor"
        self.assertTrue(picking.button_validate())
        self.assertEqual(picking.state, "done")
        self.assertFalse(lots.activity_ids)

    def test_tracking_events(self):
        lots = self._receive_devices(self.implant, ["HS-13"])
        picking = self._deliver_devices(lots, end_use="institution")
        self.assertEqual(picking.state, "done", "set to an institution: no wizard")
        self.assertFalse(lots.activity_ids)
        lots.invalidate_recordset()
        messages = lots.message_ids
        events = ("implant", "explant", "device_return", "death", "retirement")
        for event in events:
            entry = self._record_event(
                lots,
                event,
                patient_name="Jane Roe" if event == "implant" else False,
                explanter_name="Dr. Cut" if event == "explant" else False,
            )
            self.assertEqual(entry.entry_type, "tracking")
            self.assertEqual(entry.event, event)
            self.assertEqual(entry.udi_di, lots.product_id._serial_udi_di())
            self.assertEqual(entry.udi_lot, "L100")
            self.assertEqual(entry.partner_id, self.hospital, "defaults to the unit's holder")
        entries = self._entries(lots, entry_type="tracking").with_user(self.officer)
        self.assertEqual(entries.mapped("event"), list(events))
        self.assertEqual(entries[0].patient_name, "Jane Roe")
        self.assertEqual(entries[0].end_use, "patient")
        self.assertEqual(entries[1].explanter_name, "Dr. Cut")
        lots.invalidate_recordset()
        self.assertEqual(lots.message_ids, messages, "nothing in the chatter")
        self.assertTrue(self.Entry.action_verify_integrity())

    def test_event_rules(self):
        lots = self._receive_devices(self.implant, ["HS-14"])
        tomorrow = fields.Date.today() + timedelta(days=1)
        with self.assertRaisesRegex(UserError, "future"):
            self._record_event(lots, "death", date=tomorrow)
        plain = self._receive_devices(self.plain_device, ["BP-10"])
        with self.assertRaisesRegex(UserError, "tracked medical devices only"):
            self._record_event(plain, "explant")
        with self.assertRaises(AccessError):
            self._record_event(lots, "death", user=self.stock_user)

    def _export(self, user, maker=None, date_from=None, date_to=None):
        today = fields.Date.today()
        wizard = (
            self.env["serial.register.notification.wizard"]
            .with_user(user)
            .create(
                {
                    "manufacturer_id": (maker or self.med_maker).id,
                    "date_from": date_from or today - timedelta(days=3),
                    "date_to": date_to or today,
                }
            )
        )
        action = wizard.action_export_csv()
        self.assertIn(f"/web/content/{wizard.attachment_id.id}", action["url"])
        content = wizard.attachment_id.raw.decode()
        return list(csv.DictReader(io.StringIO(content))), content

    def test_manufacturer_notification(self):
        today = fields.Date.today()
        lots = self._receive_devices(self.implant, ["HS-20", "HS-21"], vendor=self.vendor)
        self._deliver_devices(lots, end_use="institution")
        self._record_event(
            lots[:1],
            "implant",
            patient_name="=HYPERLINK(1)",
            patient_phone="555-0101",
            prescriber_name="Dr. Who",
        )
        self._record_event(lots[1:], "implant", patient_data_released=False, patient_name="X Y")
        self._record_event(lots[:1], "explant", explanter_name="Dr. Cut")
        self._record_event(lots[:1], "death", date=today - timedelta(days=10))
        other = self._receive_devices(self.other_device, ["OT-1"])
        self._record_event(other, "death")

        rows, _content = self._export(self.officer)
        self.assertEqual(
            [(r["Serial Number"], r["Event"]) for r in rows],
            [
                ("HS-20", "Receipt"),
                ("HS-21", "Receipt"),
                ("HS-20", "Delivery"),
                ("HS-21", "Delivery"),
                ("HS-20", "Provided to Patient or Implanted"),
                ("HS-21", "Provided to Patient or Implanted"),
                ("HS-20", "Explanted"),
            ],
            "another maker's devices and events out of the range are left out",
        )
        receipt, delivery, implant, refused, explant = rows[0], rows[2], rows[4], rows[5], rows[6]
        self.assertEqual(receipt["Received From"], "Handset Wholesale Ltd")
        self.assertEqual(receipt["UDI-DI"], self.implant._serial_udi_di())
        self.assertEqual(receipt["Lot"], "L100")
        self.assertEqual(receipt["Distributor Name"], self.env.company.name)
        self.assertEqual(delivery["Shipped To: Name"], "St. Anne Hospital")
        self.assertEqual(delivery["End Use"], "Health Institution")
        self.assertEqual(implant["Patient Name"], "'=HYPERLINK(1)", "no formula in a cell")
        self.assertEqual(implant["Prescribing Physician"], "Dr. Who")
        self.assertEqual(implant["Patient Data Released"], "yes")
        self.assertEqual(refused["Patient Name"], PLACEHOLDER)
        self.assertEqual(refused["Patient Telephone"], PLACEHOLDER)
        self.assertEqual(refused["Patient Data Released"], "no")
        self.assertEqual(explant["Explanting Physician"], "Dr. Cut")
        self.assertEqual(explant["Explant Date"], str(today))
        self.assertFalse(implant["Explant Date"])

        rows, _content = self._export(self.officer, maker=self.other_maker)
        self.assertEqual([r["Serial Number"] for r in rows], ["OT-1", "OT-1"])
        self.assertEqual(rows[1]["Date of Death"], str(today))

    def test_notification_uses_corrected_values(self):
        lots = self._receive_devices(self.implant, ["HS-30"])
        receipt = self._entries(lots)
        receipt.with_user(self.officer).action_correct({"udi_lot": "L999"}, "Lot mistyped")
        rows, _content = self._export(self.officer)
        self.assertEqual(len(rows), 1, "a correction is no event of its own")
        self.assertEqual(rows[0]["Lot"], "L999")
        self.assertEqual(rows[0]["Corrected"], "yes")

    def test_notification_dates(self):
        with self.assertRaisesRegex(UserError, "start date"):
            self._export(
                self.officer,
                date_from=fields.Date.today(),
                date_to=fields.Date.today() - timedelta(days=1),
            )
