from odoo import api, fields, models

from ..models.medical_entry import END_USES, OFFICER


class SerialRegisterCorrectWizard(models.TransientModel):
    _name = "serial.register.correct.wizard"
    _description = "Correct a Register Line"

    entry_id = fields.Many2one("serial.register.entry", required=True, readonly=True)
    register_kind = fields.Selection(related="entry_id.register_kind")
    reason = fields.Char(required=True, help="Why the line is corrected (kept in the book).")
    date = fields.Datetime()
    partner_name = fields.Char(string="Name")
    partner_address = fields.Char(string="Address")
    license_number = fields.Char(string="License")
    transaction_ref = fields.Char(string="Form 4473")
    manufacturer = fields.Char()
    importer = fields.Char()
    model = fields.Char()
    serial = fields.Char()
    firearm_type = fields.Char(string="Type of Firearm")
    caliber = fields.Char(string="Caliber or Gauge")
    # Medical devices
    udi_di = fields.Char(string="UDI-DI")
    udi_lot = fields.Char(string="UDI Lot")
    udi_manufactured = fields.Date(string="Manufacturing Date")
    udi_expiry = fields.Date(string="Expiry Date")
    udi = fields.Char(string="UDI")
    end_use = fields.Selection(END_USES)
    patient_name = fields.Char(groups=OFFICER)
    patient_address = fields.Char(groups=OFFICER)
    patient_phone = fields.Char(groups=OFFICER)
    patient_ssn = fields.Char(string="Patient SSN", groups=OFFICER)
    patient_data_released = fields.Boolean(default=True, groups=OFFICER)
    date_provided = fields.Date(groups=OFFICER)
    prescriber_name = fields.Char(string="Prescribing Physician", groups=OFFICER)
    prescriber_address = fields.Char(groups=OFFICER)
    prescriber_phone = fields.Char(groups=OFFICER)
    follower_name = fields.Char(string="Following Physician", groups=OFFICER)
    follower_address = fields.Char(groups=OFFICER)
    follower_phone = fields.Char(groups=OFFICER)
    explanter_name = fields.Char(string="Explanting Physician", groups=OFFICER)
    explanter_address = fields.Char(groups=OFFICER)
    explanter_phone = fields.Char(groups=OFFICER)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        entry = self.env["serial.register.entry"].browse(res.get("entry_id"))
        if entry:
            for fname in entry._correctable_fields(entry.register_kind):
                if fname in fields_list:
                    res[fname] = entry[fname]
        return res

    def action_confirm(self):
        self.ensure_one()
        entry = self.entry_id
        values = {
            fname: self[fname]
            for fname in entry._correctable_fields(entry.register_kind)
            if (self[fname] or False) != (entry[fname] or False)
        }
        correction = entry.action_correct(values, self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "serial.register.entry",
            "res_id": correction.id,
            "view_mode": "form",
        }
