from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    serial_lot_ids = fields.Many2many(
        "stock.lot",
        string="Serial Numbers",
        compute="_compute_serial_lot_ids",
        compute_sudo=True,
        help="Units captured on the sales order lines invoiced by this line.",
    )

    @api.depends("sale_line_ids.serial_lot_ids")
    def _compute_serial_lot_ids(self):
        for line in self:
            line.serial_lot_ids = line.sale_line_ids.serial_lot_ids
