from odoo import models


class StockLot(models.Model):
    _inherit = "stock.lot"

    def _serial_restock_recovered(self):
        # The restock of a recovered unit is a new acquisition in the book.
        return super(
            StockLot, self.with_context(serial_register_recovery=True)
        )._serial_restock_recovered()
