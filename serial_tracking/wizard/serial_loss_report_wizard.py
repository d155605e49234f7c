from odoo import fields, models


class SerialLossReportWizard(models.TransientModel):
    _name = "serial.loss.report.wizard"
    _description = "Report Serial Units Stolen or Lost"

    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers", required=True)
    loss_state = fields.Selection(
        [("stolen", "Stolen"), ("lost", "Lost")],
        string="Reported As",
        required=True,
        default="stolen",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    reference = fields.Char(help="Police or insurance report reference.")
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.lot_ids._serial_report_loss(self.loss_state, self.date, self.reference, self.note)
        return {"type": "ir.actions.act_window_close"}
