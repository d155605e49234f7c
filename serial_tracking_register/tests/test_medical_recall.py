from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.serial_tracking.tools import identifiers

from .common import RegisterCase

GS = identifiers.GS


def gtin(body):
    """``body`` followed by its GS1 check digit."""
    return body + identifiers.gtin_check_digit(body)


class MedicalCase(RegisterCase):
    """An infusion pump (tracked device, GTIN-13 barcode) and a hip implant (tracked,
    implantable, GTIN-14), made by a device maker; a hospital. Pumps P1..P4 are of
    lots LA, LA, LB, LC, implants I1, I2 of lots LA, LB: lot numbers repeat across
    devices. P1 and I1 were delivered to the hospital."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.device_maker = Partner.create(
            {
                "name": "Meridian Medical Inc.",
                "is_company": True,
                "street": "200 Device Way",
                "city": "Boston",
                "website": "https://meridian.example",
            }
        )
        cls.hospital = Partner.create(
            {
                "name": "St. Anne Hospital",
                "is_company": True,
                "street": "1 Care Road",
                "city": "Springfield",
                "email": "devices@stanne.example",
            }
        )
        cls.pump_barcode = gtin("950600013435")  # GTIN-13: its DI is 0 + barcode
        cls.pump_di = "0" + cls.pump_barcode
        cls.implant_di = gtin("1950600013436")
        cls.pump = cls._create_medical_device(
            "Infusion Pump IP-7", cls.pump_barcode, default_code="IP-7"
        )
        cls.implant = cls._create_medical_device(
            "Hip Stem HS-32", cls.implant_di, default_code="HS-32", serial_implantable=True
        )
        cls.pumps = cls._receive_devices(
            cls.pump, ["P1", "P2", "P3", "P4"], ["LA", "LA", "LB", "LC"]
        )
        cls.implants = cls._receive_devices(cls.implant, ["I1", "I2"], ["LA", "LB"])
        cls.unit = {lot.name: lot for lot in cls.pumps | cls.implants}
        cls.deliveries = cls._deliver_devices(cls.unit["P1"] | cls.unit["I1"], cls.hospital)

    @classmethod
    def _create_medical_device(cls, name, barcode, **vals):
        return cls._create_serial_product(
            name,
            "gtin_serial",
            barcode=barcode,
            serial_register_kind="medical_device",
            serial_device_tracked=True,
            serial_manufacturer_id=cls.device_maker.id,
            **vals,
        )

    @classmethod
    def _receive_devices(cls, product, serials, udi_lots):
        lots = cls.env["stock.lot"].create(
            [
                {"name": serial, "product_id": product.id, "serial_udi_lot": udi_lot}
                for serial, udi_lot in zip(serials, udi_lots, strict=True)
            ]
        )
        cls._move_units(lots, cls.picking_type_in, cls.vendor)
        return lots

    @classmethod
    def _deliver_devices(cls, lots, partner):
        """Deliver ``lots`` to ``partner``; return the pickings. A validation that asks
        for the end user (tracked devices) is completed without it, as RPC does."""
        pickings = cls.env["stock.picking"]
        for product, units in lots.grouped("product_id").items():
            picking = cls._create_picking(cls.picking_type_out, product, len(units), partner)
            moves = picking.move_ids
            moves.move_line_ids.unlink()
            cls.env["stock.move.line"].create(
                [
                    dict(moves._prepare_move_line_vals(quantity=1), lot_id=lot.id, picked=True)
                    for lot in units
                ]
            )
            picking.button_validate()
            if picking.state != "done":
                picking._action_done()
            pickings |= picking
        return pickings

    @classmethod
    def _append_entry(cls, lot, event, date, partner=None, **vals):
        """A register line of ``lot`` as the system appends it (end-user data given in
        ``vals``): the tracking events and end-user data of later steps of the flow."""
        partner = partner or cls.hospital
        entry_type = {"delivery": "disposition", "customer_return": "acquisition"}.get(
            event, "tracking"
        )
        return (
            cls.env["serial.register.entry"]
            .sudo()
            ._append(
                [
                    {
                        "company_id": cls.company.id,
                        "register_kind": "medical_device",
                        "entry_type": entry_type,
                        "event": event,
                        "date": date,
                        "lot_id": lot.id,
                        "product_id": lot.product_id.id,
                        "serial": lot.name,
                        "model": lot.product_id.default_code,
                        "manufacturer": cls.device_maker.name,
                        "udi_di": lot.product_id._serial_udi_di(),
                        "udi_lot": lot.serial_udi_lot,
                        "udi": lot.serial_udi,
                        **partner._serial_register_snapshot(),
                        **vals,
                    }
                ]
            )
            .sudo(False)
        )

    @classmethod
    def _create_recall(cls, **vals):
        vals.setdefault("title", "Occlusion alarm may fail")
        return cls.env["serial.recall"].create(vals)

    def _scope(self, **vals):
        recall = self._create_recall(**vals)
        recall.action_compute_scope()
        return recall, set(recall.line_ids.lot_id.mapped("name"))


@tagged("post_install", "-at_install")
class TestMedicalRecall(MedicalCase):
    def test_scope_by_di_alone(self):
        # The 13-digit barcode spelling is stored as the 14-digit DI.
        recall, names = self._scope(udi_di=self.pump_barcode)
        self.assertEqual(recall.udi_di, self.pump_di)
        self.assertEqual(names, {"P1", "P2", "P3", "P4"})
        __, names = self._scope(udi_di=self.implant_di)
        self.assertEqual(names, {"I1", "I2"})
        # With the other criteria (AND).
        __, names = self._scope(udi_di=self.pump_di, serial_from="P2", serial_to="P3")
        self.assertEqual(names, {"P2", "P3"})

    def test_scope_by_di_and_lots(self):
        __, names = self._scope(udi_di=self.pump_di, udi_lot_names="LA\nLC")
        self.assertEqual(names, {"P1", "P2", "P4"})
        # Lot LA of the implant is another device's lot.
        __, names = self._scope(udi_di=self.implant_di, udi_lot_names=" LA, ,ZZ ")
        self.assertEqual(names, {"I1"})
        __, names = self._scope(udi_di=self.pump_di, udi_lot_names="ZZ")
        self.assertEqual(names, set())

    def test_scope_di_matches_variant_barcode(self):
        # A template with variants has no DI of its own: each variant's barcode is.
        attribute = self.env["product.attribute"].create(
            {"name": "Size", "value_ids": [Command.create({"name": s}) for s in ("S", "L")]}
        )
        template = self.env["product.template"].create(
            {
                "name": "Catheter",
                "is_storable": True,
                "tracking": "serial",
                "serial_register_kind": "medical_device",
                "attribute_line_ids": [
                    Command.create(
                        {
                            "attribute_id": attribute.id,
                            "value_ids": [Command.set(attribute.value_ids.ids)],
                        }
                    )
                ],
            }
        )
        small, large = template.product_variant_ids
        small.barcode = gtin("950600013450")
        large.barcode = gtin("950600013451")
        self.assertFalse(template.serial_udi_di)
        self._receive_units(small, ["C-S1"])
        self._receive_units(large, ["C-L1"])
        __, names = self._scope(udi_di=small.barcode)
        self.assertEqual(names, {"C-S1"})

    def test_pasted_full_udi(self):
        hri = f"(01){self.pump_di}(17)291231(10)LB(21)P3"
        form = Form(self.env["serial.recall"])
        form.title = "Pasted"
        form.udi_di = hri
        self.assertEqual(form.udi_di, self.pump_di)
        self.assertEqual(form.udi_lot_names, "LB")
        recall = form.save()
        recall.action_compute_scope()
        self.assertEqual(recall.line_ids.lot_id, self.unit["P3"])
        # Raw as a scanner sends it, added to lots already typed.
        form = Form(self.env["serial.recall"])
        form.title = "Scanned"
        form.udi_lot_names = "LA"
        form.udi_di = f"]d201{self.pump_di}10LC{GS}21P4"
        self.assertEqual(form.udi_di, self.pump_di)
        self.assertEqual(form.udi_lot_names, "LA, LC")
        recall = form.save()
        recall.action_compute_scope()
        self.assertEqual(set(recall.line_ids.lot_id.mapped("name")), {"P1", "P2", "P4"})

    def test_bad_udi_criteria_refused(self):
        with self.assertRaisesRegex(ValidationError, "need the UDI-DI"):
            self._create_recall(udi_lot_names="LA")
        recall = self._create_recall(udi_di=self.pump_di, udi_lot_names="LA")
        with self.assertRaisesRegex(ValidationError, "need the UDI-DI"):
            recall.udi_di = False
        wrong = self.pump_di[:-1] + str((int(self.pump_di[-1]) + 1) % 10)
        with self.assertRaisesRegex(ValidationError, f"expected {self.pump_di[-1]}"):
            self._create_recall(udi_di=wrong)
        with self.assertRaisesRegex(ValidationError, "at most 20 characters"):
            self._create_recall(udi_di=self.pump_di, udi_lot_names="L" * 21)
        # An unreadable paste is explained and left for the user to fix.
        form = Form(self.env["serial.recall"])
        form.title = "Bad paste"
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.udi_di = f"(01){wrong}(10)LA"
        self.assertIn("wrong check digit in AI (01)", logs.output[0])
        self.assertFalse(form.udi_lot_names)

    def test_udi_criteria_are_scope_fields(self):
        recall, names = self._scope(udi_di=self.pump_di, udi_lot_names="LB")
        self.assertEqual(names, {"P3"})
        recall.action_open()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            recall.udi_lot_names = "LA"
        with self.assertRaisesRegex(UserError, "can no longer change"):
            recall.udi_di = self.implant_di

    def test_line_partner_is_the_institution(self):
        recall, __ = self._scope(udi_di=self.pump_di, udi_lot_names="LA")
        line = recall.line_ids.filtered(lambda line: line.lot_id == self.unit["P1"])
        self.assertEqual(line.partner_id, self.hospital)
        self.assertEqual(line.location_kind, "customer")

    def test_patient_name_for_officers_only(self):
        self._append_entry(
            self.unit["I1"], "implant", datetime(2026, 11, 2, 9), patient_name="Jane Doe"
        )
        recall, __ = self._scope(udi_di=self.implant_di)
        line = recall.line_ids.filtered(lambda line: line.lot_id == self.unit["I1"])
        self.assertEqual(line.partner_id, self.hospital)
        self.assertEqual(line.with_user(self.officer).serial_patient_name, "Jane Doe")
        other = recall.line_ids - line
        self.assertFalse(other.with_user(self.officer).serial_patient_name)
        # Stock users read the line, never the patient.
        line.invalidate_recordset()
        stock_line = line.with_user(self.stock_user)
        self.assertEqual(stock_line.partner_id, self.hospital)
        with self.assertRaises(AccessError):
            stock_line.read(["serial_patient_name"])
        self.assertFalse(stock_line.serial_patient_name)
        self.assertNotIn("serial_patient_name", stock_line.fields_get())
        self.assertNotIn(
            "Jane Doe", str(stock_line.read([f for f in stock_line.fields_get() if f != "id"]))
        )
        # The screens show the column to officers only.
        for user, shown in ((self.officer, True), (self.stock_user, False)):
            views = (
                self.env["serial.recall.line"]
                .with_user(user)
                .get_views([(False, "list"), (False, "form")])["views"]
            )
            for view in views.values():
                self.assertEqual("serial_patient_name" in view["arch"], shown)
            recall_form = self.env["serial.recall"].with_user(user).get_views([(False, "form")])
            self.assertEqual("serial_patient_name" in recall_form["views"]["form"]["arch"], shown)

    def test_patient_name_follows_the_unit(self):
        unit = self.unit["I1"]
        implant = self._append_entry(
            unit, "implant", datetime(2026, 11, 2, 9), patient_name="Jane Doe"
        )
        # A later event without a patient, or a correction of the line, keeps the name.
        self._append_entry(unit, "explant", datetime(2026, 11, 20, 9))
        implant.sudo().action_correct({"date": datetime(2026, 11, 3, 9)}, "Date mistyped")
        recall, __ = self._scope(udi_di=self.implant_di, lot_ids=unit.ids)
        line = recall.line_ids.with_user(self.officer)
        self.assertEqual(line.serial_patient_name, "Jane Doe")
        # Returned, then delivered elsewhere without a patient: nobody is shown.
        self._append_entry(unit, "customer_return", datetime(2026, 12, 1, 9))
        line.invalidate_recordset()
        self.assertFalse(line.serial_patient_name)

    def test_scope_with_the_manufacturing_bridge(self):
        # serial_tracking_mrp seeds its genealogy with the same FROM ... WHERE.
        if "include_finished" not in self.env["serial.recall"]._fields:
            self.skipTest("serial_tracking_mrp is not installed")
        for include_finished in (True, False):
            __, names = self._scope(
                udi_di=self.pump_di, udi_lot_names="LB", include_finished=include_finished
            )
            self.assertEqual(names, {"P3"})
