from collections import defaultdict

from odoo import api, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    def _serial_adjust_states(self, by_state):
        """Units of a confirmed or ongoing repair order are ``in_repair``."""
        by_state = super()._serial_adjust_states(by_state)
        repaired = set(
            self.env["repair.order"]
            .sudo()
            .search([("lot_id", "in", self.ids), ("state", "in", ("confirmed", "under_repair"))])
            .lot_id.ids
        )
        if not repaired:
            return by_state
        adjusted = defaultdict(list)
        for state, lot_ids in by_state.items():
            for lot_id in lot_ids:
                adjusted["in_repair" if lot_id in repaired else state].append(lot_id)
        return adjusted

    @api.model
    def _serial_returns_keeping_coverage(self, pickings_by_lot):
        """A unit returned for a repair (its return has a repair order) keeps its
        coverage: that is what the warranty is for."""
        kept = super()._serial_returns_keeping_coverage(pickings_by_lot)
        return kept | {
            lot_id
            for lot_id, picking in pickings_by_lot.items()
            if picking and picking.sudo().repair_ids
        }
