from odoo import api, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def _serial_blocked_dest_usages(self):
        """Destinations a blocked unit may not go to (sold, delivered or consumed).

        Internal transfers (quarantine), returns to the vendor and scrapping stay
        possible: they are how blocked units get dealt with.
        """
        return ("customer", "production")

    def _serial_lines_leaving(self):
        usages = self._serial_blocked_dest_usages()
        return self.filtered(lambda ml: ml.lot_id and ml.location_dest_id.usage in usages)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._serial_lines_leaving().lot_id._serial_check_not_blocked(
            self.env._("reserved or delivered")
        )
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"lot_id", "location_dest_id"} & set(vals):
            self._serial_lines_leaving().lot_id._serial_check_not_blocked(
                self.env._("reserved or delivered")
            )
        return res

    def _serial_after_done(self):
        """Update units after their move lines are done: checks, state, ownership."""
        self._serial_check_done_lines()
        lots = self.lot_id
        lots._serial_refresh_state()
        self._serial_update_ownership()

    def _serial_check_done_lines(self):
        self._serial_lines_leaving().lot_id._serial_check_not_blocked(self.env._("delivered"))
        incoming = self.filtered(
            lambda ml: (
                ml.location_id.usage not in ("internal", "transit")
                and ml.location_dest_id.usage in ("internal", "transit")
            )
        )
        incoming.lot_id._serial_check_not_lost()

    def _serial_update_ownership(self):
        """Deliveries open the customer's ownership, returns from customers close it."""
        last_line = {}
        for ml in self.sorted(lambda ml: (ml.date, ml.id)):
            last_line[ml.lot_id.id] = ml
        sales, returns = {}, {}
        pickings = {}
        for lot_id, ml in last_line.items():
            src, dest = ml.location_id.usage, ml.location_dest_id.usage
            if dest == "customer" and src != "customer":
                partner = ml.move_id.partner_id or ml.picking_id.partner_id
                if partner:
                    sales[lot_id] = partner
                    pickings[lot_id] = ml.picking_id
            elif src == "customer" and dest != "customer":
                returns[lot_id] = ml.company_id.partner_id
                pickings[lot_id] = ml.picking_id
        Lot = self.env["stock.lot"]
        if sales:
            Lot.browse(list(sales))._serial_transfer_ownership(sales, "sale", pickings)
        if returns:
            Lot.browse(list(returns))._serial_transfer_ownership(returns, "return", pickings)
