from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        done_lines = moves.filtered(lambda m: m.state == "done").move_line_ids.filtered(
            lambda ml: ml.lot_id and ml.state == "done" and ml.product_id.tracking == "serial"
        )
        if done_lines:
            done_lines._serial_after_done()
        return moves

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        if self._serial_excludes_blocked():
            self = self.with_context(serial_exclude_blocked=True)
        return super()._update_reserved_quantity(
            need,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _serial_excludes_blocked(self):
        """Whether reserving for this move must skip blocked units."""
        return (
            self.location_dest_id.usage in self.env["stock.move.line"]._serial_blocked_dest_usages()
        )

    def action_serial_capture(self):
        """Open the capture wizard for this move (paste, scan or generate serials)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Capture Serials: %(product)s", product=self.product_id.display_name
            ),
            "res_model": "serial.capture.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }
