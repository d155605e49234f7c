from odoo import models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _gather(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        qty=0,
    ):
        quants = super()._gather(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            qty=qty,
        )
        if self.env.context.get("serial_exclude_blocked") and product_id.tracking != "none":
            # Blocked units (recall, theft, quarantine) stay where they are.
            quants = quants.filtered(lambda q: not q.lot_id.serial_blocked)
        return quants
