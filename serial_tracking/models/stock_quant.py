from odoo import models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        domain = super()._get_gather_domain(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
        restrict = not lot_id and self.env.context.get("serial_restrict_lot_ids")
        if restrict:
            # A move delivering units captured on a sales order reserves only those.
            domain = expression.AND([domain, [("lot_id", "in", list(restrict))]])
        return domain

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
        if quants and self.env.context.get("serial_exclude_blocked"):
            # Blocked units (recall, theft, quarantine) stay where they are. This runs
            # once or twice per reserved unit: with a unit given, its quants are that
            # unit's (or have none), so one flag says it; filter only when one is set.
            if lot_id:
                if lot_id.serial_blocked:
                    quants = quants.filtered(lambda q: q.lot_id != lot_id)
            elif product_id.tracking != "none":
                blocked = quants.lot_id.filtered("serial_blocked")
                if blocked:
                    blocked_ids = set(blocked.ids)
                    quants = quants.filtered(lambda q: q.lot_id.id not in blocked_ids)
        return quants
