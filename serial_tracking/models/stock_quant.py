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
        if not self._serial_gather_skips_blocked(product_id):
            return domain
        if lot_id:
            # The unit is named: its own flag says whether it may be reserved.
            if lot_id.sudo().serial_blocked:
                domain = expression.AND([domain, expression.FALSE_DOMAIN])
        else:
            # Blocked units (recall, theft, quarantine) stay where they are. The
            # database leaves them out: reading every unit of the product in stock at
            # each reservation would make a shop's day of sales quadratic.
            blocked = self.env["stock.lot"].sudo()._search([("serial_blocked", "=", True)])
            domain = expression.AND(
                [domain, ["|", ("lot_id", "=", False), ("lot_id", "not in", blocked)]]
            )
        return domain

    def _serial_gather_skips_blocked(self, product):
        """Whether gathering quants of ``product`` leaves blocked units out (the
        reservation of a move to a customer, see ``stock.move._serial_excludes_blocked``)."""
        return bool(self.env.context.get("serial_exclude_blocked")) and product.tracking != "none"

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
        if (
            quants
            and strict
            and self.env.context.get("quants_cache") is not None
            and self._serial_gather_skips_blocked(product_id)
        ):
            # Core took these quants from its cache, not through the domain above.
            # With a unit given, its quants are that unit's (or have none): one flag
            # says it.
            if lot_id:
                if lot_id.serial_blocked:
                    quants = quants.filtered(lambda q: q.lot_id != lot_id)
            else:
                blocked = quants.lot_id.filtered("serial_blocked")
                if blocked:
                    blocked_ids = set(blocked.ids)
                    quants = quants.filtered(lambda q: q.lot_id.id not in blocked_ids)
        return quants
