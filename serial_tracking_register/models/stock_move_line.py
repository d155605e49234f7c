from odoo import api, models

# Locations of the company's own stock: moves between them write nothing in the book.
OWN_USAGES = ("internal", "transit")


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _serial_after_done(self):
        res = super()._serial_after_done()
        self._serial_register_write()
        return res

    # ------------------------------------------------------------------
    # Book entries of done lines
    # ------------------------------------------------------------------

    def _serial_register_write(self):
        """Append the book lines of the done lines of ``self``: one pass, one insert."""
        lines = self.filtered(
            lambda ml: ml.product_id.serial_register_kind in self._serial_register_kinds()
        )
        if not lines:
            return self.env["serial.register.entry"]
        vals_list = []
        snapshots = {}
        for ml in lines:
            for entry_type, event in ml._serial_register_events():
                vals_list.append(ml._serial_register_entry_values(entry_type, event, snapshots))
        entries = self.env["serial.register.entry"].sudo()._append(vals_list)
        entries._serial_register_after_append()
        return entries

    @api.model
    def _serial_register_kinds(self):
        """Kinds of register products whose moves this addon writes in a book."""
        return ("firearm",)

    def _serial_register_events(self):
        """``[(entry_type, event)]`` this done line writes in the book."""
        self.ensure_one()
        src, dest = self.location_id, self.location_dest_id
        src_own, dest_own = src.usage in OWN_USAGES, dest.usage in OWN_USAGES
        if src_own and dest_own:
            return []
        if dest_own:
            event = {
                "supplier": "receipt",
                "customer": "customer_return",
                "production": "production",
                "inventory": "recovery"
                if self.env.context.get("serial_register_recovery")
                else "found",
            }.get(src.usage)
            return [("acquisition", event)] if event else []
        if src_own:
            if dest.scrap_location:
                event = "scrap"
            elif dest.usage == "inventory":
                event = "theft" if self.lot_id.serial_loss_state == "stolen" else "loss"
            else:
                event = {
                    "customer": "delivery",
                    "supplier": "vendor_return",
                    "production": "consumption",
                }.get(dest.usage)
            return [("disposition", event)] if event else []
        # Drop shipping (vendor to customer) never enters our stock: not handled yet.
        return []

    def _serial_register_partner(self, event):
        """The source or transferee named on the line for ``event``."""
        self.ensure_one()
        if event in ("receipt", "customer_return", "delivery", "vendor_return"):
            return self._serial_customer()
        if event in ("production", "consumption"):
            return self.company_id.partner_id
        return self.env["res.partner"]

    def _serial_register_entry_values(self, entry_type, event, cache=None):
        """Values of the book line of this done line (``cache``: values shared by the
        lines of one move and event, and snapshots, for one validation)."""
        self.ensure_one()
        cache = {} if cache is None else cache
        key = ("move", self.move_id.id, self.picking_id.id, entry_type, event)
        if key not in cache:
            cache[key] = self._serial_register_common_values(entry_type, event, cache)
        return {
            **cache[key],
            "date": self.date,
            "lot_id": self.lot_id.id,
            "move_line_id": self.id,
            "serial": self.lot_id.name,
            "reason": self._serial_register_reason(event),
        }

    def _serial_register_common_values(self, entry_type, event, snapshots):
        """Values of the book lines of this line's move for ``event``: the company,
        the snapshots of the partner and of the product (firearm data)."""
        self.ensure_one()
        partner = self._serial_register_partner(event)
        product = self.product_id
        kind = product.serial_register_kind
        if ("partner", partner.id) not in snapshots:
            snapshots["partner", partner.id] = partner._serial_register_snapshot()
        if ("product", product.id) not in snapshots:
            snapshots["product", product.id] = getattr(product, f"_register_entry_values_{kind}")()
        vals = {
            "company_id": self.company_id.id,
            "register_kind": kind,
            "entry_type": entry_type,
            "event": event,
            "product_id": product.id,
            "picking_id": self.picking_id.id,
            **snapshots["partner", partner.id],
            **snapshots["product", product.id],
        }
        if entry_type == "disposition" and self.picking_id.serial_transaction_ref:
            vals["transaction_ref"] = self.picking_id.serial_transaction_ref
        return vals

    def _serial_register_reason(self, event):
        self.ensure_one()
        lot = self.lot_id
        if event in ("theft", "loss") and lot.serial_loss_state != "none":
            return self.env._(
                "Reported %(state)s on %(date)s, report %(ref)s",
                state=lot._serial_loss_label(lot.serial_loss_state),
                date=lot.serial_loss_date,
                ref=lot.serial_loss_reference or "-",
            )
        if event == "loss":
            return self.env._("Missing at inventory")
        if event == "scrap":
            return self.env._("Scrapped")
        if event == "recovery":
            return self.env._("Recovered after theft or loss")
        return False
