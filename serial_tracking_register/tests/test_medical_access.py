from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .test_medical_register import MedicalCase

PATIENT = "Jane Roe"
PHONE = "555-0177"
SSN = "123-45-6789"
SECRETS = (PATIENT, PHONE, SSN, "Richard Roe", "Dr. Who")


@tagged("post_install", "-at_install")
class TestMedicalAccess(MedicalCase):
    """The whole tracked-device flow, then what each kind of user can reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Second Pharmacy"})
        cls.other_company_user = cls._create_user(
            "med_other",
            "stock.group_stock_user,serial_tracking_register.group_serial_register_officer",
            company=cls.company_b,
        )
        cls.lots = cls._receive_devices(cls.implant, ["AC-1", "AC-2", "AC-3"])
        # Delivered by a stock user who types the patient in the end-user wizard.
        picking = cls._create_picking(cls.picking_type_out, cls.implant, 1, cls.hospital)
        picking.move_ids.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            dict(
                picking.move_ids._prepare_move_line_vals(quantity=1),
                lot_id=cls.lots[0].id,
                picked=True,
            )
        )
        action = picking.with_user(cls.stock_user).button_validate()
        form = Form(
            cls.env[action["res_model"]].with_user(cls.stock_user).with_context(**action["context"])
        )
        form.end_use = "patient"
        with form.line_ids.edit(0) as line:
            line.patient_name = PATIENT
            line.patient_phone = PHONE
            line.patient_ssn = SSN
            line.prescriber_name = "Dr. Who"
        form.save().action_confirm()
        cls.delivery = cls.Entry.search(
            [("lot_id", "=", cls.lots[0].id), ("event", "=", "delivery")]
        )
        # Another delivered without the wizard (RPC), then implanted.
        cls._deliver_devices(cls.lots[1:2], end_use="institution")
        cls.implant_entry = (
            cls.env["serial.register.event.wizard"]
            .with_user(cls.officer)
            .with_context(active_model="stock.lot", active_ids=cls.lots[1].ids)
            .create({"event": "implant", "patient_name": "Richard Roe", "patient_phone": PHONE})
            .action_confirm()
        )
        rpc = cls._create_picking(cls.picking_type_out, cls.implant, 1, cls.hospital)
        rpc.move_ids.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            dict(
                rpc.move_ids._prepare_move_line_vals(quantity=1),
                lot_id=cls.lots[2].id,
                picked=True,
            )
        )
        rpc._action_done()
        cls.entries = cls.Entry.search([("lot_id", "in", cls.lots.ids)])

    def test_officer_reads_everything(self):
        entry = self.delivery.with_user(self.officer)
        self.assertEqual(entry.patient_name, PATIENT)
        self.assertEqual(entry.patient_ssn, SSN)
        found = self.Entry.with_user(self.officer).search([("patient_name", "=", PATIENT)])
        self.assertEqual(found, self.delivery)

    def test_stock_user_and_salesman_cannot_reach_patient_data(self):
        self.stock_user.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        self.salesman.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        for user in (self.stock_user, self.salesman):
            entry = self.delivery.with_user(user)
            with self.assertRaises(AccessError):
                entry.read(["patient_name"])
            with self.assertRaises(AccessError):
                self.Entry.with_user(user).search([("patient_name", "=", PATIENT)])
            with self.assertRaises(AccessError):
                entry.export_data(["patient_name"])
            with self.assertRaises(AccessError):
                self.Entry.with_user(user).read_group(
                    [("id", "=", entry.id)], ["patient_ssn"], ["patient_ssn"]
                )
        # The stock user still reads the public part of the line.
        self.assertEqual(self.delivery.with_user(self.stock_user).udi_lot, "L100")
        self.assertEqual(self.delivery.with_user(self.stock_user).end_use, "patient")

    def test_stock_user_cannot_read_back_the_wizard(self):
        self.assertFalse(
            self.env["serial.register.end.user.wizard"].sudo().search([]),
            "the wizard that carried the data is gone",
        )

    def test_notification_csv_without_patient_columns(self):
        wizard = (
            self.env["serial.register.notification.wizard"]
            .with_user(self.stock_user)
            .create(
                {
                    "manufacturer_id": self.med_maker.id,
                    "date_from": "2000-01-01",
                    "date_to": "2100-01-01",
                }
            )
        )
        wizard.action_export_csv()
        content = wizard.attachment_id.raw.decode()
        header = content.splitlines()[0]
        self.assertIn("Serial Number", header)
        self.assertIn("AC-1", content)
        self.assertNotIn("Patient", header)
        self.assertNotIn("Physician", header)
        for secret in SECRETS:
            self.assertNotIn(secret, content)
        # The officer's export has them: the test above is not vacuous.
        officer_wizard = (
            self.env["serial.register.notification.wizard"]
            .with_user(self.officer)
            .create(
                {
                    "manufacturer_id": self.med_maker.id,
                    "date_from": "2000-01-01",
                    "date_to": "2100-01-01",
                }
            )
        )
        officer_wizard.action_export_csv()
        self.assertIn(PATIENT, officer_wizard.attachment_id.raw.decode())
        # Each export is its author's own.
        with self.assertRaises(AccessError):
            officer_wizard.attachment_id.with_user(self.stock_user).read(["raw"])
        with self.assertRaises(AccessError):
            wizard.with_user(self.officer).read(["manufacturer_id"])

    def test_salesman_cannot_export(self):
        with self.assertRaises(AccessError):
            self.env["serial.register.notification.wizard"].with_user(self.salesman).create(
                {"manufacturer_id": self.med_maker.id, "date_from": "2000-01-01"}
            )

    def test_portal_has_no_access(self):
        portal = self.portal_user
        with self.assertRaises(AccessError):
            self.Entry.with_user(portal).search([])
        for model in (
            "serial.register.end.user.wizard",
            "serial.register.event.wizard",
            "serial.register.notification.wizard",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(portal).create({})

    def test_other_company_sees_nothing(self):
        user = self.other_company_user
        self.assertTrue(user.has_group("serial_tracking_register.group_serial_register_officer"))
        self.assertFalse(self.Entry.with_user(user).search([("lot_id", "in", self.lots.ids)]))
        self.assertFalse(self.Entry.with_user(user).search([("patient_name", "!=", False)]))
        with self.assertRaises(AccessError):
            self.delivery.with_user(user).read(["patient_name"])

    def test_only_officers_record_events(self):
        with self.assertRaises(AccessError):
            self.env["serial.register.event.wizard"].with_user(self.stock_user).create(
                {"event": "death", "lot_ids": [Command.set(self.lots[:1].ids)]}
            )

    def test_no_patient_data_in_messages_mails_activities(self):
        activity = self.lots[2].activity_ids
        self.assertEqual(len(activity), 1, "the RPC delivery asked for the end user")
        self.assertIn("AC-3", activity.note)
        records = {
            "mail.message": ("body", "subject"),
            "mail.mail": ("body_html", "subject"),
            "mail.activity": ("note", "summary"),
            "mail.tracking.value": ("old_value_char", "new_value_char"),
        }
        for model, fnames in records.items():
            for fname in fnames:
                for secret in SECRETS:
                    found = self.env[model].sudo().search([(fname, "ilike", secret)])
                    self.assertFalse(found, f"{secret} in {model}.{fname}")

    def test_views_hide_patient_fields_from_non_officers(self):
        medical_list = self.env.ref(
            "serial_tracking_register.serial_register_entry_view_list_medical"
        )
        views = [(medical_list.id, "list"), (False, "form")]
        for user, visible in ((self.stock_user, False), (self.officer, True)):
            result = self.Entry.with_user(user).get_views(views)
            for view in result["views"].values():
                self.assertEqual("patient_name" in view["arch"], visible, user.login)
            self.assertEqual(
                "patient_name" in result["models"]["serial.register.entry"]["fields"], visible
            )
