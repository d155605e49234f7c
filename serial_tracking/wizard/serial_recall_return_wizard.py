from odoo import api, fields, models


class SerialRecallReturnWizard(models.TransientModel):
    _name = "serial.recall.return.wizard"
    _description = "Register Returns of Recalled Units"

    line_ids = fields.Many2many("serial.recall.line", string="Units", required=True)
    location_dest_id = fields.Many2one(
        "stock.location",
        string="Receive Into",
        required=True,
        domain=[("usage", "=", "internal")],
        compute="_compute_location_dest_id",
        store=True,
        readonly=False,
        help="The campaign's quarantine location by default, else the warehouse stock.",
    )
    validate = fields.Boolean(
        string="Units Already Received",
        help="Validate the return receipts at once; otherwise they wait for the "
        "warehouse to receive the units.",
    )

    @api.depends("line_ids")
    def _compute_location_dest_id(self):
        for wizard in self:
            recall = wizard.line_ids.recall_id[:1]
            wizard.location_dest_id = (
                recall.quarantine_location_id
                or self.env["stock.warehouse"]
                .search([("company_id", "=", recall.company_id.id or self.env.company.id)], limit=1)
                .lot_stock_id
            )

    def action_confirm(self):
        self.ensure_one()
        pickings = self.line_ids._register_returns(self.location_dest_id)
        if self.validate:
            pickings.move_ids.picked = True
            pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        if len(pickings) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "stock.picking",
                "res_id": pickings.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return {"type": "ir.actions.act_window_close"}
