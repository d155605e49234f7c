from odoo import api, fields, models

from ..models.serial_register_entry import CORRECTABLE_FIELDS


class SerialRegisterCorrectWizard(models.TransientModel):
    _name = "serial.register.correct.wizard"
    _description = "Correct a Register Line"

    entry_id = fields.Many2one("serial.register.entry", required=True, readonly=True)
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

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        entry = self.env["serial.register.entry"].browse(res.get("entry_id"))
        if entry:
            for fname in CORRECTABLE_FIELDS:
                if fname in fields_list:
                    res[fname] = entry[fname]
        return res

    def action_confirm(self):
        self.ensure_one()
        values = {
            fname: self[fname]
            for fname in CORRECTABLE_FIELDS
            if (self[fname] or False) != (self.entry_id[fname] or False)
        }
        correction = self.entry_id.action_correct(values, self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "serial.register.entry",
            "res_id": correction.id,
            "view_mode": "form",
        }
