from odoo import models

# What moves a done move into or out of an order (its state included: _action_done()
# writes it, and the state of the move lines follows).
GENEALOGY_FIELDS = {"state", "raw_material_production_id", "production_id", "scrapped"}


class StockMove(models.Model):
    _inherit = "stock.move"

    def _serial_genealogy_done(self):
        return self.filtered(lambda move: move.state == "done")

    def write(self, vals):
        if GENEALOGY_FIELDS.isdisjoint(vals):
            return super().write(vals)
        before = self._serial_genealogy_done()
        res = super().write(vals)
        self.env["serial.genealogy.link"]._refresh_for_moves(before | self._serial_genealogy_done())
        return res
