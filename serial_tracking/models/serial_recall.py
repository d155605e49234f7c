import re
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import guard
from .serial_recall_line import RELEASING_RESOLUTIONS

RECALL_STATES = [
    ("draft", "Draft"),
    ("open", "Open"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]

RECALL_ACTIONS = [
    ("inspect", "Inspect"),
    ("repair", "Repair"),
    ("replace", "Replace"),
    ("refund", "Refund"),
    ("destroy", "Destroy"),
]


# Campaigns with more lines than this are opened by the background job.
DEFAULT_SYNC_LIMIT = 500
DEFAULT_BATCH_SIZE = 1000
# Serial numbers are at most 64 characters (identifiers.FREE_MAX_LENGTH); a range end
# may carry a few more for a prefix, not a page of digits.
RANGE_END_MAX_LENGTH = 100
# Name of the quarantine location created in a warehouse that has none.
QUARANTINE_LOCATION_NAME = "Quarantine"
# Models a campaign can be created from (Actions › Create Recall).
RECALL_SOURCES = ("stock.lot", "product.template", "product.product", "stock.picking")

_NATURAL_RE = re.compile(r"^(.*?)(\d+)$", re.DOTALL)


def natural_key(name):
    """Natural sort key of a serial number: ``(prefix, number)``.

    The trailing digits are compared as a number and what precedes them as text
    (code point order), so ``SN9 < SN10 < SNA1``. A name without trailing digits
    sorts before every numbered name of the same prefix (number ``-1``). The SQL of
    :meth:`SerialRecall._scope_range_condition` implements the same key.
    """
    match = _NATURAL_RE.match(name or "")
    if not match:
        return (name or "", -1, "")
    # Compared as (length, digits) without leading zeros: the numeric order, without
    # converting an arbitrarily long digit string to an int.
    digits = match.group(2).lstrip("0") or "0"
    return (match.group(1), len(digits), digits)


class SerialRecall(models.Model):
    _name = "serial.recall"
    _description = "Recall Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]
    # Users working a campaign (resolving lines) post on it without editing it.
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    title = fields.Char(required=True, tracking=True)
    reason = fields.Text(
        help="The defect or risk, as it will be explained to customers.",
    )
    instructions = fields.Text(
        string="What To Do",
        help="Instructions for customers holding an affected unit (sent in the notice).",
    )
    state = fields.Selection(
        RECALL_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand=True,  # kanban columns in lifecycle order, not alphabetical
    )
    action_required = fields.Selection(
        RECALL_ACTIONS,
        required=True,
        default="inspect",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_open = fields.Datetime(string="Opened On", readonly=True, copy=False)
    date_close = fields.Datetime(string="Closed On", readonly=True, copy=False)
    close_reason = fields.Text(
        string="Forced Closing Reason",
        readonly=True,
        copy=False,
        help="Why the campaign was closed while units were still unresolved.",
    )

    # Scope: every criterion given must match (AND).
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        domain=[("tracking", "=", "serial")],
        check_company=True,
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Serial Numbers",
        check_company=True,
        help="Explicit units in scope.",
    )
    serial_from = fields.Char(
        string="Serials From",
        help="First serial of the range, compared in natural order: the trailing number "
        "is compared as a number (SN9 < SN10), the text before it alphabetically.",
    )
    serial_to = fields.Char(
        string="Serials To",
        help="Last serial of the range (included), compared in natural order.",
    )
    receipt_date_from = fields.Date(
        help="Units first received from a vendor on or after this day (UTC).",
    )
    receipt_date_to = fields.Date(
        help="Units first received from a vendor on or before this day (UTC).",
    )
    vendor_ids = fields.Many2many(
        "res.partner",
        "serial_recall_vendor_rel",
        "recall_id",
        "partner_id",
        help="Units whose first receipt came from one of these vendors.",
    )
    quarantine_location_id = fields.Many2one(
        "stock.location",
        domain=[("usage", "=", "internal")],
        check_company=True,
        help="When set, opening the campaign creates an internal transfer moving the "
        "units in stock there, and returns are received there.",
    )

    line_ids = fields.One2many("serial.recall.line", "recall_id", string="Recalled Units")
    picking_ids = fields.One2many(
        "stock.picking", "serial_recall_id", string="Transfers", readonly=True
    )
    scope_computed = fields.Boolean(readonly=True, copy=False)

    unit_count = fields.Integer(string="Units", compute="_compute_counts")
    in_stock_count = fields.Integer(string="In Stock", compute="_compute_counts")
    at_customer_count = fields.Integer(string="At Customers", compute="_compute_counts")
    resolved_count = fields.Integer(string="Resolved", compute="_compute_counts")
    open_line_count = fields.Integer(string="Unresolved", compute="_compute_counts")
    to_contact_count = fields.Integer(string="To Contact Another Way", compute="_compute_counts")
    resolved_rate = fields.Float(string="Progress", compute="_compute_counts")
    picking_count = fields.Integer(compute="_compute_picking_count")

    # Opening of large campaigns runs in the background, batch after batch.
    process_state = fields.Selection(
        [("none", "Not Started"), ("running", "In Progress"), ("done", "Done")],
        string="Opening",
        default="none",
        readonly=True,
        copy=False,
    )
    process_done_count = fields.Integer(string="Processed Units", compute="_compute_counts")
    process_rate = fields.Float(string="Opening Progress", compute="_compute_counts")

    _sql_constraints = [
        (
            "receipt_dates_check",
            "CHECK (receipt_date_from IS NULL OR receipt_date_to IS NULL "
            "OR receipt_date_from <= receipt_date_to)",
            "The receipt date window ends before it starts.",
        ),
    ]

    @api.depends("line_ids.state", "line_ids.location_kind")
    def _compute_counts(self):
        Line = self.env["serial.recall.line"]
        stats = defaultdict(lambda: defaultdict(int))
        if self.ids:
            groups = Line._read_group(
                [("recall_id", "in", self.ids)],
                ["recall_id", "state", "location_kind", "open_done", "to_contact"],
                ["__count"],
            )
            for recall, state, kind, done, to_contact, count in groups:
                stat = stats[recall.id]
                stat["unit"] += count
                stat[f"state_{state}"] += count
                stat[f"kind_{kind}"] += count
                stat["done"] += count if done else 0
                stat["to_contact"] += count if to_contact else 0
        for recall in self:
            stat = stats[recall.id]
            recall.unit_count = stat["unit"]
            recall.in_stock_count = stat["kind_stock"]
            recall.at_customer_count = stat["kind_customer"]
            recall.resolved_count = stat["state_resolved"]
            recall.open_line_count = sum(
                stat[f"state_{state}"] for state in self._unresolved_line_states()
            )
            recall.to_contact_count = stat["to_contact"]
            recall.resolved_rate = (
                100.0 * stat["state_resolved"] / stat["unit"] if stat["unit"] else 0.0
            )
            recall.process_done_count = stat["done"]
            recall.process_rate = 100.0 * stat["done"] / stat["unit"] if stat["unit"] else 0.0

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for recall in self:
            recall.picking_count = len(recall.picking_ids)

    @api.depends("name", "title")
    @api.depends_context("serial_recall_reference_only")
    def _compute_display_name(self):
        # Lists of units show the reference only: the title would repeat on every row.
        short = self.env.context.get("serial_recall_reference_only")
        for recall in self:
            recall.display_name = (
                f"{recall.name}: {recall.title}" if recall.title and not short else recall.name
            )

    @api.constrains("serial_from", "serial_to")
    def _check_serial_range(self):
        for recall in self:
            for end in (recall.serial_from, recall.serial_to):
                if end and len(end) > RANGE_END_MAX_LENGTH:
                    raise ValidationError(
                        _(
                            "A serial range end has at most %(max)s characters; %(start)s... "
                            "has %(length)s.",
                            max=RANGE_END_MAX_LENGTH,
                            start=end[:20],
                            length=len(end),
                        )
                    )
            if (
                recall.serial_from
                and recall.serial_to
                and natural_key(recall.serial_from) > natural_key(recall.serial_to)
            ):
                raise ValidationError(
                    _(
                        "The serial range %(start)s to %(end)s is empty: in natural order "
                        "%(start)s comes after %(end)s.",
                        start=recall.serial_from,
                        end=recall.serial_to,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("serial.recall") or _("New")
        return super().create(vals_list)

    def write(self, vals):
        guard.check_write(self, vals, self._system_fields())
        scope_fields = set(self._scope_fields())
        if scope_fields & set(vals):
            frozen = self.filtered(lambda recall: recall.state != "draft")
            if frozen:
                raise UserError(
                    _(
                        "The scope of %(recalls)s can no longer change: the campaign is "
                        "not a draft.",
                        recalls=", ".join(frozen.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.model
    def _system_fields(self):
        """Changed by the campaign's buttons (open, close, cancel...), never by hand."""
        return {
            "state",
            "process_state",
            "scope_computed",
            "date_open",
            "date_close",
            "close_reason",
            "line_ids",
            "picking_ids",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        started = self.filtered(lambda recall: recall.state != "draft")
        if started:
            raise UserError(
                _(
                    "Only draft campaigns can be deleted; cancel %(recalls)s instead.",
                    recalls=", ".join(started.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_compute_scope(self):
        """(Re)compute the units in scope: one line per unit, in one SQL query."""
        self._check_manager()
        for recall in self:
            if recall.state != "draft":
                raise UserError(
                    _(
                        "The scope of %(recall)s can only be computed while it is a draft.",
                        recall=recall.name,
                    )
                )
            recall._check_scope()
            recall._compute_scope_lines()
        return True

    def action_open(self):
        """Open the campaigns: block the units, undo their reservations, notify holders.

        Small campaigns are processed at once; larger ones by the background job, batch
        after batch (see :meth:`_cron_process_open`).
        """
        self._check_manager()
        for recall in self:
            if recall.state != "draft":
                raise UserError(
                    _(
                        "%(recall)s cannot be opened: it is already %(state)s.",
                        recall=recall.name,
                        state=recall._state_label().lower(),
                    )
                )
            if not recall.scope_computed:
                recall.action_compute_scope()
            if not recall.line_ids:
                raise UserError(
                    _(
                        "%(recall)s has no unit in its scope: widen the scope and compute "
                        "it again.",
                        recall=recall.name,
                    )
                )
        self.sudo().write(
            {"state": "open", "date_open": fields.Datetime.now(), "process_state": "running"}
        )
        sync_limit = self._get_sync_limit()
        for recall in self:
            if recall.unit_count <= sync_limit:
                recall._process_open_batch(limit=None)
            else:
                recall._block_units_now()
                recall._message_log(
                    body=_(
                        "Units blocked. Opening %(count)s units in the background; the "
                        "progress shows on the campaign and a message follows when it is "
                        "finished.",
                        count=recall.unit_count,
                    )
                )
        if self.filtered(lambda recall: recall.process_state == "running"):
            self.env.ref("serial_tracking.ir_cron_serial_recall_open")._trigger()
        return True

    def action_close(self, force_reason=None):
        """Close the campaigns.

        Refused while units are still pending, notified or returned, unless
        ``force_reason`` is given (managers). Units resolved as repaired, replaced or
        inspected OK are released; every other unit stays blocked (destroyed, refunded,
        unreachable or unresolved ones must not be sold again).
        """
        self._check_manager()
        for recall in self:
            if recall.state != "open":
                raise UserError(
                    _("Only open campaigns can be closed (%(recall)s is not).", recall=recall.name)
                )
            if recall.process_state == "running":
                raise UserError(
                    _(
                        "%(recall)s is still being opened in the background; close it "
                        "once the opening is finished.",
                        recall=recall.name,
                    )
                )
            unresolved = self.env["serial.recall.line"].search(
                [("recall_id", "=", recall.id), ("state", "in", self._unresolved_line_states())]
            )
            if unresolved and not (force_reason or "").strip():
                raise UserError(
                    _(
                        "%(recall)s still has %(count)s unresolved units; resolve them or "
                        "force the closing with a reason:\n%(lines)s",
                        recall=recall.name,
                        count=len(unresolved),
                        lines=self._format_lines(unresolved),
                    )
                )
        Line = self.env["serial.recall.line"]
        all_released = Line
        for recall in self:
            released = Line.search(
                [
                    ("recall_id", "=", recall.id),
                    ("state", "=", "resolved"),
                    ("resolution", "in", RELEASING_RESOLUTIONS),
                    ("blocking", "=", True),
                ]
            )
            released.sudo().write({"blocking": False})
            all_released |= released
            vals = {"state": "closed", "date_close": fields.Datetime.now()}
            if force_reason:
                vals["close_reason"] = force_reason
            recall.sudo().write(vals)
            body = _(
                "Campaign closed: %(released)s units released, %(kept)s kept blocked.",
                released=len(released),
                kept=Line.search_count([("recall_id", "=", recall.id), ("blocking", "=", True)]),
            )
            if force_reason:
                body = _(
                    "%(body)s Closing forced with unresolved units: %(reason)s",
                    body=body,
                    reason=force_reason,
                )
            recall._message_log(body=body)
        all_released._reserve_released_units()
        return True

    def action_cancel(self):
        """Cancel: release every unit the campaign blocked (and nothing else)."""
        self._check_manager()
        for recall in self:
            if recall.state not in ("draft", "open"):
                raise UserError(
                    _(
                        "%(recall)s is %(state)s and cannot be cancelled.",
                        recall=recall.name,
                        state=recall._state_label().lower(),
                    )
                )
        blocking = self.env["serial.recall.line"].search(
            [("recall_id", "in", self.ids), ("blocking", "=", True)]
        )
        blocking.sudo().write({"blocking": False})
        pending_pickings = self.picking_ids.filtered(
            lambda picking: (
                picking.state not in ("done", "cancel") and picking.picking_type_code == "internal"
            )
        )
        if pending_pickings:
            pending_pickings.action_cancel()
        blocking._reserve_released_units()
        self.sudo().write({"state": "cancelled", "process_state": "done"})
        for recall in self:
            recall._message_log(
                body=_(
                    "Campaign cancelled: %(count)s units released.",
                    count=len(blocking.filtered(lambda line, r=recall: line.recall_id == r)),
                )
            )
        return True

    def action_reset_draft(self):
        """Put a cancelled campaign back to draft (its scope can then be recomputed)."""
        self._check_manager()
        if self.filtered(lambda recall: recall.state != "cancelled"):
            raise UserError(_("Only cancelled campaigns can be set back to draft."))
        self.line_ids.unlink()
        self.sudo().write({"state": "draft", "process_state": "none", "scope_computed": False})
        return True

    def action_close_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Close Recall"),
            "res_model": "serial.recall.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_recall_id": self.id},
        }

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_tracking.serial_recall_line_action"
        )
        action["domain"] = [("recall_id", "=", self.id)]
        action["context"] = {"default_recall_id": self.id}
        action["display_name"] = self.display_name
        return action

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("serial_recall_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    @api.model
    def action_create_from(self, model, record_ids):
        """Open a new campaign prefilled from selected serials, products or receipts.

        Used by the "Create Recall" actions of the lot list, the product form and
        vendor receipts.
        """
        if model not in RECALL_SOURCES:
            raise UserError(_("A recall cannot be created from %(model)s.", model=model))
        if not isinstance(record_ids, list | tuple) or not all(
            isinstance(rid, int) for rid in record_ids
        ):
            raise UserError(_("Select the records to create a recall from."))
        context = {}
        records = self.env[model].browse(record_ids).exists()
        if model == "stock.lot":
            context["default_lot_ids"] = records.ids
            context["default_product_ids"] = records.product_id.ids
        elif model == "product.template":
            context["default_product_ids"] = records.product_variant_ids.filtered(
                lambda product: product.tracking == "serial"
            ).ids
        elif model == "product.product":
            context["default_product_ids"] = records.ids
        elif model == "stock.picking":
            receipts = records.filtered(lambda picking: picking.picking_type_code == "incoming")
            if not receipts:
                raise UserError(_("Select vendor receipts to create a recall from."))
            context["default_lot_ids"] = receipts.move_line_ids.lot_id.ids
            context["default_product_ids"] = receipts.move_line_ids.lot_id.product_id.ids
            context["default_vendor_ids"] = receipts.partner_id.commercial_partner_id.ids
        else:
            raise UserError(_("A recall cannot be created from %(model)s.", model=model))
        return {
            "type": "ir.actions.act_window",
            "name": _("New Recall"),
            "res_model": "serial.recall",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------

    @api.model
    def _scope_fields(self):
        return [
            "product_ids",
            "lot_ids",
            "serial_from",
            "serial_to",
            "receipt_date_from",
            "receipt_date_to",
            "vendor_ids",
            "company_id",
        ]

    def _check_scope(self):
        """Refuse an empty scope and a range whose ends belong to other products."""
        self.ensure_one()
        if not self._scope_has_criteria():
            raise UserError(
                _(
                    "The scope of %(recall)s is empty: give at least products, serial "
                    "numbers, a serial range, a receipt date window or vendors.",
                    recall=self.name,
                )
            )
        ends = [end for end in (self.serial_from, self.serial_to) if end]
        if not (ends and self.product_ids):
            return
        problems = []
        lots = self.env["stock.lot"].search_fetch(
            [("name", "in", ends), ("company_id", "in", [self.company_id.id, False])],
            ["name", "product_id"],
        )
        for end in ends:
            end_lots = lots.filtered(lambda lot, e=end: lot.name == e)
            if end_lots and not (end_lots.product_id & self.product_ids):
                problems.append(
                    _(
                        " - %(serial)s is a serial of %(products)s",
                        serial=end,
                        products=", ".join(end_lots.product_id.mapped("display_name")),
                    )
                )
        if problems:
            raise UserError(
                _(
                    "The serial range of %(recall)s must be made of serials of its "
                    "products (%(products)s):\n%(lines)s",
                    recall=self.name,
                    products=", ".join(self.product_ids.mapped("display_name")),
                    lines="\n".join(problems),
                )
            )

    def _scope_has_criteria(self):
        """Whether the campaign names at least one criterion. Extended by the addons
        adding criteria (see :meth:`_scope_extra_conditions`)."""
        self.ensure_one()
        return bool(
            self.product_ids
            or self.lot_ids
            or self.serial_from
            or self.serial_to
            or self.receipt_date_from
            or self.receipt_date_to
            or self.vendor_ids
        )

    def _compute_scope_lines(self):
        """Replace the lines of the (draft) campaign by the units of its scope.

        One ``DELETE`` and one ``INSERT ... SELECT`` with parameters: the whole scope is
        resolved by PostgreSQL, whatever its size.
        """
        self.ensure_one()
        self._scope_flush()
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM serial_recall_line WHERE recall_id = %s", self.id))
        count = self._scope_execute(self._scope_insert_query())
        self.env["serial.recall.line"].invalidate_model()
        self.env["stock.lot"].invalidate_model(["serial_recall_line_ids"])
        self.invalidate_recordset(["line_ids"])
        self.sudo().write({"scope_computed": True})
        return count

    def _scope_execute(self, query):
        """Run the scope's ``INSERT`` without PostgreSQL's JIT compiler; returns the
        number of lines inserted.

        Over millions of rows the planner's cost estimate passes ``jit_above_cost``,
        and compiling the statement (hundreds of milliseconds, seconds with inlining)
        costs more than running it: every step of the plan is an index lookup.
        """
        cr = self.env.cr
        cr.execute("SELECT current_setting('jit')")
        jit = cr.fetchone()[0]
        cr.execute("SET LOCAL jit = off")
        # On error the rollback (of the transaction or savepoint) restores it.
        cr.execute(query)
        count = cr.rowcount
        cr.execute(SQL("SELECT set_config('jit', %s, true)", jit))
        return count

    def _scope_flush(self):
        self.flush_recordset()
        self.env["stock.lot"].flush_model(
            ["name", "product_id", "company_id", "serial_state", "serial_owner_id"]
        )
        self.env["stock.move.line"].flush_model(
            ["lot_id", "state", "date", "location_id", "location_dest_id", "picking_id"]
        )
        self.env["stock.picking"].flush_model(["partner_id"])
        self.env["stock.location"].flush_model(["usage"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["tracking"])

    def _scope_insert_query(self):
        """``INSERT ... SELECT`` creating one line per unit in scope."""
        self.ensure_one()
        now = fields.Datetime.now()
        uid = self.env.uid
        return SQL(
            """
            INSERT INTO serial_recall_line (
                recall_id, company_id, lot_id, product_id, partner_id, location_kind,
                state, blocking, open_done, to_contact,
                create_uid, create_date, write_uid, write_date
            )
            SELECT %(recall)s, %(company)s, lot.id, lot.product_id, lot.serial_owner_id,
                   CASE lot.serial_state
                        WHEN 'in_stock' THEN 'stock'
                        WHEN 'delivered' THEN 'customer'
                        ELSE 'other' END,
                   'pending', FALSE, FALSE, FALSE,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
            %(from_where)s
            ON CONFLICT DO NOTHING
            """,
            recall=self.id,
            company=self.company_id.id,
            uid=uid,
            now=now,
            from_where=self._scope_from_where(),
        )

    def _scope_from_where(self):
        """``FROM ... WHERE ...`` selecting the lots (alias ``lot``) in scope."""
        self.ensure_one()
        joins = [
            SQL("FROM stock_lot lot"),
            SQL("JOIN product_product pp ON pp.id = lot.product_id"),
            SQL("JOIN product_template pt ON pt.id = pp.product_tmpl_id"),
        ]
        conditions = [
            self._scope_tracking_condition(),
            SQL("(lot.company_id IS NULL OR lot.company_id = %s)", self.company_id.id),
        ]
        if self.product_ids:
            conditions.append(SQL("lot.product_id = ANY(%s)", self.product_ids.ids))
        if self.lot_ids:
            conditions.append(SQL("lot.id = ANY(%s)", self.lot_ids.ids))
        if self.serial_from:
            conditions.append(self._scope_range_condition(">=", self.serial_from))
        if self.serial_to:
            conditions.append(self._scope_range_condition("<=", self.serial_to))
        if bool(self.serial_from) != bool(self.serial_to):
            # An open-ended range stays within the series (prefix) of its given end.
            prefix = natural_key(self.serial_from or self.serial_to)[0]
            conditions.append(SQL("""regexp_replace(lot.name, '[0-9]+$', '') = %s""", prefix))
        if self.receipt_date_from or self.receipt_date_to or self.vendor_ids:
            joins.append(self._scope_receipt_join())
            # Receipt dates are days of the company's calendar, move dates UTC.
            company = self.company_id
            if self.receipt_date_from:
                start = company._serial_day_start_utc(self.receipt_date_from)
                conditions.append(SQL("rcpt.date >= %s", start))
            if self.receipt_date_to:
                end = company._serial_day_start_utc(self.receipt_date_to + timedelta(days=1))
                conditions.append(SQL("rcpt.date < %s", end))
            if self.vendor_ids:
                vendors = (
                    self.env["res.partner"]
                    .with_context(active_test=False)
                    .search([("id", "child_of", self.vendor_ids.ids)])
                )
                conditions.append(SQL("rcpt.partner_id = ANY(%s)", vendors.ids))
        conditions += self._scope_extra_conditions()
        return SQL(
            "%s WHERE %s",
            SQL(" ").join(joins),
            SQL(" AND ").join(conditions),
        )

    def _scope_extra_conditions(self):
        """More ``SQL`` conditions on the lots in scope (aliases ``lot``, ``pp``,
        ``pt``), combined with AND. Hook for addons adding criteria: none here."""
        self.ensure_one()
        return []

    def _scope_tracking_condition(self):
        """Lots the criteria may select (alias ``pt``): serial units. Hook for bridges
        whose scope starts from component batches too."""
        return SQL("pt.tracking = 'serial'")

    @api.model
    def _scope_range_condition(self, operator, serial):
        """Natural-order comparison of ``lot.name`` with ``serial`` (see natural_key)."""
        assert operator in (">=", "<=")
        prefix, length, digits = natural_key(serial)
        number = digits if length >= 0 else -1
        return SQL(
            """(regexp_replace(lot.name, '[0-9]+$', '') COLLATE "C",
                COALESCE(substring(lot.name FROM '[0-9]+$')::numeric, -1))
               %s (%s COLLATE "C", %s::numeric)""",
            SQL(operator),
            prefix,
            number,
        )

    @api.model
    def _scope_receipt_join(self):
        """The first done receipt of each lot from a vendor into an internal location."""
        return SQL(
            """
            JOIN LATERAL (
                SELECT ml.date, pick.partner_id
                  FROM stock_move_line ml
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dst ON dst.id = ml.location_dest_id
             LEFT JOIN stock_picking pick ON pick.id = ml.picking_id
                 WHERE ml.lot_id = lot.id
                   AND ml.state = 'done'
                   AND src.usage = 'supplier'
                   AND dst.usage = 'internal'
              ORDER BY ml.date, ml.id
                 LIMIT 1
            ) rcpt ON TRUE
            """
        )

    # ------------------------------------------------------------------
    # Opening (synchronous or batch after batch in the background)
    # ------------------------------------------------------------------

    @api.model
    def _get_sync_limit(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("serial_tracking.recall_sync_limit", DEFAULT_SYNC_LIMIT)
        )

    @api.model
    def _get_batch_size(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("serial_tracking.recall_batch_size", DEFAULT_BATCH_SIZE)
        )

    @api.model
    def _cron_process_open(self, batch_size=None):
        """Scheduled action: open the next batch of units of running campaigns.

        Reports its progress to the cron runner, which calls it again (and re-runs the
        job as soon as possible) while units remain. Every batch is committed with the
        line flags it sets, so a crash loses at most the batch in progress, and the next
        run continues where it stopped: no duplicate email nor line.
        """
        batch_size = batch_size or self._get_batch_size()
        recall = self.search(
            [("state", "=", "open"), ("process_state", "=", "running")],
            order="id",
            limit=1,
        )
        done = 0
        if recall:
            done = recall._process_open_batch(limit=batch_size)
        remaining = self.env["serial.recall.line"].search_count(
            [
                ("recall_id.state", "=", "open"),
                ("recall_id.process_state", "=", "running"),
                ("open_done", "=", False),
            ]
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if (remaining or self._has_pending_finish()) and not self.env.context.get(
            "ir_cron_progress_id"
        ):
            self.env.ref("serial_tracking.ir_cron_serial_recall_open")._trigger()
        return done

    @api.model
    def _has_pending_finish(self):
        return bool(self.search_count([("state", "=", "open"), ("process_state", "=", "running")]))

    def _process_open_batch(self, limit=None):
        """Open up to ``limit`` unprocessed lines of the campaign (all when None).

        A customer's lines are always processed together so that each customer gets
        one notice listing all their units. Returns the number of lines processed.
        """
        self.ensure_one()
        Line = self.env["serial.recall.line"]
        todo_domain = [("recall_id", "=", self.id), ("open_done", "=", False)]
        lines = Line.search(todo_domain, order="partner_id, id", limit=limit)
        if limit and len(lines) == limit:
            # Complete the last customer's lines beyond the limit.
            edge_partner = lines[-1].partner_id
            if edge_partner:
                lines |= Line.search(todo_domain + [("partner_id", "=", edge_partner.id)])
        if lines:
            lines.sudo().write({"blocking": True})
            lines._unreserve_blocked_units()
            self._quarantine_units(lines.filtered(lambda line: line.location_kind == "stock"))
            self._notify_holders(lines.filtered(lambda line: line.location_kind == "customer"))
            lines.sudo().write({"open_done": True})
        if not Line.search_count(todo_domain, limit=1):
            self._finish_open()
        return len(lines)

    def _block_units_now(self):
        """Block every unit of the campaign at once, ahead of the batches.

        A large campaign must stop sales of its units right away, not after the
        background job reached them. One ORM write on all the lines: the units'
        blocking status follows through its dependencies (a few set-based
        queries, none per unit), and so does everything depending on them.
        """
        self.ensure_one()
        lines = self.env["serial.recall.line"].search(
            [("recall_id", "=", self.id), ("blocking", "=", False)]
        )
        lines.sudo().write({"blocking": True})
        lines.lot_id.flush_recordset(["serial_blocked"])

    def _finish_open(self):
        self.ensure_one()
        self.sudo().write({"process_state": "done"})
        Line = self.env["serial.recall.line"]
        blocked = Line.search_count([("recall_id", "=", self.id), ("blocking", "=", True)])
        notified = Line._read_group(
            [("recall_id", "=", self.id), ("state", "=", "notified")], ["partner_id"]
        )
        to_contact = Line._read_group(
            [("recall_id", "=", self.id), ("to_contact", "=", True)], ["partner_id"]
        )
        body = _(
            "Campaign opened: %(units)s units blocked, %(notified)s customers notified.",
            units=blocked,
            notified=len(notified),
        )
        if to_contact:
            body = Markup("%s<br/>%s") % (
                body,
                _(
                    "Customers without an email address, to contact another way: %(partners)s",
                    partners=", ".join(partner.display_name for (partner,) in to_contact),
                ),
            )
        self._message_log(body=body)

    def _quarantine_units(self, lines):
        """Prepare the internal transfers moving the units of ``lines`` to quarantine.

        One transfer per warehouse, of that warehouse's internal type, to its own
        quarantine location: a unit never changes warehouse by being quarantined.
        """
        self.ensure_one()
        pickings = self.env["stock.picking"]
        if not (self.quarantine_location_id and lines):
            return pickings
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", lines.lot_id.ids),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ]
        )
        skipped = self.env["stock.quant"]
        for warehouse, wh_quants in quants.grouped(lambda q: q.location_id.warehouse_id).items():
            destination = self._quarantine_location(warehouse)
            if not destination:
                skipped |= wh_quants
                continue
            todo = wh_quants.filtered(
                lambda quant, dest=destination: (
                    not quant.location_id.parent_path.startswith(dest.parent_path)
                )
            )
            if todo:
                pickings |= self._quarantine_picking(warehouse, destination, todo)
        if skipped:
            self._message_log(
                body=_(
                    "Not moved to quarantine (outside any warehouse): %(serials)s",
                    serials=", ".join(skipped.lot_id.mapped("name")),
                )
            )
        return pickings

    def _quarantine_location(self, warehouse):
        """Quarantine location of ``warehouse``: the campaign's when it is there, else
        the warehouse's *Quarantine* location, created on demand."""
        location = self.quarantine_location_id
        if location.warehouse_id == warehouse:
            return location
        if not warehouse:
            return self.env["stock.location"]
        Location = self.env["stock.location"].sudo()
        quarantine = Location.search(
            [
                ("location_id", "=", warehouse.view_location_id.id),
                ("name", "=", QUARANTINE_LOCATION_NAME),
                ("usage", "=", "internal"),
            ],
            limit=1,
        )
        if not quarantine:
            quarantine = Location.create(
                {
                    "name": QUARANTINE_LOCATION_NAME,
                    "location_id": warehouse.view_location_id.id,
                    "usage": "internal",
                    "company_id": warehouse.company_id.id,
                }
            )
        return quarantine.sudo(False)

    def _quarantine_picking(self, warehouse, destination, quants):
        """One internal transfer of ``warehouse`` moving exactly ``quants``' units."""
        source = warehouse.lot_stock_id
        if any(not q.location_id.parent_path.startswith(source.parent_path) for q in quants):
            source = warehouse.view_location_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.int_type_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": self.name,
                "serial_recall_id": self.id,
                "company_id": warehouse.company_id.id,
            }
        )
        moves = self.env["stock.move"].create(
            [
                {
                    "name": self.name,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": sum(product_quants.mapped("quantity")),
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": warehouse.company_id.id,
                }
                for product, product_quants in quants.grouped("product_id").items()
            ]
        )
        moves._action_confirm(merge=False)
        # Reserve exactly the recalled units (the generic reservation would pick any).
        moves.move_line_ids.unlink()
        move_by_product = {move.product_id: move for move in moves}
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move_by_product[quant.product_id].id,
                    "picking_id": picking.id,
                    "product_id": quant.product_id.id,
                    "lot_id": quant.lot_id.id,
                    "quantity": quant.quantity,
                    "product_uom_id": quant.product_id.uom_id.id,
                    "location_id": quant.location_id.id,
                    "location_dest_id": destination.id,
                }
                for quant in quants
            ]
        )
        self._message_log(
            body=_(
                "Quarantine transfer %(picking)s created for %(count)s units.",
                picking=picking.name,
                count=len(quants),
            )
        )
        return picking

    def _notice_sender(self):
        """Who signs the customers' notices: the user, or the company when the user
        has no email address (a notice is the company's word, and the background
        opening runs as a user nobody chose)."""
        if self.env.user.email:
            return {}
        company = self.company_id or self.env.company
        if not company.email:
            raise UserError(
                _(
                    "Recall notices are emailed to customers: set an email address on "
                    "your user or on company %(company)s.",
                    company=company.name,
                )
            )
        return {"author_id": company.partner_id.id, "email_from": company.email_formatted}

    def _notify_holders(self, lines):
        """Send each customer of ``lines`` one notice listing only their own units."""
        self.ensure_one()
        template = self.env.ref("serial_tracking.mail_template_serial_recall_notice")
        no_email = self.env["serial.recall.line"]
        notified = self.env["serial.recall.line"]
        for partner, partner_lines in lines.grouped("partner_id").items():
            if not partner:
                continue
            if not partner.email:
                no_email |= partner_lines
                continue
            template_ctx = template.with_context(
                lang=partner.lang,
                recall_partner_id=partner.id,
                recall_line_ids=partner_lines.ids,
            )
            body = template_ctx._render_field("body_html", self.ids, compute_lang=False)[self.id]
            subject = template_ctx._render_field("subject", self.ids, compute_lang=False)[self.id]
            self.message_post(
                body=body,
                subject=subject,
                partner_ids=partner.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                email_layout_xmlid="mail.mail_notification_light",
                **self._notice_sender(),
            )
            notified |= partner_lines
        notified.sudo().write({"state": "notified", "date_notified": fields.Datetime.now()})
        no_email.sudo().write({"to_contact": True})

    def _notice_lines(self, partner_id):
        """Lines of the campaign held by ``partner_id`` (notice email and report).

        While notifying, the batch passes the customer's lines in the context
        (``recall_line_ids``) so that a large campaign is not searched per customer.
        """
        self.ensure_one()
        Line = self.env["serial.recall.line"]
        line_ids = self.env.context.get("recall_line_ids")
        if line_ids:
            lines = Line.browse(line_ids)
        else:
            lines = Line.search([("recall_id", "=", self.id), ("partner_id", "=", partner_id)])
        # Whatever the caller passed, a notice only ever lists the partner's own units.
        return lines.filtered(
            lambda line: line.recall_id == self and line.partner_id.id == partner_id
        )

    def _summary_counts(self):
        """``[(state label, count)]`` of the lines, for the summary report."""
        self.ensure_one()
        groups = dict(
            self.env["serial.recall.line"]._read_group(
                [("recall_id", "=", self.id)], ["state"], ["__count"]
            )
        )
        return [
            (label, groups.get(state, 0))
            for state, label in self.env["serial.recall.line"]
            ._fields["state"]
            ._description_selection(self.env)
        ]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _state_label(self):
        """Label of the campaign's state, in the user's language."""
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_manager(self):
        if not self.env.user.has_group("serial_tracking.group_serial_tracking_manager"):
            raise AccessError(_("Only Serial Tracking managers can run recall campaigns."))

    @api.model
    def _unresolved_line_states(self):
        """Line states that keep a campaign from being closed without a reason."""
        return ("pending", "notified", "returned")

    @api.model
    def _format_lines(self, lines, limit=50):
        text = "\n".join(
            self.env._(
                " - %(serial)s (%(product)s): %(state)s",
                serial=line.lot_id.name,
                product=line.product_id.display_name,
                state=line._state_label(),
            )
            for line in lines[:limit]
        )
        if len(lines) > limit:
            text += "\n" + _("... and %(count)s more", count=len(lines) - limit)
        return text

    def _block_reason(self, line):
        """Human reason a unit of this campaign is blocked (shown on the unit)."""
        self.ensure_one()
        if self.state == "open":
            return _("open recall %(name)s: %(title)s", name=self.name, title=self.title)
        if line.resolution == "destroyed":
            return _("destroyed in recall %(name)s", name=self.name)
        return _(
            "not released by recall %(name)s (%(state)s)",
            name=self.name,
            state=line._state_label().lower(),
        )
