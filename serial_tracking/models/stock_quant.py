from odoo import models
from odoo.osv import expression


class UnblockedQuants:
    """Core's cache of quants by ``(product, location, lot, package, owner)`` ids, as
    a reservation that skips blocked units reads it.

    Chained moves reserve from this cache (``quants_cache`` in the context), not
    through ``_get_gather_domain``: the quants of blocked units are left out when a
    key is read. Core only writes to the cache to add a quant it created
    (``cache[key] |= quant``), and the cache is shared with the other moves of the
    assignment: a write adds to what the key holds, blocked quants included.
    """

    def __init__(self, cache):
        self.cache = cache

    def __getitem__(self, key):
        quants = self.cache[key]
        blocked = quants.lot_id.sudo().filtered("serial_blocked")
        if blocked:
            quants = quants.filtered(lambda quant: quant.lot_id not in blocked)
        return quants

    def __setitem__(self, key, quants):
        self.cache[key] = self.cache[key] | quants


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        context = self.env.context
        if "serial_restrict_lot_ids" not in context and "serial_exclude_blocked" not in context:
            # Not a reservation the addon restricts (see stock.move): every quant update
            # of a transfer comes here, thousands of times for a large one.
            return domain
        restrict = not lot_id and context.get("serial_restrict_lot_ids")
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
