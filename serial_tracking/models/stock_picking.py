from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_recall_id = fields.Many2one(
        "serial.recall",
        string="Recall Campaign",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The recall campaign this transfer belongs to (quarantine or return).",
    )
