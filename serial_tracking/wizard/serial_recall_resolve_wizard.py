from odoo import fields, models

from ..models.serial_recall_line import RESOLUTIONS


class SerialRecallResolveWizard(models.TransientModel):
    _name = "serial.recall.resolve.wizard"
    _description = "Resolve Recalled Units"

    mode = fields.Selection(
        [("resolve", "Resolve"), ("release", "Release")], required=True, default="resolve"
    )
    line_ids = fields.Many2many("serial.recall.line", string="Units", required=True)
    resolution = fields.Selection(RESOLUTIONS, default="inspected_ok")
    date_resolved = fields.Date(string="Resolved On", default=fields.Date.context_today)
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "release":
            self.line_ids._release(self.note)
        else:
            self.line_ids._resolve(self.resolution or "inspected_ok", self.date_resolved, self.note)
        return {"type": "ir.actions.act_window_close"}
