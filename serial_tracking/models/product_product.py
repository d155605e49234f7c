from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _compute_quantities_dict(
        self, lot_id, owner_id, package_id, from_date=False, to_date=False
    ):
        # Units blocked while physically here (recall, quarantine) stay on hand, but
        # nobody can reserve or sell them: they are not free nor forecast.
        res = super()._compute_quantities_dict(lot_id, owner_id, package_id, from_date, to_date)
        if to_date and fields.Datetime.to_datetime(to_date) < fields.Datetime.now():
            return res  # a quantity in the past: as it was
        for product, quantity in self._serial_blocked_on_hand(lot_id, owner_id, package_id):
            vals = res.get(product.id)
            if vals:
                vals["free_qty"] = max(vals["free_qty"] - quantity, 0.0)
                vals["virtual_available"] -= quantity
        return res

    def _serial_blocked_on_hand(self, lot_id, owner_id, package_id):
        """``[(product, quantity)]`` of blocked units on hand, where ``self`` is counted."""
        domain_quant_loc = self._get_domain_locations()[0]
        domain = [
            ("product_id", "in", self.ids),
            ("lot_id.serial_blocked", "=", True),
            ("quantity", ">", 0),
            *domain_quant_loc,
        ]
        if lot_id is not None:
            domain.append(("lot_id", "=", lot_id))
        if owner_id is not None:
            domain.append(("owner_id", "=", owner_id))
        if package_id is not None:
            domain.append(("package_id", "=", package_id))
        Quant = self.env["stock.quant"].with_context(active_test=False)
        return Quant._read_group(domain, ["product_id"], ["quantity:sum"])
