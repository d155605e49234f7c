from odoo import fields, models


class SerialLossClearWizard(models.TransientModel):
    _name = "serial.loss.clear.wizard"
    _description = "Clear Theft/Loss Flag"

    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers", required=True)
    reason = fields.Text(required=True, help="Why the unit is no longer considered stolen or lost.")
    restock = fields.Boolean(
        string="Put Back in Stock",
        default=True,
        help="Units the report took out of stock come back where they were, by an "
        "inventory adjustment. Untick when the unit is not physically back.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.lot_ids._serial_clear_loss(self.reason, self.restock)
        return {"type": "ir.actions.act_window_close"}
