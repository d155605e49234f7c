from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date
from odoo.tools.sql import column_exists, create_column

from ..tools import guard
from ..tools.bulk import insert_rows

WARRANTY_STATES = [
    ("pending", "Pending"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("void", "Void"),
]


VOID_CAUSES = [
    ("return", "Returned"),
    ("transfer", "Changed Owner"),
    ("manual", "Voided by Hand"),
]


def chain_periods(periods):
    """Uninterrupted covers made of ``periods``, as sorted ``(start, end)`` pairs.

    ``periods`` are ``(date_start, date_end)`` pairs, ends included; a period starting
    at the latest the day after the cover so far ends continues it (chained extensions).
    """
    covers = []
    for start, stop in sorted(periods):
        if covers and start <= covers[-1][1] + timedelta(days=1):
            covers[-1] = (covers[-1][0], max(covers[-1][1], stop))
        else:
            covers.append((start, stop))
    return covers


def covered_until(periods, day):
    """Last day of the uninterrupted cover that includes ``day``, or ``None`` when
    ``day`` is not covered (``periods`` as for :func:`chain_periods`)."""
    return next((stop for start, stop in chain_periods(periods) if start <= day <= stop), None)


def selection_search_keys(model, fname, operator, value):
    """Selection keys of ``fname`` matched by the condition ``(fname, operator, value)``."""
    keys = [key for key, _label in model._fields[fname]._description_selection(model.env)]
    if operator in ("=", "!="):
        values = {value}
    elif operator in ("in", "not in") and isinstance(value, (list, tuple, set)):
        values = set(value)
    else:
        raise UserError(
            model.env._(
                "Unsupported search on %(field)s: %(operator)s",
                field=model._fields[fname].string,
                operator=operator,
            )
        )
    if operator in ("!=", "not in"):
        return [key for key in keys if key not in values]
    return [key for key in keys if key in values]


def coverage_state(date_start, date_end, has_unit, void_date, day):
    """State of a coverage on ``day`` (see the help of ``serial.warranty.state``)."""
    if void_date:
        return "void"
    if date_end < day:
        return "expired"
    if not has_unit or date_start > day:
        return "pending"
    return "active"


class SerialWarranty(models.Model):
    _name = "serial.warranty"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Serial Unit Warranty Coverage"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["lot_id.name", "term_id.name"]

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        help="Empty while the unit is not known yet (coverage started when the order "
        "was confirmed, before the unit was delivered).",
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, ondelete="restrict", check_company=True
    )
    term_id = fields.Many2one(
        "serial.warranty.term",
        string="Warranty Term",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    transferable = fields.Boolean(related="term_id.transferable")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        help="Customer the coverage is given to (current beneficiary).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(string="Start", required=True)
    date_end = fields.Date(
        string="End",
        required=True,
        index=True,
        help="Last day of cover, included: the coverage ends the day before the same "
        "date one term duration after the start.",
    )
    state = fields.Selection(
        WARRANTY_STATES,
        compute="_compute_state",
        search="_search_state",
        help="Pending: not started yet (unit unknown or start date in the future).\n"
        "Active: today is between start and end (company time zone).\n"
        "Expired: the end date has passed.\n"
        "Void: cancelled (return, change of owner...), see the reason.",
    )
    origin = fields.Selection(
        [("standard", "Standard"), ("extension", "Extension")],
        required=True,
        default="standard",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sales Order Line", index="btree_not_null", check_company=True
    )
    order_id = fields.Many2one(related="sale_line_id.order_id", string="Sales Order")
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
    invoice_id = fields.Many2one(
        "account.move", index="btree_not_null", readonly=True, check_company=True
    )
    void_date = fields.Date(readonly=True, copy=False, index="btree_not_null")
    # Why a coverage was voided is kept as a cause, and the sentence is written in the
    # reader's language when shown: nothing translated is stored.
    void_cause = fields.Selection(
        VOID_CAUSES,
        readonly=True,
        copy=False,
    )
    void_uid = fields.Many2one("res.users", string="Voided By", readonly=True, copy=False)
    void_reason = fields.Char(compute="_compute_void_reason")
    reminder_date = fields.Date(
        string="Reminded On",
        readonly=True,
        copy=False,
        help="When the expiry reminder was sent: a coverage is reminded only once.",
    )

    _sql_constraints = [
        (
            "dates_check",
            "CHECK (date_end >= date_start)",
            "A warranty cannot end before it starts.",
        ),
    ]

    # The state depends on today's date: it is computed when read and searched as
    # date conditions on stored, indexed columns, so that it is right at any moment
    # without a scheduled action (as product_expiry's alerts).
    @api.depends("date_start", "date_end", "lot_id", "void_date", "company_id")
    def _compute_state(self):
        today = {}
        for warranty in self:
            company = warranty.company_id
            if company not in today:
                today[company] = company._serial_today()
            warranty.state = warranty._serial_state_on(today[company])

    def _serial_state_on(self, day):
        """State of the coverage on ``day`` (a date)."""
        return coverage_state(
            self.date_start, self.date_end, bool(self.lot_id), self.void_date, day
        )

    @api.model
    def _serial_state_domain(self, state, day):
        """Domain of the coverages in ``state`` on ``day``."""
        if state == "void":
            return [("void_date", "!=", False)]
        not_void = ("void_date", "=", False)
        if state == "expired":
            return [not_void, ("date_end", "<", day)]
        if state == "pending":
            return [
                not_void,
                ("date_end", ">=", day),
                "|",
                ("lot_id", "=", False),
                ("date_start", ">", day),
            ]
        if state == "active":
            return [
                not_void,
                ("date_end", ">=", day),
                ("date_start", "<=", day),
                ("lot_id", "!=", False),
            ]
        return expression.FALSE_DOMAIN

    def _search_state(self, operator, value):
        states = selection_search_keys(self, "state", operator, value)
        return self.env["res.company"]._serial_today_domain(
            lambda day: (
                expression.OR([self._serial_state_domain(s, day) for s in states])
                if states
                else expression.FALSE_DOMAIN
            )
        )

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # Group by and order by state: the same rules as _search_state, in SQL.
        if fname != "state":
            return super()._field_to_sql(alias, fname, query, flush)
        self.check_field_access_rights("read", [fname])
        column = lambda name: super(SerialWarranty, self)._field_to_sql(  # noqa: E731
            alias, name, query, flush
        )
        day = self.env["res.company"]._serial_today_sql(column("company_id"))
        return SQL(
            """(CASE WHEN %(void)s IS NOT NULL THEN 'void'
                     WHEN %(end)s < %(day)s THEN 'expired'
                     WHEN %(lot)s IS NULL OR %(start)s > %(day)s THEN 'pending'
                     ELSE 'active' END)""",
            void=column("void_date"),
            end=column("date_end"),
            start=column("date_start"),
            lot=column("lot_id"),
            day=day,
        )

    def _auto_init(self):
        # Versions before 18.0.1.1.0 stored the state (refreshed by a daily action) and
        # the void reason as English text: keep the cause, drop the text.
        cr, table = self.env.cr, SQL.identifier(self._table)
        if column_exists(cr, self._table, "state"):
            cr.execute(SQL("ALTER TABLE %s DROP COLUMN state", table))
        if column_exists(cr, self._table, "void_reason"):
            create_column(cr, self._table, "void_cause", "varchar")
            cr.execute(
                SQL(
                    """UPDATE %s SET void_cause = CASE
                           WHEN void_reason LIKE '%%returned%%' THEN 'return'
                           WHEN void_reason LIKE '%%changed owner%%' THEN 'transfer'
                           ELSE 'manual' END
                     WHERE void_date IS NOT NULL""",
                    table,
                )
            )
            cr.execute(SQL("ALTER TABLE %s DROP COLUMN void_reason", table))
        return super()._auto_init()

    @api.depends("lot_id", "term_id")
    def _compute_display_name(self):
        for warranty in self:
            warranty.display_name = " - ".join(
                filter(None, [warranty.lot_id.name, warranty.term_id.name])
            ) or self.env._("Pending coverage")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def write(self, vals):
        guard.check_write(self, vals, self._serial_system_fields())
        return super().write(vals)

    @api.model
    def _serial_system_fields(self):
        """Set by the flows that void, hand over or remind coverage, not by hand."""
        return {"void_date", "void_cause", "void_uid", "reminder_date"}

    def action_void(self):
        """Manual void from the coverage form: Serial Tracking managers only.

        Returns, transfers and registrations void coverage by rule through
        ``_serial_void``; this button is the only way a person voids one.
        """
        if not self.env.user.has_group("serial_tracking.group_serial_tracking_manager"):
            raise AccessError(self.env._("Only Serial Tracking managers can void a warranty."))
        self.check_access("write")
        self._serial_void("manual")
        return True

    def action_print_certificate(self):
        lots = self.lot_id
        if not lots:
            raise UserError(self.env._("The unit of this coverage is not known yet."))
        return self.env.ref("serial_tracking.action_report_warranty_certificate").report_action(
            lots
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _serial_prepare_vals(
        self, term, product, date_start, lot=None, partner=None, company=None, **extra
    ):
        vals = {
            "term_id": term.id,
            "product_id": product.id,
            "lot_id": lot.id if lot else False,
            "partner_id": partner.commercial_partner_id.id if partner else False,
            "company_id": (company or (lot and lot.company_id) or self.env.company).id,
            "date_start": date_start,
            "date_end": term._serial_date_end(date_start),
            "origin": "standard",
        }
        vals.update(extra)
        return vals

    @api.model
    def _serial_create(self, vals_list):
        """Create coverages in batch, as the system (triggers run for any user).

        ``vals_list`` comes from ``_serial_prepare_vals``. Coverage started by a
        delivery, an invoice or an order is visible on the unit (Warranty tab and
        status): it gets no creation message nor follower, and is inserted in one
        statement per thousand units so that delivering thousands of units stays
        close to bare Odoo's time.
        """
        return insert_rows(self.sudo(), vals_list).with_env(self.env)

    @api.depends("void_cause", "void_uid")
    @api.depends_context("lang")
    def _compute_void_reason(self):
        for warranty in self:
            warranty.void_reason = warranty._serial_void_reason()

    def _serial_void_reason(self):
        """Why the coverage was voided, in the user's language (empty if it was not)."""
        cause = self.void_cause
        if cause == "return":
            return self.env._("the unit was returned and the term is not transferable")
        if cause == "transfer":
            return self.env._("the unit changed owner and the term is not transferable")
        if cause == "manual":
            return self.env._("voided by %(user)s", user=self.sudo().void_uid.name or "-")
        return False

    def _serial_void(self, cause):
        """Void the coverages of ``self`` for ``cause`` (see ``VOID_CAUSES``), logged on
        each unit's chatter."""
        if cause not in dict(VOID_CAUSES):
            raise UserError(self.env._("Unknown reason to void a warranty: %(cause)s", cause=cause))
        to_void = self.filtered(lambda w: w.state != "void")
        if not to_void:
            return
        today = self.env.company._serial_today()
        to_void.sudo().write({"void_date": today, "void_cause": cause, "void_uid": self.env.uid})
        to_void._serial_log(
            lambda w: self.env._(
                "Warranty %(term)s (%(start)s - %(end)s) voided: %(reason)s",
                term=w.term_id.name,
                start=format_date(self.env, w.date_start),
                end=format_date(self.env, w.date_end),
                reason=w._serial_void_reason(),
            )
        )

    def _serial_set_partner(self, partner):
        """Hand transferable coverage over to a new owner."""
        partner = partner.commercial_partner_id
        moved = self.filtered(lambda w: w.partner_id != partner)
        if not moved:
            return
        moved.sudo().write({"partner_id": partner.id})
        moved._serial_log(
            lambda w: self.env._(
                "Warranty %(term)s (until %(end)s) transferred to %(partner)s.",
                term=w.term_id.name,
                end=format_date(self.env, w.date_end),
                partner=partner.display_name,
            )
        )

    def _serial_log(self, message):
        """Log ``message(warranty)`` in the chatter of each warranty's unit, in batch."""
        bodies = defaultdict(list)
        for warranty in self.filtered("lot_id"):
            bodies[warranty.lot_id.id].append(message(warranty))
        if bodies:
            self.env["stock.lot"].sudo().browse(bodies)._message_log_batch(
                {lot_id: Markup("<br/>").join(lines) for lot_id, lines in bodies.items()}
            )

    def _serial_log_started(self):
        self._serial_log(
            lambda w: self.env._(
                "Warranty %(term)s for %(partner)s: %(start)s - %(end)s (%(origin)s).",
                term=w.term_id.name,
                partner=w.partner_id.display_name or "-",
                start=format_date(self.env, w.date_start),
                end=format_date(self.env, w.date_end),
                origin=dict(self._fields["origin"]._description_selection(self.env))[w.origin],
            )
        )

    @api.model
    def _serial_lookup_rows(self, lot_id):
        """Coverages of the unit ``lot_id`` as plain values, in one query."""
        self.flush_model(
            ["lot_id", "term_id", "partner_id", "date_start", "date_end", "void_date", "origin"]
        )
        self.env["serial.warranty.term"].flush_model(["name"])
        # Names of terms and customers the user may not read are not given.
        query = self._search([("lot_id", "=", lot_id)], order="date_start, id")
        table = query.table
        term = query.left_join(table, "term_id", "serial_warranty_term", "id", "term")
        partner = query.left_join(table, "partner_id", "res_partner", "id", "partner")
        self.env.cr.execute(
            query.select(
                guard.readable_sql(self.env["serial.warranty.term"], SQL.identifier(term, "id")),
                self.env["serial.warranty.term"]._field_to_sql(term, "name", query),
                guard.readable_sql(self.env["res.partner"], SQL.identifier(partner, "id")),
                SQL.identifier(partner, "complete_name"),
                SQL.identifier(table, "date_start"),
                SQL.identifier(table, "date_end"),
                self._field_to_sql(table, "state", query),
                SQL.identifier(table, "origin"),
            )
        )
        return [
            {
                "term": term_name if term_readable else False,
                "customer": (customer or False) if partner_readable else False,
                "date_start": date_start,
                "date_end": date_end,
                "state": state,
                "origin": origin,
            }
            for (
                term_readable,
                term_name,
                partner_readable,
                customer,
                date_start,
                date_end,
                state,
                origin,
            ) in self.env.cr.fetchall()
        ]

    @api.model
    def _cron_send_reminders(self, batch_size=500):
        """Daily: remind coverages about to end, ``batch_size`` at a time.

        Run by the scheduler, one batch per call: the progress API makes the cron
        runner call again while coverages remain. Called directly, it loops.
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = 0
        while True:
            batch, remaining = self._serial_reminder_batch(batch_size)
            done += len(batch)
            if in_cron:
                self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                return
            if not batch or not remaining:
                return

    @api.model
    def _serial_reminder_domain(self, company):
        today = company._serial_today()
        limit = fields.Date.add(today, days=company.serial_warranty_reminder_days)
        return [
            ("company_id", "=", company.id),
            ("state", "=", "active"),
            ("reminder_date", "=", False),
            ("date_end", ">=", today),
            ("date_end", "<=", limit),
            # not when an extension already continues the cover
            ("lot_id.serial_warranty_end", "<=", limit),
        ]

    @api.model
    def _serial_reminder_batch(self, batch_size):
        """Remind at most ``batch_size`` coverages; return ``(reminded, remaining)``."""
        Warranty = self.sudo()
        companies = (
            self.env["res.company"].sudo().search([("serial_warranty_reminder_days", ">", 0)])
        )
        batch = Warranty.browse()
        remaining = 0
        for company in companies:
            domain = self._serial_reminder_domain(company)
            if len(batch) < batch_size:
                found = Warranty.search(domain, limit=batch_size - len(batch), order="date_end, id")
                found._serial_remind(company)
                batch |= found
            remaining += Warranty.search_count(domain)
        return batch, remaining

    def _serial_remind(self, company):
        """Schedule the reminder activity and email the owners of ``self``."""
        if not self:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        fallback_user = company.serial_warranty_responsible_id or self.env.ref("base.user_root")
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": warranty.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._(
                        "Warranty of %(serial)s ends on %(date)s",
                        serial=warranty.lot_id.name,
                        date=format_date(self.env, warranty.date_end),
                    ),
                    "date_deadline": warranty.date_end,
                    "user_id": warranty._serial_responsible(fallback_user).id,
                }
                for warranty in self
            ]
        )
        if company.serial_warranty_reminder_email:
            template = self.env.ref(
                "serial_tracking.mail_template_warranty_reminder", raise_if_not_found=False
            )
            with_email = self.filtered(lambda w: w.partner_id.email)
            if template and with_email:
                template.send_mail_batch(with_email.ids)
        self.write({"reminder_date": company._serial_today()})

    def _serial_responsible(self, fallback_user):
        """Who follows up the end of this coverage."""
        self.ensure_one()
        return (
            self.term_id.responsible_user_id or self.sale_line_id.order_id.user_id or fallback_user
        )
