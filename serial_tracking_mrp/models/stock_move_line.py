from odoo import api, fields, models

# Changes to a done line of a manufacturing order that change what it built from what
# (choosing another quant sets the lot).
GENEALOGY_FIELDS = {"lot_id", "quantity", "move_id", "quant_id"}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # A lot's lines are looked up (first receipt, open reservations, unbuilt orders);
    # Odoo has no index on it.
    lot_id = fields.Many2one(index="btree_not_null")

    def _serial_genealogy_moves(self):
        """Moves of manufacturing orders whose done lines are among ``self``."""
        return self.filtered(lambda line: line.state == "done").move_id.filtered(
            lambda move: move.raw_material_production_id or move.production_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # A component line added to a done order, or a finished lot added by hand.
        self.env["serial.genealogy.link"]._refresh_for_moves(lines._serial_genealogy_moves())
        return lines

    def write(self, vals):
        if GENEALOGY_FIELDS.isdisjoint(vals):
            return super().write(vals)
        before = self._serial_genealogy_moves()
        res = super().write(vals)
        self.env["serial.genealogy.link"]._refresh_for_moves(
            before | self._serial_genealogy_moves()
        )
        return res
