import hashlib
import secrets

from odoo import api, fields, models

from .serial_register_entry import CORRECTABLE_FIELDS, HASHED_FIELDS

OFFICER = "serial_tracking_register.group_serial_register_officer"

# Context key of a validation: the end-user wizard whose lines the delivery records.
END_USER_KEY = "serial_register_end_user_id"

# The UDI snapshot of a medical line, then the digest of its end-user data: hashed
# after the fields every book hashes (medical books only).
MEDICAL_HASHED_FIELDS = (
    "udi_di",
    "udi_lot",
    "udi_manufactured",
    "udi_expiry",
    "udi",
    "end_use",
    "end_user_digest",
)

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

MEDICAL_CORRECTABLE_FIELDS = (
    "udi_di",
    "udi_lot",
    "udi_manufactured",
    "udi_expiry",
    "udi",
    "end_use",
    *END_USER_FIELDS,
)

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


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_register_tracked_device = fields.Boolean(
        related="product_id.serial_device_tracked", string="Tracked Device"
    )

    def _register_entry_values_unit(self, kind):
        """Values of the unit itself that each of its register lines keeps."""
        self.ensure_one()
        if kind != "medical_device":
            return {}
        expiry = False
        if self.serial_udi_expiry_code:
            expiry = self.env["barcode.nomenclature"].gs1_date_to_date(self.serial_udi_expiry_code)
        elif self.expiration_date:
            expiry = self._serial_udi_local_date(self.expiration_date)
        return {
            "udi_di": self.product_id._serial_udi_di() or False,
            "udi_lot": self.serial_udi_lot or False,
            "udi_manufactured": self.serial_udi_manufactured or False,
            "udi_expiry": expiry or False,
            "udi": self.serial_udi or False,
        }
