from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Each step of the genealogy looks the lines of a lot up; Odoo has no index on it.
    lot_id = fields.Many2one(index="btree_not_null")
