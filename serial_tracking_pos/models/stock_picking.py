from collections import defaultdict
from contextlib import contextmanager

from markupsafe import Markup

from odoo import api, models

from odoo.addons.serial_tracking.tools import cursor_stack

# Key of ``cr.cache`` for the orders of the units being moved (a stack: innermost last).
SELLING_KEY = "serial_pos_selling"
# Key of ``cr.cache`` for what the POS synchronisation holds (see ``_serial_pos_holding``).
HELD_KEY = "serial_pos_held"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model
    def _create_picking_from_pos_order_lines(
        self, location_dest_id, lines, picking_type, partner=False
    ):
        # The till may have been offline, or a unit blocked since it was scanned: the
        # serials are checked again here. A paid order is never lost for it: the
        # picking is created but left to validate, saying why.
        problems = self._serial_pos_line_problems(lines, picking_type)
        with self._serial_pos_selling(lines), self._serial_pos_holding(problems):
            pickings = super()._create_picking_from_pos_order_lines(
                location_dest_id, lines, picking_type, partner=partner
            )
        for picking in pickings.filtered(lambda p: p.state != "done"):
            selling = picking.location_id.usage == "internal"
            picking_problems = {
                line: reasons
                for line, reasons in problems.items()
                if (line.qty > 0) == selling and line.product_id in picking.move_ids.product_id
            }
            if picking_problems:
                picking._serial_pos_report_hold(picking_problems)
        return pickings

    @contextmanager
    def _serial_pos_selling(self, lines):
        """Tell the moves of ``lines`` which order sold or took back each unit, while
        the block runs (see ``stock.move.line._serial_pos_orders``).

        Core links the pickings to their order only after validating them, and the
        units' moves need the order then (ownership, warranty dates). This is kept on
        the cursor rather than in the context: a context different for every order
        would make new environments for every order, each one slowing down every
        environment created after it in the transaction (Odoo compares them all).
        """
        with cursor_stack.pushed(self.env.cr, SELLING_KEY, self._serial_pos_orders_of(lines)):
            yield

    @contextmanager
    def _serial_pos_holding(self, problems):
        """Hold, while the block runs, the pickings of the POS lines the check refused
        (``problems``: see ``_serial_pos_line_problems``): their serials are not
        created, their blocked units not refused, and the pickings not validated.

        Kept on the cursor, like the orders being sold: a client can put anything in
        its context, and this switches off the checks of blocked units.
        """
        held = {}
        if problems:
            held = {
                "line_ids": frozenset(line.id for line in problems),
                "keys": frozenset(
                    self._serial_pos_held_key(line.product_id, line.qty > 0) for line in problems
                ),
            }
        with cursor_stack.pushed(self.env.cr, HELD_KEY, held):
            yield

    @api.model
    def _serial_pos_held(self):
        """``{"line_ids": POS line ids, "keys": product/direction keys}`` held by the
        POS synchronisation running, else empty (see ``_serial_pos_holding``)."""
        return cursor_stack.current(self.env.cr, HELD_KEY, {})

    @api.model
    def _serial_pos_orders_of(self, lines):
        """``{key: pos.order id}`` for the serials of ``lines`` (keys: see
        ``stock.move.line._serial_pos_key``)."""
        MoveLine = self.env["stock.move.line"]
        return {
            MoveLine._serial_pos_key(line.product_id.id, pack.lot_name, line.qty > 0): (
                line.order_id.id
            )
            for line in lines.filtered(lambda line: line.product_id.tracking == "serial")
            for pack in line.pack_lot_ids
            if pack.lot_name
        }

    def _action_done(self):
        held = self._serial_pos_held().get("keys")
        if not held:
            return super()._action_done()
        pickings = self.filtered(lambda picking: not picking._serial_pos_is_held(held))
        if not pickings:
            return True
        return super(StockPicking, pickings)._action_done()

    def _serial_pos_is_held(self, held):
        """Whether this POS picking carries a serial the check refused (``held``:
        keys of the products and directions refused)."""
        sold = self.location_id.usage == "internal"
        return any(
            self._serial_pos_held_key(move.product_id, sold) in held for move in self.move_ids
        )

    @api.model
    def _serial_pos_held_key(self, product, sold):
        return f"{product.id}|{int(sold)}"

    @api.model
    def _serial_pos_line_problems(self, lines, picking_type):
        """``{pos.order.line: [(serial, reason)]}`` for the lines the till may not
        sell or take back as they are: one check for all the lines."""
        location = picking_type.default_location_src_id
        if not location:
            return {}
        entries = {True: [], False: []}
        missing = {}
        serial_lines = lines.filtered(
            lambda line: line.product_id.tracking == "serial" and line.qty
        )
        for line in serial_lines:
            names = [pack.lot_name.strip() for pack in line.pack_lot_ids if pack.lot_name]
            entries[line.qty > 0] += [(line.product_id, name) for name in names]
            if len(names) < abs(line.qty):
                missing[line] = int(abs(line.qty)) - len(names)
        if not serial_lines:
            return {}
        Lot = self.env["stock.lot"].sudo().with_company(location.company_id)
        found = {
            True: Lot._serial_pos_problems(location, entries[True]),
            False: Lot._serial_pos_problems(location, entries[False], refund=True),
        }
        problems = defaultdict(list)
        for line in serial_lines:
            for pack in line.pack_lot_ids:
                name = (pack.lot_name or "").strip()
                reason = name and found[line.qty > 0].get((line.product_id.id, name))
                if reason:
                    problems[line].append((name, reason))
            if line in missing:
                problems[line].append(
                    (
                        "-",
                        self.env._("%(count)s serial number(s) missing", count=missing[line]),
                    )
                )
        return dict(problems)

    def _serial_pos_report_hold(self, problems):
        """Say in the chatter why this POS picking waits, and ask a manager to act."""
        self.ensure_one()
        items = Markup().join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(order)s, %(product)s, %(serial)s: %(reason)s",
                order=line.order_id.name,
                product=line.product_id.display_name,
                serial=serial,
                reason=reason,
            )
            for line, reasons in problems.items()
            for serial, reason in reasons
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "Not validated: the serials sold or taken back at the till did not pass "
                "the check when the order was synchronised. The order is paid; fix the "
                "serials on this transfer and validate it."
            ),
            items,
        )
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        manager = self._serial_pos_manager(self.company_id)
        if manager:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Serials refused at the till"),
                note=body,
                user_id=manager.id,
            )

    @api.model
    def _serial_pos_manager(self, company):
        """The Serial Tracking manager of ``company`` who is asked to act."""
        group = self.env.ref("serial_tracking.group_serial_tracking_manager")
        managers = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("company_ids", "in", company.ids),
                    ("share", "=", False),
                    ("id", "!=", self.env.ref("base.user_root").id),
                ],
                order="id",
                limit=1,
            )
        )
        return managers
