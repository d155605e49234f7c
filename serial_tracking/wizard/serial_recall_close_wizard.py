from odoo import fields, models


class SerialRecallCloseWizard(models.TransientModel):
    _name = "serial.recall.close.wizard"
    _description = "Close a Recall Campaign"

    recall_id = fields.Many2one("serial.recall", required=True)
    open_line_count = fields.Integer(related="recall_id.open_line_count")
    force_reason = fields.Text(
        string="Reason",
        help="Required to close while units are still pending, notified or returned.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.recall_id.action_close(force_reason=self.force_reason)
        return {"type": "ir.actions.act_window_close"}
