import hashlib
from datetime import date

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.serial_register_entry import HASHED_FIELDS
from .common import RegisterCase

PUMP_DI = "09506000134598"  # not the GTIN of the demo pump of serial_tracking
IMPLANT_DI = "09506000134369"
OTHER_DI = "09506000134376"
PLAIN_DI = "09506000134383"


class MedicalCase(RegisterCase):
    """A tracked infusion pump and a tracked implant by one maker, a tracked device of
    another maker, an untracked device; a hospital."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.med_maker = Partner.create({"name": "Meridian Medical Inc.", "is_company": True})
        cls.other_maker = Partner.create({"name": "Other Devices Corp.", "is_company": True})
        cls.hospital = Partner.create(
            {
                "name": "St. Anne Hospital",
                "is_company": True,
                "street": "1 Care Avenue",
                "city": "Springfield",
            }
        )
        cls.pump = cls._create_device("Infusion Pump IP-1", PUMP_DI, cls.med_maker)
        cls.implant = cls._create_device(
            "Hip Stem HS-32", IMPLANT_DI, cls.med_maker, serial_implantable=True
        )
        cls.other_device = cls._create_device("Other Pump", OTHER_DI, cls.other_maker)
        cls.plain_device = cls._create_device(
            "Blood Pressure Monitor", PLAIN_DI, cls.med_maker, serial_device_tracked=False
        )

    @classmethod
    def _create_device(cls, name, di, maker, **vals):
        vals.setdefault("serial_device_tracked", True)
        return cls._create_serial_product(
            name,
            serial_register_kind="medical_device",
            barcode=di,
            default_code=name.split()[-1],
            serial_manufacturer_id=maker.id,
            **vals,
        )

    @classmethod
    def _receive_devices(cls, product, serials, lot="L100", vendor=None):
        """Receive new units of ``product`` carrying the production identifiers of a UDI."""
        lots = cls.env["stock.lot"].create(
            [
                {
                    "name": serial,
                    "product_id": product.id,
                    "serial_udi_lot": lot,
                    "serial_udi_manufactured": date(2026, 1, 15),
                    "serial_udi_expiry_code": "301231",
                }
                for serial in serials
            ]
        )
        cls._move_units(lots, cls.picking_type_in, vendor or cls.vendor)
        return lots

    @classmethod
    def _deliver_devices(cls, lots, partner=None, end_use="distributor"):
        """Deliver ``lots`` with the end use set beforehand (no end-user wizard)."""
        picking = cls._create_picking(
            cls.picking_type_out, lots.product_id, len(lots), partner or cls.hospital
        )
        picking.serial_register_end_use = end_use
        return cls._validate_picking(picking, lots)

    def _record_event(self, lots, event, user=None, **vals):
        Wizard = self.env["serial.register.event.wizard"].with_user(user or self.officer)
        wizard = Wizard.with_context(active_model="stock.lot", active_ids=lots.ids).create(
            {"event": event, **vals}
        )
        action = wizard.action_confirm()
        return self.Entry.browse(action["domain"][0][2])

    def _disable_trigger(self):
        self.env.cr.execute(
            "ALTER TABLE serial_register_entry DISABLE TRIGGER serial_register_entry_immutable_trg"
        )

    def _enable_trigger(self):
        self.env.cr.execute(
            "ALTER TABLE serial_register_entry ENABLE TRIGGER serial_register_entry_immutable_trg"
        )


@tagged("post_install", "-at_install")
class TestMedicalRegister(MedicalCase):
    def test_receipt_and_delivery_snapshot_the_udi(self):
        lots = self._receive_devices(self.pump, ["PU-1"], lot="L777")
        self._deliver_devices(lots)
        receipt, delivery = self._entries(lots)
        for entry in (receipt, delivery):
            self.assertEqual(entry.register_kind, "medical_device")
            self.assertEqual(entry.udi_di, PUMP_DI)
            self.assertEqual(entry.udi_lot, "L777")
            self.assertEqual(entry.udi_manufactured, date(2026, 1, 15))
            self.assertEqual(entry.udi_expiry, date(2030, 12, 31))
            self.assertEqual(entry.udi, f"(01){PUMP_DI}(11)260115(17)301231(10)L777(21)PU-1")
            self.assertEqual(entry.manufacturer, "Meridian Medical Inc.")
            self.assertEqual(entry.model, "IP-1")
        self.assertEqual(receipt.event, "receipt")
        self.assertEqual(delivery.event, "delivery")
        self.assertEqual(delivery.partner_name, "St. Anne Hospital")
        self.assertEqual(delivery.end_use, "distributor")
        # The unit's later changes do not rewrite the book.
        lots.serial_udi_lot = "L778"
        receipt.invalidate_recordset()
        self.assertEqual(receipt.udi_lot, "L777")

    def test_untracked_device_is_in_the_book_too(self):
        lots = self._receive_devices(self.plain_device, ["BP-1"])
        picking = self._create_picking(self.picking_type_out, self.plain_device, 1, self.hospital)
        self._validate_picking(picking, lots)
        self.assertEqual(picking.state, "done", "no end-user wizard for untracked devices")
        self.assertEqual(self._entries(lots).mapped("event"), ["receipt", "delivery"])
        self.assertEqual(self._entries(lots)[1].udi_di, PLAIN_DI)

    def test_firearm_hash_unchanged(self):
        self.assertEqual(
            HASHED_FIELDS,
            (
                "company_id",
                "register_kind",
                "sequence",
                "entry_type",
                "event",
                "date",
                "lot_id",
                "product_id",
                "partner_id",
                "partner_name",
                "partner_address",
                "license_number",
                "transaction_ref",
                "manufacturer",
                "importer",
                "model",
                "serial",
                "firearm_type",
                "caliber",
                "picking_id",
                "corrects_entry_id",
                "reason",
            ),
        )
        self.assertEqual(self.Entry._hashed_fields("firearm"), HASHED_FIELDS)
        lots = self._receive_units(self.pistol, ["F-1", "F-2"])
        first, second = self._entries(lots)
        # The firearm hash as it was computed before medical devices existed.
        payload = "\x1f".join(self.Entry._hash_value(second[fname]) for fname in HASHED_FIELDS)
        self.assertEqual(
            second.hash, hashlib.sha256(f"{first.hash}\x1e{payload}".encode()).hexdigest()
        )
        self.assertFalse(second.sudo().end_user_digest)
        self.assertTrue(self.Entry.action_verify_integrity())

    def test_medical_chain_verifies_and_patient_tampering_is_found(self):
        self._receive_units(self.pistol, ["F-3"])
        lots = self._receive_devices(self.implant, ["HS-1", "HS-2"])
        self._deliver_devices(lots, end_use="institution")
        implant = self._record_event(
            lots[:1],
            "implant",
            partner_id=self.hospital.id,
            patient_name="Jane Roe",
            patient_phone="555-0101",
            prescriber_name="Dr. Who",
        )
        self.assertEqual(implant.entry_type, "tracking")
        entry = implant.sudo()
        self.assertEqual(len(entry.end_user_salt), 32)
        self.assertEqual(len(entry.end_user_digest), 64)
        self.assertTrue(self.Entry.action_verify_integrity())

        # Patient data is outside the hash but inside the digest, which the hash covers.
        self._disable_trigger()
        self.env.cr.execute(
            "UPDATE serial_register_entry SET patient_name = 'John Doe' WHERE id = %s",
            [implant.id],
        )
        self._enable_trigger()
        with self.assertRaisesRegex(UserError, f"line {implant.sequence} does not match"):
            self.Entry.action_verify_integrity()
        self._disable_trigger()
        self.env.cr.execute(
            "UPDATE serial_register_entry SET patient_name = 'Jane Roe' WHERE id = %s",
            [implant.id],
        )
        self._enable_trigger()
        self.assertTrue(self.Entry.action_verify_integrity())

        # Adding patient data to a line that had none breaks the chain too.
        receipt = self._entries(lots[1:])[0]
        self._disable_trigger()
        self.env.cr.execute(
            "UPDATE serial_register_entry SET patient_ssn = '123-45-6789' WHERE id = %s",
            [receipt.id],
        )
        self._enable_trigger()
        with self.assertRaisesRegex(UserError, f"line {receipt.sequence} does not match"):
            self.Entry.action_verify_integrity()

    def test_udi_tampering_is_found(self):
        lots = self._receive_devices(self.pump, ["PU-2"])
        entry = self._entries(lots)
        self._disable_trigger()
        self.env.cr.execute(
            "UPDATE serial_register_entry SET udi_lot = 'FORGED' WHERE id = %s", [entry.id]
        )
        self._enable_trigger()
        with self.assertRaisesRegex(UserError, f"line {entry.sequence} does not match"):
            self.Entry.action_verify_integrity()

    def test_correction_of_medical_fields(self):
        lots = self._receive_devices(self.implant, ["HS-3"])
        implant = self._record_event(lots, "implant", patient_name="Jane Roe")
        correction = implant.with_user(self.officer).action_correct(
            {"udi_lot": "L101", "patient_phone": "555-0199"}, "Lot and phone mistyped"
        )
        correction = correction.with_user(self.officer)
        self.assertEqual(correction.udi_lot, "L101")
        self.assertEqual(correction.patient_phone, "555-0199")
        self.assertEqual(correction.patient_name, "Jane Roe")
        self.assertEqual(correction.udi_di, IMPLANT_DI)
        self.assertEqual(implant.with_user(self.officer).patient_phone, False)
        self.assertTrue(self.Entry.action_verify_integrity())
        with self.assertRaisesRegex(UserError, "cannot be corrected: end_user_digest"):
            implant.action_correct({"end_user_digest": "0"}, "why not")

        # The wizard offers the medical fields.
        action = correction.action_open_correct_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.officer)
            .with_context(**action["context"])
            .create({"reason": "Prescriber missing"})
        )
        self.assertEqual(wizard.udi_lot, "L101")
        self.assertEqual(wizard.patient_name, "Jane Roe")
        wizard.prescriber_name = "Dr. Who"
        second = self.Entry.browse(wizard.action_confirm()["res_id"]).with_user(self.officer)
        self.assertEqual(second.prescriber_name, "Dr. Who")
        self.assertEqual(second.patient_phone, "555-0199")
        self.assertTrue(self.Entry.action_verify_integrity())

    def test_no_atf_report_for_medical_loss(self):
        pump = self._receive_devices(self.pump, ["PU-3"])
        pistol = self._receive_units(self.pistol, ["F-4"])
        (pump | pistol)._serial_report_loss("lost", fields.Date.today(), "INV-1")
        loss = self._entries(pump, entry_type="disposition")
        self.assertEqual(loss.event, "loss")
        self.assertTrue(pistol.activity_ids.filtered(lambda a: "ATF" in a.summary))
        self.assertFalse(pump.activity_ids.filtered(lambda a: "ATF" in (a.summary or "")))

    def test_opening_entries_carry_the_pi(self):
        lot = self.env["stock.lot"].create(
            {
                "name": "PU-OPEN",
                "product_id": self.pump.id,
                "serial_udi_lot": "L055",
                "serial_udi_expiry_code": "291100",
            }
        )
        self.env["stock.quant"]._update_available_quantity(
            self.pump, self.stock_location, 1, lot_id=lot
        )
        wizard = self.env["serial.register.opening.wizard"].with_user(self.officer).create({})
        self.assertIn(lot, wizard.lot_ids)
        action = wizard.action_confirm()
        entry = self.Entry.search(action["domain"] + [("lot_id", "=", lot.id)])
        self.assertEqual(entry.event, "opening")
        self.assertEqual(entry.udi_lot, "L055")
        self.assertEqual(entry.udi_expiry, date(2029, 11, 30), "day 00: end of the month")
        self.assertEqual(entry.udi_di, PUMP_DI)

    def test_register_kinds(self):
        self.assertIn("medical_device", self.env["stock.move.line"]._serial_register_kinds())

    def test_medical_deadline_is_next_business_day(self):
        friday = date(2026, 3, 6)
        deadline = self.Entry._serial_register_deadline
        self.assertEqual(deadline("disposition", friday, "medical_device"), date(2026, 3, 9))
        self.assertEqual(deadline("disposition", friday), date(2026, 3, 13))
        self.assertEqual(deadline("acquisition", friday, "medical_device"), date(2026, 3, 9))
