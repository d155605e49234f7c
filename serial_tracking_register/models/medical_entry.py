from odoo import fields, models

OFFICER = "serial_tracking_register.group_serial_register_officer"

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
        string="Patient Data Released",
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
