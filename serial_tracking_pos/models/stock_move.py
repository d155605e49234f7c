from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _create_production_lots_for_pos_order(self, lines):
        held = self.env["stock.picking"]._serial_pos_held().get("line_ids")
        if held:
            # Serials refused by the check are never created: the held picking keeps
            # their names for the manager who fixes them.
            lines = lines.filtered(lambda line: line.id not in held)
        lots = super()._create_production_lots_for_pos_order(lines)
        return lots | self._serial_pos_create_new_lots(lines, lots)

    def _serial_pos_create_new_lots(self, lines, lots):
        """Create the serials of products sold before they are received (see
        ``serial_pos_new_allowed``) when the operation type does not create lots."""
        moves = self.filtered(
            lambda m: (
                m.product_id.serial_pos_new_allowed
                and m.picking_type_id.use_existing_lots
                and not m.picking_type_id.use_create_lots
                and m.location_id.usage == "internal"
            )
        )
        if not moves:
            return self.env["stock.lot"]
        known = {(lot.product_id.id, lot.name) for lot in lots}
        vals_list = []
        for line in lines.filtered(
            lambda line: line.qty > 0 and line.product_id in moves.product_id
        ):
            for pack in line.pack_lot_ids:
                key = (line.product_id.id, pack.lot_name)
                if pack.lot_name and key not in known:
                    known.add(key)
                    vals_list.append(
                        {
                            "company_id": moves[0].company_id.id,
                            "product_id": line.product_id.id,
                            "name": pack.lot_name,
                        }
                    )
        return (
            self.env["stock.lot"].sudo().create(vals_list).sudo(False)
            if vals_list
            else self.env["stock.lot"]
        )
