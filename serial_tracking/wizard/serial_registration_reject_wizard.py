from odoo import fields, models


class SerialRegistrationRejectWizard(models.TransientModel):
    _name = "serial.registration.reject.wizard"
    _description = "Reject Serial Unit Registrations"

    registration_ids = fields.Many2many(
        "serial.registration", string="Registrations", required=True
    )
    reason = fields.Text(required=True, help="Sent to the customer in the rejection email.")

    def action_confirm(self):
        self.ensure_one()
        self.registration_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
