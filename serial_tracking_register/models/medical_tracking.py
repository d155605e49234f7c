from odoo import fields, models

from .medical_entry import END_USES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_register_end_use = fields.Selection(
        END_USES,
        string="End Use",
        copy=False,
        tracking=True,
        help="Who the tracked medical devices of this delivery go to.",
    )
