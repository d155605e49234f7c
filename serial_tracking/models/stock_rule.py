from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        # The units captured on a sales order line follow the procurement to its moves.
        return super()._get_custom_move_fields() + ["serial_lot_ids"]
