from odoo import models
from odoo.exceptions import UserError


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _serial_check_done_lines(self):
        # Safety net for _action_done called without the picking's checks (RPC, sale
        # flows, product_expiry's "deliver anyway"): the raise rolls the whole
        # validation back.
        res = super()._serial_check_done_lines()
        self._serial_check_not_expired()
        return res

    def _serial_line_problem(self):
        # Detailed Operations: warn when an expired unit is picked, not only at validation.
        problem = super()._serial_line_problem()
        if problem or not self.lot_id:
            return problem
        if self.location_dest_id.usage not in self._serial_blocked_dest_usages():
            return problem
        return next(iter(self.lot_id._serial_udi_expiry_problems()), False)

    def _serial_check_not_expired(self):
        """Refuse expired medical devices going to a customer or to production."""
        lots = self._serial_lines_leaving().lot_id
        problems = lots._serial_udi_expiry_problems()
        if problems:
            raise UserError(
                self.env._(
                    "Expired medical devices cannot be delivered:\n%(units)s",
                    units="\n".join(f" - {problem}" for problem in problems),
                )
            )


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _pre_action_done_hook(self):
        # Before super(): product_expiry's "deliver anyway?" wizard must never be
        # offered for these units.
        lines = self.env["stock.move.line"]
        for picking in self:
            # Nothing picked means everything is (core's rule in the hook).
            lines |= picking.move_line_ids.filtered("picked") or picking.move_line_ids
        lines._serial_check_not_expired()
        return super()._pre_action_done_hook()
