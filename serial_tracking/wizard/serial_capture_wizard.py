import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import formatLang
from odoo.tools.float_utils import float_compare, float_round

from ..tools import guard, identifiers

# Separators tolerated between plain serials in a pasted list. A GS1 scan is kept whole:
# its serial may contain commas, and FNC1 (GS) counts as white space for Python.
SPLIT_RE = re.compile(r"[ \t,;]+")


class SerialCaptureWizard(models.TransientModel):
    _name = "serial.capture.wizard"
    _description = "Capture Serial Numbers"

    move_id = fields.Many2one("stock.move", required=True, readonly=True, ondelete="cascade")
    picking_id = fields.Many2one(related="move_id.picking_id")
    product_id = fields.Many2one(related="move_id.product_id")
    serial_identifier_type = fields.Selection(related="product_id.serial_identifier_type")
    mode = fields.Selection(
        [("list", "Paste or scan"), ("generate", "Generate")],
        default="list",
        required=True,
    )
    serials_text = fields.Text(
        string="Serial Numbers",
        help="One serial per line (spaces, commas and semicolons also separate them), or "
        "scanned GS1 codes such as (01)09506000134352(21)ABC123: the GTIN must be the "
        "product's barcode and the AI 21 value becomes the serial.",
    )
    first_serial = fields.Char(help="First serial of the sequence, e.g. SN0001.")
    generate_count = fields.Integer(string="Number of Serials")
    expected_count = fields.Integer(
        compute="_compute_expected_count",
        help="Units of the move that have no serial yet.",
    )
    entry_count = fields.Integer(string="Entered", compute="_compute_entry_count")
    allow_partial = fields.Boolean(
        string="Partial Capture",
        help="Accept fewer serials than units still to capture (the rest can be captured "
        "later). Never more.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            guard.check_no_nul(self, vals, ["serials_text"])
        return super().create(vals_list)

    def write(self, vals):
        guard.check_no_nul(self, vals, ["serials_text"])
        return super().write(vals)

    @api.depends("move_id", "move_id.move_line_ids.lot_name", "move_id.move_line_ids.lot_id")
    def _compute_expected_count(self):
        for wizard in self:
            move = wizard.move_id
            demand = move.product_uom._compute_quantity(
                move.product_uom_qty, move.product_id.uom_id
            )
            captured = len(wizard._captured_lines()) if wizard._creates_serials() else 0
            wizard.expected_count = max(int(float_round(demand, 0)) - captured, 0)

    @api.depends("serials_text", "mode", "generate_count")
    def _compute_entry_count(self):
        for wizard in self:
            if wizard.mode == "generate":
                wizard.entry_count = max(wizard.generate_count, 0)
            else:
                wizard.entry_count = len(wizard._split_entries())

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        move = self.env["stock.move"].browse(res.get("move_id"))
        if move and "generate_count" in fields_list:
            res["generate_count"] = int(move.product_uom_qty) - len(
                move.move_line_ids.filtered(lambda ml: ml.lot_id or ml.lot_name)
            )
        return res

    def _creates_serials(self):
        """Receipts create new serials; other moves pick existing units (replacing the
        current reservation)."""
        move = self.move_id
        return bool(move.picking_type_id.use_create_lots) and move.location_id.usage not in (
            "internal",
            "transit",
        )

    def _captured_lines(self):
        return self.move_id.move_line_ids.filtered(lambda ml: ml.lot_id or ml.lot_name)

    def _split_entries(self):
        """Return ``[(line_no, raw)]`` for each non-empty entry of the text."""
        entries = []
        text = (self.serials_text or "").replace("\r\n", "\n")
        for line_no, line in enumerate(text.split("\n"), start=1):
            line = self.env["stock.lot"]._serial_fnc1_to_gs(line.strip(" \t\r"))
            if identifiers.looks_like_gs1(line):
                entries.append((line_no, line))
                continue
            for token in SPLIT_RE.split(line):
                if token:
                    entries.append((line_no, token))
        return entries

    def _parse_entry(self, raw):
        """Turn one scanned or typed entry into a serial.

        Return ``(serial, extra_vals, error)``: ``extra_vals`` are move-line values the
        scan carries besides the serial (see ``_gs1_entry_check``).
        """
        if not identifiers.looks_like_gs1(raw):
            return raw, {}, None
        try:
            elements = identifiers.parse_gs1(raw)
        except identifiers.GS1ParseError as exc:
            return raw, {}, self.env._("not a valid GS1 code (%(error)s)", error=str(exc))
        serial = elements.get("21")
        if not serial:
            return raw, {}, self.env._("the GS1 code has no serial number (AI 21)")
        extra_vals, error = self._gs1_entry_check(elements)
        return serial, extra_vals or {}, error

    def _gs1_entry_check(self, elements):
        """Check the parsed GS1 ``elements`` of one entry against the move's product.

        Return ``(extra_vals, error)``: the move-line values to record with the serial
        (none here; extended by the regulatory registers), and why the entry is refused,
        or ``None``.
        """
        gtin = elements.get("01")
        if gtin:
            product = self.product_id
            barcode = product.barcode or ""
            if not barcode or identifiers.normalize_gtin14(barcode) != gtin:
                return {}, self.env._(
                    "GTIN %(gtin)s is not the barcode of %(product)s",
                    gtin=gtin,
                    product=product.display_name,
                )
        return {}, None

    def _collect_serials(self):
        """Parse and validate every entry; raise one error listing all problems."""
        return [serial for serial, _extra in self._collect_entries()]

    def _collect_entries(self):
        """``[(serial, extra_vals)]`` of every entry, validated as ``_collect_serials``."""
        self.ensure_one()
        if self.mode == "generate":
            if not self.first_serial or self.generate_count <= 0:
                raise UserError(
                    self.env._("Give the first serial and a number of serials above zero.")
                )
            names = self._generate_names(self.first_serial.strip(), self.generate_count)
            entries = [(index, name) for index, name in enumerate(names, start=1)]
        else:
            entries = self._split_entries()
        if not entries:
            raise UserError(self.env._("Enter or scan at least one serial number."))

        id_type = self.product_id.serial_identifier_type or "free"
        # Entries are numbered by line when there is one per line (what the user sees
        # in the box), otherwise one by one.
        by_entry = len({line_no for line_no, _raw in entries}) != len(entries)
        problems, serials, origin, extras = [], [], {}, {}
        for index, (line_no, raw) in enumerate(entries, start=1):
            number = index if by_entry else line_no
            serial, extra_vals, error = self._parse_entry(raw)
            serial = identifiers.normalize_serial(id_type, serial)
            if not error and identifiers.has_invisible(serial):
                # Checked here for deliveries too: a NUL never reaches a query.
                error = self.env["stock.lot"]._serial_issue_message(
                    identifiers.SerialIssue("control_chars")
                )
                raw = repr(raw)[1:-1]
            if error:
                problems.append((number, raw, error))
            elif serial in origin:
                duplicate = (
                    self.env._("duplicate of entry %(number)s", number=origin[serial][0])
                    if by_entry
                    else self.env._("duplicate of line %(number)s", number=origin[serial][0])
                )
                problems.append((number, raw, duplicate))
            else:
                serials.append(serial)
                origin[serial] = (number, raw)
                extras[serial] = extra_vals
        if self._creates_serials():
            found = self.env["stock.lot"]._serial_check_names(
                self.product_id, serials, self._lot_company()
            )
        else:
            found = self._check_existing_units(serials, extras)
        for serial, reason in found:
            number, raw = origin[serial]
            problems.append((number, raw, reason))
        count_problem = self._count_problem(len(entries))
        if problems or count_problem:
            problems.sort(key=lambda p: p[0])
            lines = [
                self.env._(
                    " - entry %(number)s: %(entry)s: %(reason)s", number=n, entry=raw, reason=r
                )
                if by_entry
                else self.env._(
                    " - line %(number)s: %(entry)s: %(reason)s", number=n, entry=raw, reason=r
                )
                for n, raw, r in problems
            ]
            parts = [self.env._("Nothing was recorded.")]
            if count_problem:
                parts.append(count_problem)
            if lines:
                parts.append(
                    self.env._(
                        "Fix these entries and try again:\n%(lines)s", lines="\n".join(lines)
                    )
                )
            raise ValidationError("\n".join(parts))
        return [(serial, extras[serial]) for serial in serials]

    def _generate_names(self, first, count):
        """Serials of Generate mode: Odoo's sequence, valid check digits for IMEIs."""
        id_type = self.product_id.serial_identifier_type or "free"
        if id_type == "imei":
            try:
                return identifiers.imei_sequence(first, count)
            except ValueError:
                raise UserError(
                    self.env._(
                        "%(count)s IMEIs cannot be generated from %(first)s: give the "
                        "first IMEI of the series (15 digits).",
                        count=count,
                        first=first,
                    )
                ) from None
        if id_type == "vin":
            raise UserError(
                self.env._("VINs cannot be generated: scan or paste those of the vehicles.")
            )
        return [vals["lot_name"] for vals in self.env["stock.lot"].generate_lot_names(first, count)]

    def _existing_units(self, serials):
        product = self.product_id
        company = self.move_id.company_id
        Lot = self.env["stock.lot"]
        # By unique key rather than by name (see stock.lot._serial_clash_keys).
        keys = Lot._serial_clash_keys([(product, serial, company) for serial in serials])
        return Lot.search_fetch(
            [
                ("serial_unique_key", "in", keys),
                ("product_id", "=", product.id),
                ("company_id", "in", [False, company.id]),
            ],
            ["name", "serial_blocked", "serial_block_reason"],
        )

    def _check_existing_units(self, serials, extras=None):
        """Problems of the units picked for a delivery/transfer, in two queries.

        ``extras`` maps serials to the values their scan carried (``_parse_entry``).
        """
        extras = extras or {}
        move = self.move_id
        lots = self._existing_units(serials)
        by_name = {lot.name: lot for lot in lots}
        groups = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "in", lots.ids),
                ("location_id", "child_of", move.location_id.id),
            ],
            ["lot_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        )
        own = {ml.lot_id.id: ml.quantity_product_uom for ml in move.move_line_ids if ml.lot_id}
        free = {lot.id: qty - reserved + own.get(lot.id, 0.0) for lot, qty, reserved in groups}
        problems = []
        for serial in serials:
            lot = by_name.get(serial)
            if not lot:
                reason = self.env._(
                    "no such serial for %(product)s", product=self.product_id.display_name
                )
            elif lot.serial_blocked:
                reason = self.env._("blocked: %(reason)s", reason=lot.serial_block_reason)
            elif problem := (
                lot._serial_unit_problem(move)
                or self._gs1_unit_check(lot, extras.get(serial) or {})
            ):
                reason = problem
            elif free.get(lot.id, 0.0) < 1:
                reason = self.env._(
                    "not available in %(location)s", location=move.location_id.display_name
                )
            else:
                continue
            problems.append((serial, reason))
        return problems

    def _gs1_unit_check(self, lot, extra_vals):
        """Why the existing unit ``lot`` does not match what its scan said (the
        ``extra_vals`` of ``_gs1_entry_check``), or ``False``."""
        return False

    def _lot_company(self):
        """Company the new lots will get (see ``stock.move.line._serial_new_lot_company``)."""
        line = self.env["stock.move.line"].new(
            {
                "move_id": self.move_id.id,
                "product_id": self.product_id.id,
                "company_id": self.move_id.company_id.id,
                "lot_name": "/",
            }
        )
        return line._serial_new_lot_company()

    def _count_problem(self, count):
        """Why ``count`` entries do not fit the units to capture, or ``None``."""
        expected = self.expected_count
        if count > expected:
            return self.env._(
                "Too many serial numbers: %(count)s entered, %(expected)s units left to capture.",
                count=count,
                expected=expected,
            )
        if count < expected and not self.allow_partial:
            return self.env._(
                "Too few serial numbers: %(count)s entered, %(expected)s units to capture. "
                "Enter them all, or tick Partial Capture.",
                count=count,
                expected=expected,
            )
        return None

    def action_confirm(self):
        self.ensure_one()
        move = self.move_id
        if move.state in ("done", "cancel"):
            raise UserError(self.env._("This move is already done or cancelled."))
        if move.product_id.tracking != "serial":
            raise UserError(
                self.env._(
                    "%(product)s is not tracked by serial number.",
                    product=move.product_id.display_name,
                )
            )
        entries = self._collect_entries()
        if self._creates_serials():
            self._apply_serials(entries)
        else:
            self._apply_units(entries)
        return self._done_action([serial for serial, _extra in entries])

    def _done_action(self, serials):
        """Close the dialog and confirm what was recorded."""
        move = self.move_id
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Serial numbers recorded"),
                "message": self.env._(
                    "%(product)s: %(count)s serial numbers recorded, %(captured)s of "
                    "%(demand)s units now have one.",
                    product=move.product_id.display_name,
                    count=len(serials),
                    captured=len(self._captured_lines()),
                    demand=formatLang(self.env, move.product_uom_qty, digits=0),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _apply_units(self, entries):
        """Replace the move's lines (and reservation) with the chosen existing units;
        ``entries`` as returned by ``_collect_entries``."""
        move = self.move_id
        lots = {lot.name: lot for lot in self._existing_units([serial for serial, _x in entries])}
        move.move_line_ids.unlink()
        vals_list = []
        for serial, extra_vals in entries:
            vals = move._prepare_move_line_vals(quantity=1)
            vals.update(extra_vals, lot_id=lots[serial].id, picked=True)
            vals_list.append(vals)
        self.env["stock.move.line"].create(vals_list)

    def _apply_serials(self, entries):
        """Replace the move's empty lines with one picked line per serial; ``entries``
        as returned by ``_collect_entries``."""
        move = self.move_id
        empty = move.move_line_ids.filtered(lambda ml: not ml.lot_id and not ml.lot_name)
        empty.unlink()
        vals_list = []
        for serial, extra_vals in entries:
            vals = move._prepare_move_line_vals(quantity=1)
            vals.update(extra_vals, lot_name=serial, picked=True)
            vals_list.append(vals)
        self.env["stock.move.line"].create(vals_list)
        move.picked = True
        if (
            float_compare(
                move.quantity, move.product_uom_qty, precision_rounding=move.product_uom.rounding
            )
            > 0
        ):
            raise ValidationError(self.env._("More serials than units on the move."))
