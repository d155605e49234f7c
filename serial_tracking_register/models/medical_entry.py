import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.serial_tracking.tools.identifiers import GS

from .serial_register_entry import CORRECTABLE_FIELDS, HASHED_FIELDS

OFFICER = "serial_tracking_register.group_serial_register_officer"

# Context key of a validation: the end-user wizard whose lines the delivery records.
END_USER_KEY = "serial_register_end_user_id"

# The UDI snapshot of a medical line and its end use (not patient data).
MEDICAL_SNAPSHOT_FIELDS = (
    "udi_di",
    "udi_lot",
    "udi_manufactured",
    "udi_expiry",
    "udi",
    "end_use",
)

# The snapshot, then the digest of the end-user data: hashed after the fields every
# book hashes (medical books only).
MEDICAL_HASHED_FIELDS = (*MEDICAL_SNAPSHOT_FIELDS, "end_user_digest")

# The end-user (patient) data of a line, in the order of its digest.
END_USER_FIELDS = (
    "patient_name",
    "patient_address",
    "patient_phone",
    "patient_ssn",
    "patient_data_released",
    "date_provided",
    "prescriber_name",
    "prescriber_address",
    "prescriber_phone",
    "follower_name",
    "follower_address",
    "follower_phone",
    "explanter_name",
    "explanter_address",
    "explanter_phone",
)

MEDICAL_CORRECTABLE_FIELDS = (*MEDICAL_SNAPSHOT_FIELDS, *END_USER_FIELDS)

END_USES = [
    ("distributor", "Another Distributor"),
    ("institution", "Health Institution"),
    ("patient", "Patient"),
]


class SerialRegisterEntry(models.Model):
    _inherit = "serial.register.entry"

    # Snapshot of the unit's UDI (every register reader).
    udi_di = fields.Char(string="UDI-DI", readonly=True)
    udi_lot = fields.Char(string="UDI Lot", readonly=True)
    udi_manufactured = fields.Date(string="Manufacturing Date", readonly=True)
    udi_expiry = fields.Date(string="Expiry Date", readonly=True)
    udi = fields.Char(string="UDI", readonly=True, help="Full UDI in GS1 human-readable form.")
    end_use = fields.Selection(
        END_USES, readonly=True, help="Who the tracked device was provided to."
    )

    # End-user data of tracked devices (21 CFR 821.30): patient data, officers only.
    patient_name = fields.Char(readonly=True, groups=OFFICER)
    patient_address = fields.Char(readonly=True, groups=OFFICER)
    patient_phone = fields.Char(readonly=True, groups=OFFICER)
    patient_ssn = fields.Char(
        string="Patient SSN", readonly=True, groups=OFFICER, help="Only if available."
    )
    patient_data_released = fields.Boolean(
        default=True,
        readonly=True,
        groups=OFFICER,
        help="Unticked: the patient refused the release of their data (21 CFR 821.55(a)).",
    )
    date_provided = fields.Date(
        readonly=True, groups=OFFICER, help="Date the device was provided to the patient."
    )
    prescriber_name = fields.Char(string="Prescribing Physician", readonly=True, groups=OFFICER)
    prescriber_address = fields.Char(readonly=True, groups=OFFICER)
    prescriber_phone = fields.Char(readonly=True, groups=OFFICER)
    follower_name = fields.Char(
        string="Following Physician",
        readonly=True,
        groups=OFFICER,
        help="Physician regularly following the patient, if not the prescriber.",
    )
    follower_address = fields.Char(readonly=True, groups=OFFICER)
    follower_phone = fields.Char(readonly=True, groups=OFFICER)
    explanter_name = fields.Char(string="Explanting Physician", readonly=True, groups=OFFICER)
    explanter_address = fields.Char(readonly=True, groups=OFFICER)
    explanter_phone = fields.Char(readonly=True, groups=OFFICER)
    end_user_salt = fields.Char(readonly=True, groups=OFFICER)
    end_user_digest = fields.Char(
        readonly=True,
        groups=OFFICER,
        help="SHA-256 of the salt and the end-user data, covered by the line's hash.",
    )

    @api.model
    def _hashed_fields(self, kind):
        if kind == "medical_device":
            return HASHED_FIELDS + MEDICAL_HASHED_FIELDS
        return super()._hashed_fields(kind)

    @api.model
    def _correctable_fields(self, kind):
        if kind == "medical_device":
            return CORRECTABLE_FIELDS + MEDICAL_CORRECTABLE_FIELDS
        return super()._correctable_fields(kind)

    @api.model
    def _checked_fields(self, kind):
        if kind == "medical_device":
            return (*END_USER_FIELDS, "end_user_salt")
        return super()._checked_fields(kind)

    @api.model
    def _check_row(self, values):
        # The hash covers the digest, the digest covers the patient data.
        if values.get("register_kind") == "medical_device":
            expected = self._end_user_digest(values.get("end_user_salt"), values)
            if (values.get("end_user_digest") or False) != expected:
                return False
        return super()._check_row(values)

    @api.model
    def _prepare_row(self, row):
        row = super()._prepare_row(row)
        if row.get("register_kind") != "medical_device":
            return row
        for fname in ("udi_manufactured", "udi_expiry", "date_provided"):
            row[fname] = fields.Date.to_date(row.get(fname)) or False
        if row.get("patient_data_released") is None:
            row["patient_data_released"] = True
        # A random salt per line: the public hash cannot confirm a guessed patient.
        salt = secrets.token_hex(16) if self._end_user_canonical(row) else False
        row["end_user_salt"] = salt
        row["end_user_digest"] = self._end_user_digest(salt, row)
        return row

    @api.model
    def _end_user_canonical(self, values):
        """The end-user data of ``values`` as one string, empty when there is none."""
        parts = []
        for fname in END_USER_FIELDS:
            value = values.get(fname)
            if fname == "patient_data_released":
                # Stored False only when refused; missing means released.
                value = "" if value is not False else "refused"
            elif fname == "date_provided":
                value = fields.Date.to_string(fields.Date.to_date(value)) if value else ""
            parts.append(value or "")
        return "\x1f".join(parts) if any(parts) else ""

    @api.model
    def _end_user_digest(self, salt, values):
        canonical = self._end_user_canonical(values)
        if not canonical:
            return False
        return hashlib.sha256(f"{salt or ''}\x1e{canonical}".encode()).hexdigest()

    @api.model
    def _serial_register_medical_demo(self, pump_id, implant_id, maker_id, hospital_id):
        """Demo: receive infusion pumps and hip implants by full UDI scans, once (a
        reinstall keeps the units and writes nothing twice)."""
        Product = self.env["product.product"]
        pump, implant = Product.browse(pump_id), Product.browse(implant_id)
        if self.env["stock.lot"].search_count([("product_id", "in", [pump_id, implant_id])]):
            return False
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        today = fields.Date.context_today(self)
        made = (today - timedelta(days=60)).strftime("%y%m%d")
        expires = (today + timedelta(days=5 * 365)).strftime("%y%m%d")
        # Pumps as printed on the label, implants as a scanner sends the DataMatrix.
        pump_scans = [
            f"(01){pump._serial_udi_di()}(11){made}(21)MIP-26-{n:04d}" for n in range(1, 4)
        ]
        implant_scans = [
            f"01{implant._serial_udi_di()}11{made}17{expires}10HS32-2611{GS}21HS-{n:06d}"
            for n in range(1, 4)
        ]
        receipt = self._serial_register_demo_receipt(
            warehouse, maker_id, [(pump, pump_scans), (implant, implant_scans)]
        )
        implants = receipt.move_line_ids.lot_id.filtered(lambda lot: lot.product_id == implant)
        implants = implants.sorted("name")
        # Two implants to the hospital, whose patients are not known at delivery.
        Lot = self.env["stock.lot"]
        Lot._serial_demo_move(
            implants[:2].ids,
            warehouse.out_type_id.id,
            hospital_id,
            {"serial_register_end_use": "institution"},
        )
        # Then the hospital reports the implantations, and one explant.
        Event = self.env["serial.register.event.wizard"]
        hospital = self.env["res.partner"].browse(hospital_id)
        surgeon = {
            "prescriber_name": "Dr. Helen Park",
            "prescriber_address": hospital._display_address(without_company=True),
            "prescriber_phone": "+1 614-555-0140",
        }
        for lot, patient in zip(implants[:2], ("Demo Patient A", "Demo Patient B"), strict=True):
            Event.create(
                {
                    "lot_ids": [fields.Command.set(lot.ids)],
                    "event": "implant",
                    "date": today - timedelta(days=20),
                    "partner_id": hospital_id,
                    "patient_name": patient,
                    "patient_address": "1 Demo Street, Columbus OH 43215",
                    "date_provided": today - timedelta(days=20),
                    **surgeon,
                }
            ).action_confirm()
        Event.create(
            {
                "lot_ids": [fields.Command.set(implants[1].ids)],
                "event": "explant",
                "date": today - timedelta(days=2),
                "partner_id": hospital_id,
                "explanter_name": "Dr. Helen Park",
                "explanter_phone": "+1 614-555-0140",
                "note": self.env._("Revision surgery"),
            }
        ).action_confirm()
        return receipt

    @api.model
    def _serial_register_demo_receipt(self, warehouse, partner_id, product_scans):
        """A receipt whose units are captured by scanning, as a user does."""
        picking_type = warehouse.in_type_id
        src = self.env.ref("stock.stock_location_suppliers")
        dest = picking_type.default_location_dest_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner_id,
                "location_id": src.id,
                "location_dest_id": dest.id,
                "origin": self.env._("Serial Tracking demo"),
                "move_ids": [
                    fields.Command.create(
                        {
                            "name": product.display_name,
                            "product_id": product.id,
                            "product_uom_qty": len(scans),
                            "product_uom": product.uom_id.id,
                            "location_id": src.id,
                            "location_dest_id": dest.id,
                        }
                    )
                    for product, scans in product_scans
                ],
            }
        )
        picking.action_confirm()
        Wizard = self.env["serial.capture.wizard"]
        for move, (_product, scans) in zip(picking.move_ids, product_scans, strict=True):
            Wizard.create({"move_id": move.id, "serials_text": "\n".join(scans)}).action_confirm()
        picking.button_validate()
        return picking
