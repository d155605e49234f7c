from odoo import api, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    @api.model
    def get_existing_lots(self, company_id, product_id):
        # The popup offers the units the till may sell: blocked ones are not offered.
        lots = super().get_existing_lots(company_id, product_id)
        if not lots:
            return lots
        blocked = set(
            self.env["stock.lot"]
            .sudo()
            .search([("id", "in", [lot["id"] for lot in lots]), ("serial_blocked", "=", True)])
            .ids
        )
        return [lot for lot in lots if lot["id"] not in blocked]
