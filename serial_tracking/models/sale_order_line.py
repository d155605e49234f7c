from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round, formatLang
from odoo.tools.float_utils import float_compare
from odoo.tools.sql import create_unique_index

from ..tools import guard, identifiers
from .serial_warranty import covered_until

# Index that keeps a unit in at most one open order line, whatever the concurrency.
OPEN_LOT_UNIQUE_INDEX = "sale_order_line_serial_open_lot_rel_lot_uniq"

# Marks the lines written by their order, which checks them all at once afterwards.
# An object, not a value: a client cannot send it in a context to skip the checks.
DEFER_LINE_CHECK = object()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    serial_sale_capture = fields.Boolean(related="product_id.serial_sale_capture")
    serial_lot_ids = fields.Many2many(
        "stock.lot",
        "sale_order_line_serial_lot_rel",
        "line_id",
        "lot_id",
        string="Serial Numbers",
        copy=False,
        domain="[('product_id', '=', product_id),"
        " ('serial_state', '=', 'in_stock'),"
        " ('serial_blocked', '=', False),"
        " ('company_id', 'in', [company_id, False]),"
        " ('serial_sale_line_ids', '=', False),"
        " ('quant_ids', 'any', [('location_id.warehouse_id', '=', warehouse_id),"
        " ('location_id.usage', '=', 'internal'), ('quantity', '>', 0)])]",
        help="The units sold on this line. The delivery reserves and delivers exactly "
        "these serial numbers.",
    )
    serial_open_lot_ids = fields.Many2many(
        "stock.lot",
        "sale_order_line_serial_open_lot_rel",
        "line_id",
        "lot_id",
        string="Serials Held",
        compute="_compute_serial_open_lot_ids",
        store=True,
        help="Captured units not delivered yet by this line: no other order may capture "
        "them while the order is not cancelled.",
    )
    serial_scan = fields.Char(
        string="Scan Serial",
        compute="_compute_serial_scan",
        inverse="_inverse_serial_scan",
        help="Type or scan a serial number (GS1 codes accepted) to add it to the line.",
    )
    serial_warranty_extension = fields.Boolean(related="product_id.serial_warranty_extension")
    serial_commercial_partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id",
        string="Commercial Customer",
    )
    serial_extended_lot_ids = fields.Many2many(
        "stock.lot",
        "serial_sale_line_extended_lot_rel",
        "sale_line_id",
        "lot_id",
        string="Extended Serials",
        copy=False,
        help="Serial numbers whose warranty this extension line extends; they must be "
        "owned by the customer. One serial per unit sold.",
    )
    serial_warranty_ids = fields.One2many(
        "serial.warranty", "sale_line_id", string="Warranty Coverage", readonly=True
    )

    def init(self):
        res = super().init()
        # A unit is held by at most one open line: the database refuses a second one,
        # also when two transactions capture it at the same moment.
        create_unique_index(
            self.env.cr,
            OPEN_LOT_UNIQUE_INDEX,
            self._fields["serial_open_lot_ids"].relation,
            ["lot_id"],
        )
        return res

    @api.depends(
        "serial_lot_ids",
        "state",
        "move_ids.state",
        "move_ids.location_id.usage",
        "move_ids.location_dest_id.usage",
        "move_ids.move_line_ids.lot_id",
    )
    def _compute_serial_open_lot_ids(self):
        delivered = self._serial_delivered_lots()
        for line in self:
            if line.state == "cancel" or not line.serial_lot_ids:
                line.serial_open_lot_ids = False
            else:
                line.serial_open_lot_ids = line.serial_lot_ids - delivered.get(
                    line.id, self.env["stock.lot"]
                )

    def _compute_serial_scan(self):
        self.serial_scan = False

    def _inverse_serial_scan(self):
        for line in self.filtered("serial_scan"):
            lot, error = line._serial_lookup_scan(line.serial_scan)
            if error:
                raise UserError(error)
            line.serial_lot_ids = [Command.link(lot.id)]

    @api.constrains("serial_lot_ids", "product_id", "product_uom_qty")
    def _check_serial_lot_ids(self):
        if self.env.context.get("serial_defer_line_check") is DEFER_LINE_CHECK:
            return  # checked by the order once all its lines are written
        self._serial_check_lines()

    @api.onchange("serial_scan")
    def _onchange_serial_scan(self):
        code = self.serial_scan
        if not code:
            return
        self.serial_scan = False
        lot, error = self._serial_lookup_scan(code)
        if error:
            return {"warning": {"title": self.env._("Serial refused"), "message": error}}
        self.serial_lot_ids |= lot

    def write(self, vals):
        guard.check_write(self, vals)
        res = super().write(vals)
        if {"serial_lot_ids", "serial_scan", "product_uom_qty"} & set(vals):
            self.filtered(
                lambda line: (
                    line.state == "sale" and (line.serial_sale_capture or line.serial_lot_ids)
                )
            )._serial_sync_moves()
        return res

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _serial_delivered_lots(self):
        """Return ``{line_id: lots}`` delivered to the customer by each line's moves."""
        lot_ids = defaultdict(set)
        moves = self.sudo().move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.location_dest_id.usage == "customer"
                and m.location_id.usage != "customer"
            )
        )
        for ml in moves.move_line_ids:
            if ml.lot_id and ml.state == "done":
                lot_ids[ml.move_id.sale_line_id.id].add(ml.lot_id.id)
        Lot = self.env["stock.lot"]
        return defaultdict(
            lambda: Lot, {line_id: Lot.browse(ids) for line_id, ids in lot_ids.items()}
        )

    def _serial_lookup_scan(self, code):
        """Find the unit behind a typed or scanned ``code`` for this line.

        Returns ``(lot, error)``: ``error`` says precisely why the unit cannot be
        captured here (unknown, other product or company, blocked, not in stock, already
        captured...).
        """
        self.ensure_one()
        Lot = self.env["stock.lot"]
        product = self.product_id
        if not product:
            return Lot, self.env._("Choose the product before scanning serials.")
        if not product.serial_sale_capture:
            return Lot, self.env._(
                "Serials are not captured on sales orders for %(product)s.",
                product=product.display_name,
            )
        code = Lot._serial_fnc1_to_gs(code.strip(" \t\r\n"))
        serial = code
        if identifiers.looks_like_gs1(code):
            try:
                elements = identifiers.parse_gs1(code)
            except identifiers.GS1ParseError as exc:
                return Lot, self.env._(
                    "%(code)s is not a valid GS1 code: %(error)s",
                    code=code,
                    error=Lot._serial_issue_message(exc.issue),
                )
            serial = elements.get("21")
            if not serial:
                return Lot, self.env._(
                    "The GS1 code %(code)s has no serial number (AI 21).", code=code
                )
            gtin = elements.get("01")
            if gtin and (
                not product.barcode or identifiers.normalize_gtin14(product.barcode) != gtin
            ):
                return Lot, self.env._(
                    "Serial %(serial)s: GTIN %(gtin)s is not the barcode of %(product)s.",
                    serial=serial,
                    gtin=gtin,
                    product=product.display_name,
                )
        serial = identifiers.normalize_serial(product.serial_identifier_type or "free", serial)
        # Across companies on purpose, to tell "another company's unit" from "unknown".
        candidates = Lot.sudo().search_fetch(
            [("name", "=", serial)], ["name", "product_id", "company_id"]
        )
        if not candidates:
            # A misread or mistyped code is told as such, not as an unknown unit.
            id_type = product.serial_identifier_type or "free"
            lenient = (self.company_id or self.env.company).serial_vin_lenient
            issue = identifiers.check_serial(id_type, serial, strict_vin=not lenient)
            if issue:
                return Lot, self.env._(
                    "Serial %(serial)s is not valid: %(reason)s.",
                    serial=serial,
                    reason=Lot._serial_issue_message(issue),
                )
            return Lot, self.env._("Serial %(serial)s is unknown.", serial=serial)
        lot = candidates.filtered(lambda c: c.product_id == product)
        visible = candidates.filtered(
            lambda c: not c.company_id or c.company_id in self.env.companies
        )
        if not lot and not visible:
            # Say no more about units of companies the user cannot see.
            return Lot, self.env._("Serial %(serial)s belongs to another company.", serial=serial)
        if not lot:
            candidates = visible
            return Lot, self.env._(
                "Serial %(serial)s is a unit of %(other)s, not of %(product)s.",
                serial=serial,
                other=candidates[0].product_id.display_name,
                product=product.display_name,
            )
        lot = lot[0]
        if lot in self.serial_lot_ids:
            return Lot, self.env._("Serial %(serial)s is already on this line.", serial=serial)
        reasons = self._serial_lot_reasons([(self, lot)])
        if reasons:
            return Lot, self.env._(
                "Serial %(serial)s cannot be sold here: %(reason)s",
                serial=serial,
                reason=reasons[0][2],
            )
        return Lot.browse(lot.id), None

    def _serial_capture_problems(self):
        """Check the captured serials of ``self`` in one pass.

        Returns ``[(line, lot, reason)]`` for every serial still to deliver that may not
        be sold on its line.
        """
        pairs = [
            (line, lot)
            for line in self
            if line.serial_lot_ids and line.state != "cancel"
            for lot in line.serial_open_lot_ids
        ]
        return self._serial_lot_reasons(pairs)

    @api.model
    def _serial_lot_reasons(self, pairs):
        """Return ``[(line, lot, reason)]`` for the ``(line, lot)`` pairs refused.

        Set-based: one query for where the units are, one for the lines holding them.
        """
        if not pairs:
            return []
        lots = self.env["stock.lot"].sudo().browse({lot.id for __, lot in pairs})
        lots.fetch(
            [
                "name",
                "product_id",
                "company_id",
                "serial_state",
                "serial_blocked",
                "serial_block_reason",
            ]
        )
        readable = set(lots.with_env(self.env)._filtered_access("read").ids)
        in_warehouses = self._serial_lot_warehouses(lots)
        holders = self._serial_lot_holders(
            lots, {line._origin.id for line, __ in pairs if line._origin.id}
        )
        seen = defaultdict(list)
        for line, lot in pairs:
            seen[lot.id].append(line)
        states = dict(lots._fields["serial_state"]._description_selection(self.env))
        # Read each unit and each line once (ids, not records, in the loop over
        # thousands of pairs: an order line usually holds many of them).
        lot_by_id = {lot.id: lot for lot in lots}
        lot_data = dict(
            zip(
                lots.ids,
                zip(
                    [lot.product_id.id for lot in lots],
                    [lot.company_id.id for lot in lots],
                    lots.mapped("serial_blocked"),
                    lots.mapped("serial_state"),
                    strict=True,
                ),
                strict=True,
            )
        )
        line_data = {}
        problems = []
        for line, lot in pairs:
            if line not in line_data:
                line_data[line] = (
                    line.product_id.id,
                    line.company_id.id,
                    line.warehouse_id.id,
                )
            line_product_id, line_company_id, warehouse_id = line_data[line]
            lot = lot_by_id[lot.id]
            product_id, company_id, blocked, state = lot_data[lot.id]
            if lot.id not in readable:
                # Nothing about a unit the user may not read, not even its serial.
                reason = self.env._("used by another company")
            elif product_id != line_product_id:
                reason = self.env._(
                    "it is a unit of %(product)s", product=lot.product_id.display_name
                )
            elif company_id and company_id != line_company_id:
                reason = self.env._(
                    "it belongs to company %(company)s",
                    company=lot.company_id.display_name,
                )
            elif blocked:
                reason = self.env._("it is blocked (%(reason)s)", reason=lot.serial_block_reason)
            elif holders.get(lot.id):
                reason = self.env._(
                    "it is already captured on %(orders)s",
                    orders=", ".join(holders[lot.id].order_id.mapped("name")),
                )
            elif len(seen[lot.id]) > 1:
                reason = self.env._(
                    "it is captured on several lines (%(orders)s)",
                    orders=", ".join(
                        f"{ln.order_id.name or self.env._('new order')} / "
                        f"{ln.product_id.display_name}"
                        for ln in seen[lot.id]
                    ),
                )
            elif state != "in_stock":
                reason = self.env._("it is not in stock (%(state)s)", state=states[state])
            elif warehouse_id and warehouse_id not in in_warehouses[lot.id]:
                reason = self.env._(
                    "it is not in stock in warehouse %(warehouse)s",
                    warehouse=line.warehouse_id.display_name,
                )
            else:
                continue
            problems.append((line, lot, reason))
        return problems

    @api.model
    def _serial_lot_warehouses(self, lots):
        """Return ``{lot_id: {warehouse_id, ...}}``: where each unit is on hand."""
        in_warehouses = defaultdict(set)
        domain = [
            ("lot_id", "in", lots.ids),
            ("location_id.usage", "=", "internal"),
            ("quantity", ">", 0),
        ]
        for lot, location in (
            self.env["stock.quant"].sudo()._read_group(domain, ["lot_id", "location_id"])
        ):
            in_warehouses[lot.id].add(location.warehouse_id.id)
        return in_warehouses

    @api.model
    def _serial_lot_holders(self, lots, exclude_line_ids=()):
        """Return ``{lot_id: lines}``: the open lines (but ``exclude_line_ids``) holding
        each unit."""
        # The holder's order number is named even to a salesperson who may not read
        # that order: it is what they need to ask about the unit.
        holders = defaultdict(lambda: self.sudo().browse())
        for holder in self.sudo().search_fetch(
            [
                ("serial_open_lot_ids", "in", lots.ids),
                ("id", "not in", list(exclude_line_ids)),
            ],
            ["order_id", "serial_open_lot_ids"],
        ):
            for lot in holder.serial_open_lot_ids:
                holders[lot.id] |= holder
        return holders

    def _serial_check_lines(self):
        """Check every line of ``self`` in one pass; raise listing every problem."""
        lines = self.filtered(lambda line: line.serial_lot_ids or line.serial_sale_capture)
        confirmed = lines.filtered(lambda line: line.state == "sale")
        problems = lines._serial_capture_problems() + confirmed._serial_delivered_problems()
        self._serial_raise(problems, confirmed._serial_count_problems())

    def _serial_delivered_problems(self):
        """Units already delivered by a line stay on it: history is not rewritten."""
        delivered = self._serial_delivered_lots()
        return [
            (line, lot, self.env._("it was already delivered by this line"))
            for line in self
            for lot in delivered.get(line.id, self.env["stock.lot"]) - line.serial_lot_ids
        ]

    def _serial_count_problems(self):
        """Return a message for every capture line whose serial count is not its quantity."""
        messages = []
        for line in self.filtered(lambda ln: ln.serial_sale_capture and not ln.display_type):
            qty = line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
            if float_compare(len(line.serial_lot_ids), qty, precision_digits=3):
                messages.append(
                    self.env._(
                        " - %(order)s / %(product)s: quantity %(qty)s, serial numbers "
                        "captured: %(count)s",
                        order=line.order_id.name,
                        product=line.product_id.display_name,
                        qty=formatLang(self.env, qty, digits=0 if float(qty).is_integer() else 3),
                        count=len(line.serial_lot_ids),
                    )
                )
        return messages

    @api.model
    def _serial_raise(self, problems, count_messages=()):
        if not problems and not count_messages:
            return
        parts = []
        if count_messages:
            parts.append(
                self.env._(
                    "Capture exactly one serial per unit:\n%(lines)s",
                    lines="\n".join(count_messages),
                )
            )
        if problems:
            lots = self.env["stock.lot"].browse({lot.id for __, lot, __ in problems})
            readable = set(lots._filtered_access("read").ids)
            parts.append(
                self.env._(
                    "These serials cannot be sold:\n%(lines)s",
                    lines="\n".join(
                        self.env._(
                            " - %(serial)s (%(order)s / %(product)s): %(reason)s",
                            serial=lot.sudo().name
                            if lot.id in readable
                            else self.env._("a unit of another company"),
                            order=line.order_id.name or self.env._("new order"),
                            product=line.product_id.display_name,
                            reason=reason,
                        )
                        for line, lot, reason in problems
                    ),
                )
            )
        raise ValidationError("\n\n".join(parts))

    def _serial_sync_moves(self):
        """Give the open moves of confirmed lines exactly their captured units.

        Moves keep the units they already have when still captured; the others get the
        rest. Reservations on units no longer captured are released, then the moves are
        reserved again (on the captured units only).
        """
        to_assign = self.env["stock.move"]
        for line in self.sudo():
            moves = line.move_ids.filtered(
                lambda m: (
                    m.state not in ("done", "cancel") and m.location_dest_id.usage == "customer"
                )
            ).sorted("id")
            chains = {move: move | move._serial_open_origin_moves() for move in moves}
            remaining = line.serial_open_lot_ids
            targets = {}
            for move in moves:
                need = int(move.product_qty)
                keep = (move.serial_lot_ids & remaining)[:need]
                targets[move] = keep
                remaining -= keep
            for move in moves:
                missing = int(move.product_qty) - len(targets[move])
                if missing > 0:
                    targets[move] |= remaining[:missing]
                    remaining = remaining[missing:]
            for move, lots in targets.items():
                for chained in chains[move]:
                    if chained.serial_lot_ids != lots:
                        chained.serial_lot_ids = [Command.set(lots.ids)]
                        to_assign |= chained
        to_assign._serial_release_other_lots()
        to_assign.filtered(lambda m: m.state not in ("done", "cancel"))._action_assign()

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    def _prepare_procurement_values(self, group_id=False):
        values = super()._prepare_procurement_values(group_id=group_id)
        if self.serial_lot_ids:
            on_moves = self.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel")
            ).serial_lot_ids
            values["serial_lot_ids"] = [Command.set((self.serial_open_lot_ids - on_moves).ids)]
        return values

    # ------------------------------------------------------------------
    # Warranty
    # ------------------------------------------------------------------

    @api.onchange("serial_extended_lot_ids")
    def _onchange_serial_extended_lot_ids(self):
        if self.serial_warranty_extension and self.serial_extended_lot_ids:
            self.product_uom_qty = len(self.serial_extended_lot_ids)

    def _serial_check_warranty_extensions(self):
        """Raise one error listing every extension line that cannot be confirmed."""
        problems = []
        for line in self.filtered("serial_warranty_extension"):
            lots = line.serial_extended_lot_ids.sudo()
            qty = int(float_round(line.product_uom_qty, 0))
            if not lots:
                problems.append(
                    self.env._(
                        "%(product)s: choose the serial number(s) it extends.",
                        product=line.product_id.display_name,
                    )
                )
                continue
            if len(lots) != qty:
                problems.append(
                    self.env._(
                        "%(product)s: %(qty)s sold for %(count)s serial number(s); sell "
                        "one per serial.",
                        product=line.product_id.display_name,
                        qty=qty,
                        count=len(lots),
                    )
                )
            customer = line.order_id.partner_id.commercial_partner_id
            for lot in lots:
                if lot.serial_owner_id.commercial_partner_id != customer:
                    problems.append(
                        self.env._(
                            "%(product)s: serial %(serial)s is not owned by %(customer)s "
                            "(owner: %(owner)s).",
                            product=line.product_id.display_name,
                            serial=lot.name,
                            customer=customer.display_name,
                            owner=lot.serial_owner_id.display_name or self.env._("none"),
                        )
                    )
        if problems:
            raise UserError(
                self.env._(
                    "These warranty extensions cannot be sold:\n%(lines)s",
                    lines="\n".join(f" - {problem}" for problem in problems),
                )
            )

    def _serial_start_sale_warranties(self):
        """Open the coverage of units whose term starts when the order is confirmed.

        The unit is usually not known yet: the coverage waits (``pending``) with its
        dates set and gets its unit at delivery. Serials already captured on the line
        (``serial_lot_ids``) are used right away.
        """
        vals_list = []
        Warranty = self.env["serial.warranty"].sudo()
        for line in self:
            term = line.product_id.serial_warranty_term_id
            if (
                not term
                or term.start_trigger != "sale"
                or line.product_id.tracking != "serial"
                or line.serial_warranty_ids
            ):
                continue
            order = line.order_id
            date_start = order.company_id._serial_local_date(order.date_order)
            lots = line.serial_lot_ids
            qty = int(float_round(line.product_uom_qty, 0))
            units = list(lots)[:qty]
            units += [None] * (qty - len(units))
            for lot in units:
                vals_list.append(
                    Warranty._serial_prepare_vals(
                        term,
                        line.product_id,
                        date_start,
                        lot=lot,
                        partner=order.partner_id,
                        company=order.company_id,
                        sale_line_id=line.id,
                    )
                )
        return Warranty._serial_create(vals_list)

    def _serial_create_warranty_extensions(self):
        """Create the ``extension`` coverage sold by the extension lines of ``self``.

        Each extension starts the day after the unit's uninterrupted cover ends (its
        active coverage and the extensions already continuing it), or on the order
        date when nothing covers the unit: extensions chain, also within one order.
        """
        lines = self.filtered(
            lambda line: line.serial_warranty_extension and line.serial_extended_lot_ids
        )
        if not lines:
            return self.env["serial.warranty"]
        Warranty = self.env["serial.warranty"].sudo()
        lines = lines.sudo()  # salespeople sell extensions without stock rights
        lots = lines.serial_extended_lot_ids
        periods = {lot.id: [] for lot in lots}
        for warranty in Warranty.search(
            [("lot_id", "in", lots.ids), ("state", "in", ("pending", "active"))]
        ):
            periods[warranty.lot_id.id].append((warranty.date_start, warranty.date_end))
        vals_list = []
        for line in lines:
            order = line.order_id
            day = order.company_id._serial_local_date(order.date_order)
            term = line.product_id.serial_warranty_term_id
            for lot in line.serial_extended_lot_ids:
                end = covered_until(periods[lot.id], day)
                date_start = end + timedelta(days=1) if end else day
                vals = Warranty._serial_prepare_vals(
                    term,
                    lot.product_id,
                    date_start,
                    lot=lot,
                    partner=order.partner_id,
                    company=order.company_id,
                    sale_line_id=line.id,
                    origin="extension",
                )
                periods[lot.id].append((vals["date_start"], vals["date_end"]))
                vals_list.append(vals)
        created = Warranty._serial_create(vals_list)
        created._serial_log_started()  # bought by the customer: worth a line in the chatter
        return created
