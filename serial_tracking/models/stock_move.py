from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .stock_quant import UnblockedQuants


class StockMove(models.Model):
    _inherit = "stock.move"

    serial_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_move_serial_lot_rel",
        "move_id",
        "lot_id",
        string="Captured Serials",
        copy=False,
        readonly=True,
        help="Units captured on the sales order: the move reserves and delivers exactly "
        "these serial numbers.",
    )

    serial_names = fields.Char(
        string="Serials",
        compute="_compute_serial_names",
        help="Serial numbers recorded on the move's lines, also before the receipt creates them.",
    )

    @api.depends("move_line_ids.lot_id", "move_line_ids.lot_name")
    def _compute_serial_names(self):
        shown = 3  # a few names and a count keep the operations list readable
        for move in self:
            names = [ml.lot_id.name or ml.lot_name for ml in move.move_line_ids]
            names = [name for name in names if name]
            text = ", ".join(names[:shown])
            if len(names) > shown:
                text = self.env._("%(names)s (+%(more)s)", names=text, more=len(names) - shown)
            move.serial_names = text or False

    def _action_done(self, cancel_backorder=False):
        self._serial_check_captured_lines()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        serial_moves = moves.filtered(
            lambda m: m.state == "done" and m.product_id.tracking == "serial"
        )
        # A line's state is its move's: the lines of done moves are done.
        done_lines = serial_moves.move_line_ids.filtered(lambda ml: ml.lot_id)
        if done_lines:
            done_lines._serial_after_done()
        return moves

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        ctx = {}
        if self._serial_excludes_blocked():
            ctx["serial_exclude_blocked"] = True
            quants_cache = self.env.context.get("quants_cache")
            if quants_cache is not None and not isinstance(quants_cache, UnblockedQuants):
                ctx["quants_cache"] = UnblockedQuants(quants_cache)
        if self.serial_lot_ids:
            if lot_id and lot_id not in self.serial_lot_ids:
                return 0
            # Reserve the captured units only (one quant search for all of them).
            ctx["serial_restrict_lot_ids"] = tuple(self.serial_lot_ids.ids)
        move = self.with_context(**ctx) if ctx else self
        return super(StockMove, move)._update_reserved_quantity(
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

    def _action_assign(self, force_qty=False):
        freed = self._serial_free_captured_lots()
        res = super()._action_assign(force_qty=force_qty)
        if freed:
            # The moves that held a captured unit reserve other units instead.
            freed.filtered(
                lambda m: m.state in ("confirmed", "waiting", "partially_available")
            )._action_assign()
        return res

    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.serial_lot_ids:
            # Multi-step deliveries: the picking step reserves the captured units too.
            values["serial_lot_ids"] = [Command.set(self.serial_lot_ids.ids)]
        return values

    def _split(self, qty, restrict_partner_id=False):
        captured = self.serial_lot_ids
        vals_list = super()._split(qty, restrict_partner_id=restrict_partner_id)
        if captured and vals_list:
            # The move keeps the captured units it is handling now (its move lines)
            # up to its new quantity; the new move (backorder) takes the others.
            keep_count = round(self.product_qty)
            handled = self.move_line_ids.filtered(lambda ml: ml.quantity > 0).lot_id & captured
            keep = handled[:keep_count]
            keep |= (captured - handled)[: keep_count - len(keep)]
            self.serial_lot_ids = [Command.set(keep.ids)]
            for vals in vals_list:
                vals["serial_lot_ids"] = [Command.set((captured - keep).ids)]
        return vals_list

    def _serial_check_captured_lines(self):
        """Refuse to deliver other units than the captured ones."""
        problems = []
        for move in self.filtered("serial_lot_ids"):
            captured = set(move.serial_lot_ids.ids)
            for ml in move.move_line_ids:
                if ml.quantity and (ml.picked or not move.picked) and ml.lot_id.id not in captured:
                    problems.append(
                        self.env._(
                            " - %(serial)s (%(product)s): not captured on %(order)s, whose "
                            "customer bought %(captured)s",
                            serial=ml.lot_id.name or ml.lot_name or self.env._("no serial"),
                            product=move.product_id.display_name,
                            order=move.sale_line_id.order_id.name or move.origin or "",
                            captured=", ".join(move.serial_lot_ids.mapped("name")),
                        )
                    )
        if problems:
            raise UserError(
                self.env._(
                    "Only the units captured on the sales order can be delivered:\n%(lines)s",
                    lines="\n".join(problems),
                )
            )

    def _serial_free_captured_lots(self):
        """Release the units captured by ``self`` that other moves reserved.

        A unit sold on an order goes to that order: a delivery that merely reserved it
        (not picked yet, not captured) gives it up. Returns the moves that lost a unit.
        """
        moves = self.filtered(
            lambda m: m.serial_lot_ids and m.state not in ("draft", "done", "cancel")
        )
        if not moves:
            return self.env["stock.move"]
        lines = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", moves.serial_lot_ids.ids),
                ("state", "not in", ("done", "cancel")),
                ("picked", "=", False),
                ("move_id", "not in", moves.ids),
                ("location_id.usage", "=", "internal"),
            ]
        )
        lines = lines.filtered(lambda ml: ml.lot_id not in ml.move_id.serial_lot_ids)
        others = lines.move_id
        if lines:
            lines.unlink()
            others._recompute_state()
        return others

    def _serial_release_other_lots(self):
        """Unreserve the move lines of ``self`` whose unit is no longer captured."""
        captured = {move.id: set(move.serial_lot_ids.ids) for move in self}
        self.move_line_ids.filtered(
            lambda ml: (
                ml.state not in ("done", "cancel")
                and ml.lot_id
                and ml.lot_id.id not in captured[ml.move_id.id]
            )
        ).unlink()
        self._recompute_state()

    def _serial_open_origin_moves(self):
        """Not-done moves upstream of ``self`` (multi-step deliveries)."""
        origins = self.env["stock.move"]
        todo = self.move_orig_ids
        while todo:
            todo = todo.filtered(lambda m: m.state not in ("done", "cancel")) - origins
            origins |= todo
            todo = todo.move_orig_ids
        return origins

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
