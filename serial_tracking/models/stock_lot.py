from collections import defaultdict

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index, format_date
from odoo.tools.sql import (
    column_exists,
    create_column,
    drop_index,
    escape_psql,
    make_index_name,
    table_exists,
)

from ..hooks import SERIAL_NAME_INDEX
from ..tools import guard, identifiers
from ..tools.bulk import insert_rows
from .serial_warranty import chain_periods, covered_until, selection_search_keys

# Identifier types whose serials are unique across every product of the database.
GLOBAL_IDENTIFIER_TYPES = ("imei", "vin")

SERIAL_STATES = [
    ("new", "New"),
    ("in_stock", "In Stock"),
    ("delivered", "Delivered"),
    ("in_repair", "In Repair"),
    ("scrapped", "Scrapped"),
    ("consumed", "Consumed"),
    ("vendor", "Returned to Vendor"),
    ("lost", "Stolen/Lost"),
]

LOSS_FIELDS = {
    "serial_loss_state",
    "serial_loss_date",
    "serial_loss_reference",
    "serial_loss_note",
}
QUARANTINE_FIELDS = {"serial_quarantine", "serial_quarantine_reason"}

LOSS_STATES = [
    ("none", "None"),
    ("stolen", "Stolen"),
    ("lost", "Lost"),
]


class StockLot(models.Model):
    _inherit = "stock.lot"

    # Precomputed so the unique key below can be computed before the INSERT (one query
    # for a whole batch of new serials instead of one UPDATE per serial at flush).
    company_id = fields.Many2one(
        compute="_compute_company_id", store=True, readonly=False, precompute=True
    )
    serial_identifier_type = fields.Selection(
        related="product_id.product_tmpl_id.serial_identifier_type",
        string="Serial Format",
    )
    serial_unique_key = fields.Char(
        compute="_compute_serial_unique_key",
        store=True,
        precompute=True,
        copy=False,
        readonly=True,
        help="Technical key behind the database uniqueness of serial numbers: per product "
        "and company, or across the whole database for IMEI and VIN products.",
    )
    serial_state = fields.Selection(
        SERIAL_STATES,
        string="Unit Status",
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="Where the unit is in its life, derived from its done stock moves.",
    )
    serial_owner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Current owner: the customer the unit was last delivered or transferred to.",
    )
    serial_ownership_ids = fields.One2many(
        "serial.ownership",
        "lot_id",
        string="Ownership History",
        readonly=True,
    )
    serial_loss_state = fields.Selection(
        LOSS_STATES,
        string="Theft/Loss",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Theft and loss registry: a unit reported stolen or lost is blocked and "
        "flagged if it turns up again.",
    )
    serial_loss_date = fields.Date(string="Reported On", readonly=True, copy=False)
    serial_loss_reference = fields.Char(
        string="Report Reference",
        readonly=True,
        copy=False,
        help="Police or insurance report reference.",
    )
    serial_loss_note = fields.Text(string="Loss Note", readonly=True, copy=False)
    serial_quarantine = fields.Boolean(
        string="Quarantine",
        copy=False,
        tracking=True,
        help="Hold the unit: it cannot be reserved, sold or delivered until released.",
    )
    serial_quarantine_reason = fields.Char(string="Quarantine Reason", copy=False, tracking=True)
    serial_blocked = fields.Boolean(
        string="Blocked",
        compute="_compute_serial_blocked",
        store=True,
        precompute=True,
        help="The unit may not be reserved, sold or delivered.",
    )
    # Not stored: the text is written in the language of whoever reads it.
    serial_block_reason = fields.Char(
        string="Block Reason",
        compute="_compute_serial_block_reason",
        search="_search_serial_block_reason",
        help="Why the unit is blocked: open recall, reported stolen or lost, quarantine.",
    )
    serial_sale_line_ids = fields.Many2many(
        "sale.order.line",
        "sale_order_line_serial_open_lot_rel",
        "lot_id",
        "line_id",
        string="Held by Sales Order Lines",
        readonly=True,
        copy=False,
        help="Open sales order lines that captured this unit and have not delivered it yet.",
    )
    serial_warranty_ids = fields.One2many(
        "serial.warranty", "lot_id", string="Warranty Coverage", readonly=True
    )
    serial_product_tracking = fields.Selection(
        related="product_id.tracking",
        string="Product Tracking",
        help="Technical: the unit controls (status, ownership, theft registry) are for "
        "serial-tracked products only, not for lots of many units.",
    )
    serial_ownership_count = fields.Integer(
        string="Owner Count", compute="_compute_serial_counts", compute_sudo=False
    )
    serial_warranty_count = fields.Integer(
        string="Coverage Count", compute="_compute_serial_counts", compute_sudo=False
    )
    serial_recall_count = fields.Integer(
        string="Recall Count", compute="_compute_serial_counts", compute_sudo=False
    )
    serial_warranty_state = fields.Selection(
        [
            ("none", "No Warranty"),
            ("pending", "Pending"),
            ("active", "Under Warranty"),
            ("expired", "Expired"),
        ],
        string="Warranty",
        compute="_compute_serial_warranty_state",
        search="_search_serial_warranty_state",
        help="Best coverage of the unit today: under warranty if any coverage is "
        "active, else pending (starts later), else expired.",
    )
    # What the state is computed and searched from: the latest uninterrupted cover of
    # the unit (its coverages, extensions continuing them included). Unlike the state,
    # these do not change as days pass, so they can be stored and indexed.
    serial_warranty_start = fields.Date(
        string="Covered Since",
        compute="_compute_serial_warranty",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="First day of the latest uninterrupted warranty cover of the unit.",
    )
    serial_warranty_end = fields.Date(
        string="Warranty Until",
        compute="_compute_serial_warranty",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="Last day covered (included): end of the latest coverage, followed by the "
        "extensions that continue it.",
    )
    serial_warranty_gapped = fields.Boolean(
        compute="_compute_serial_warranty",
        store=True,
        precompute=True,
        help="Technical: an earlier cover of the unit ended before the latest one started.",
    )

    _sql_constraints = [
        (
            "serial_unique_key_uniq",
            "unique(serial_unique_key)",
            "This serial number already exists: serial numbers are unique per product "
            "and company, and IMEI/VIN serials are unique across all products.",
        ),
    ]

    @api.depends(
        "name", "product_id", "company_id", "product_id.product_tmpl_id.serial_identifier_type"
    )
    def _compute_serial_unique_key(self):
        for lot in self:
            lot.serial_unique_key = lot._serial_key(lot.product_id, lot.company_id.id, lot.name)

    def _auto_init(self):
        # Fill the warranty columns in one statement instead of letting the ORM compute
        # them unit by unit: at install no unit has coverage; on upgrade from a version
        # that stored the state, they are computed from the coverages.
        cr = self.env.cr
        if not column_exists(cr, self._table, "serial_warranty_start"):
            create_column(cr, self._table, "serial_warranty_start", "date")
            create_column(cr, self._table, "serial_warranty_gapped", "boolean")
            if not column_exists(cr, self._table, "serial_warranty_end"):
                create_column(cr, self._table, "serial_warranty_end", "date")
            if table_exists(cr, "serial_warranty"):
                cr.execute(self._serial_warranty_cover_sql())
        # Only units with a warranty are indexed by its dates (the filters all compare
        # them to a date): a unit moved or created without one writes no entry there.
        # Earlier installations have full indexes; Odoo creates the new ones after.
        for column in ("serial_warranty_start", "serial_warranty_end"):
            cr.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname = %s"
                " AND indexdef NOT LIKE '%%WHERE%%'",
                [self._table, make_index_name(self._table, column)],
            )
            if cr.rowcount:
                drop_index(cr, make_index_name(self._table, column), self._table)
        # Computed when read since 18.0.1.1.0 (the state changes with the date, the
        # reason is shown in the reader's language): the old columns go.
        for column in ("serial_warranty_state", "serial_block_reason"):
            if column_exists(cr, self._table, column):
                cr.execute(
                    SQL(
                        "ALTER TABLE %s DROP COLUMN %s",
                        SQL.identifier(self._table),
                        SQL.identifier(column),
                    )
                )
        return super()._auto_init()

    def _serial_warranty_cover_sql(self):
        """UPDATE setting the stored warranty cover of every unit from its coverages.

        Same result as ``_compute_serial_warranty``: coverages are chained into
        uninterrupted covers ("islands"); a unit keeps the start and end of its latest
        one, and whether an earlier one exists.
        """
        return SQL(
            """
            WITH periods AS (
                SELECT lot_id, date_start, date_end,
                       max(date_end) OVER (
                           PARTITION BY lot_id ORDER BY date_start, date_end
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                       ) AS before_end
                  FROM serial_warranty
                 WHERE lot_id IS NOT NULL AND void_date IS NULL
            ), covers AS (
                SELECT lot_id,
                       max(date_start) FILTER (
                           WHERE before_end IS NULL OR date_start > before_end + 1
                       ) AS cover_start,
                       max(date_end) AS cover_end,
                       count(*) FILTER (WHERE date_start > before_end + 1) > 0 AS gapped
                  FROM periods
                 GROUP BY lot_id
            )
            UPDATE %(table)s lot
               SET serial_warranty_start = covers.cover_start,
                   serial_warranty_end = covers.cover_end,
                   serial_warranty_gapped = covers.gapped
              FROM covers
             WHERE covers.lot_id = lot.id
            """,
            table=SQL.identifier(self._table),
        )

    def init(self):
        res = super().init()
        # Exact look-ups by serial (warranty desk, scanners): the core index on name is
        # a trigram one, made for ILIKE searches.
        create_index(self.env.cr, SERIAL_NAME_INDEX, self._table, ["name"])
        # Units with an interrupted warranty cover are few: the warranty state of those
        # needs a look at their coverages (see _serial_gapped_active_sql).
        create_index(
            self.env.cr,
            "stock_lot_serial_warranty_gapped_idx",
            self._table,
            ["id"],
            where="serial_warranty_gapped",
        )
        # Blocked units are few, and reservations look them up. An index over every
        # unit's flag would be written at each move of each unit for no use, so only
        # the blocked ones are indexed (earlier installations have the full index).
        drop_index(self.env.cr, "stock_lot__serial_blocked_index", self._table)
        create_index(
            self.env.cr, "stock_lot_serial_blocked_idx", self._table, ["id"], where="serial_blocked"
        )
        return res

    @api.model
    def _serial_key(self, product, company_id, name):
        """Value of the unique key for a serial ``name`` of ``product``."""
        if not name or not product:
            return False
        if product.serial_identifier_type in GLOBAL_IDENTIFIER_TYPES:
            return f"G|{name}"
        return f"P|{product.id}|{company_id or 0}|{name}"

    @api.depends("serial_loss_state", "serial_quarantine", "serial_recall_line_ids.blocking")
    def _compute_serial_blocked(self):
        reasons = self._get_serial_block_reasons()
        for lot in self:
            lot.serial_blocked = bool(reasons.get(lot.id))

    @api.depends(
        "serial_blocked",
        "serial_loss_state",
        "serial_quarantine",
        "serial_quarantine_reason",
        "serial_recall_line_ids.blocking",
        # the recall's part of the reason (see serial.recall._block_reason)
        "serial_recall_line_ids.state",
        "serial_recall_line_ids.resolution",
        "serial_recall_line_ids.recall_id.state",
        "serial_recall_line_ids.recall_id.name",
        "serial_recall_line_ids.recall_id.title",
    )
    @api.depends_context("lang")
    def _compute_serial_block_reason(self):
        reasons = self.filtered("serial_blocked")._get_serial_block_reasons()
        for lot in self:
            lot.serial_block_reason = "; ".join(reasons.get(lot.id) or []) or False

    def _search_serial_block_reason(self, operator, value):
        """Match the reasons as the user reads them (in their language).

        Only blocked units have a reason: their reasons are built and compared here,
        as the field is not stored.
        """
        if operator in ("=", "!=") and not value:
            return [("serial_blocked", "=" if operator == "!=" else "!=", True)]
        positive = {
            "=": lambda text: text == value,
            "ilike": lambda text: str(value).casefold() in text.casefold(),
            "like": lambda text: str(value) in text,
        }
        negative = {"!=": "=", "not ilike": "ilike", "not like": "like"}
        match = positive.get(negative.get(operator, operator))
        if match is None:
            raise UserError(
                self.env._(
                    "Block reasons cannot be searched with the operator %(operator)s.",
                    operator=operator,
                )
            )
        blocked = self.sudo().search([("serial_blocked", "=", True)])
        ids = [lot.id for lot in blocked if match(lot.serial_block_reason or "")]
        return [("id", "not in" if operator in negative else "in", ids)]

    @api.depends(
        "serial_warranty_ids.void_date",
        "serial_warranty_ids.date_start",
        "serial_warranty_ids.date_end",
    )
    def _compute_serial_warranty(self):
        # This runs for every unit of a delivery: the coverages' dates are read in one
        # pass, and units ending with the same cover (nearly all of them) are assigned
        # together.
        coverages = self.serial_warranty_ids
        periods = {
            coverage_id: (start, end)
            for coverage_id, start, end, void in zip(
                coverages._ids,
                coverages.mapped("date_start"),
                coverages.mapped("date_end"),
                coverages.mapped("void_date"),
                strict=True,
            )
            if not void
        }
        by_cover = defaultdict(list)
        for lot in self:
            covers = chain_periods(
                periods[coverage_id]
                for coverage_id in lot.serial_warranty_ids._ids
                if coverage_id in periods
            )
            start, end = covers[-1] if covers else (False, False)
            by_cover[start, end, len(covers) > 1].append(lot.id)
        for (start, end, gapped), lot_ids in by_cover.items():
            lots = self.browse(lot_ids)
            lots.serial_warranty_start = start
            lots.serial_warranty_end = end
            lots.serial_warranty_gapped = gapped

    @api.depends(
        "serial_warranty_start",
        "serial_warranty_end",
        "serial_warranty_gapped",
        "company_id",
    )
    def _compute_serial_warranty_state(self):
        today = {}
        for lot in self:
            company = lot.company_id or self.env.company
            if company not in today:
                today[company] = company._serial_today()
            lot.serial_warranty_state = lot._serial_warranty_state_on(today[company])

    def _compute_serial_counts(self):
        # One grouped query per kind for the whole recordset, within the user's rules.
        counts = {}
        for fname, model in (
            ("serial_ownership_count", "serial.ownership"),
            ("serial_warranty_count", "serial.warranty"),
            ("serial_recall_count", "serial.recall.line"),
        ):
            Model = self.env[model]
            if not Model.has_access("read"):
                counts[fname] = {}
                continue
            counts[fname] = dict(
                Model._read_group([("lot_id", "in", self.ids)], ["lot_id"], ["__count"])
            )
        for lot in self:
            for fname, by_lot in counts.items():
                lot[fname] = by_lot.get(lot._origin, 0)

    def _serial_warranty_state_on(self, day):
        """Warranty state of the unit on ``day``, from its stored cover."""
        self.ensure_one()
        if not self.serial_warranty_end:
            return "none"
        if self.serial_warranty_end < day:
            return "expired"
        if self.serial_warranty_start <= day:
            return "active"
        if self.serial_warranty_gapped and covered_until(
            [(w.date_start, w.date_end) for w in self.serial_warranty_ids if not w.void_date],
            day,
        ):
            return "active"  # within an earlier cover
        return "pending"

    def _search_serial_warranty_state(self, operator, value):
        states = selection_search_keys(self, "serial_warranty_state", operator, value)
        Company = self.env["res.company"]
        domains = []
        if "none" in states:
            domains.append([("serial_warranty_end", "=", False)])
        if "expired" in states:
            domains.append(
                Company._serial_today_domain(lambda day: [("serial_warranty_end", "<", day)])
            )
        if "active" in states or "pending" in states:
            gapped_active = self._serial_gapped_active_ids()
        if "active" in states:
            domains.append(
                Company._serial_today_domain(
                    lambda day: [
                        ("serial_warranty_start", "<=", day),
                        ("serial_warranty_end", ">=", day),
                    ]
                )
            )
            if gapped_active:
                domains.append([("id", "in", gapped_active)])
        if "pending" in states:
            domains.append(
                expression.AND(
                    [
                        Company._serial_today_domain(
                            lambda day: [("serial_warranty_start", ">", day)]
                        ),
                        [("id", "not in", gapped_active)] if gapped_active else [],
                    ]
                )
            )
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    @api.model
    def _serial_gapped_active_ids(self):
        """Units under warranty today through an earlier cover (a handful at most)."""
        self.flush_model(["serial_warranty_start", "serial_warranty_gapped", "company_id"])
        self.env["serial.warranty"].flush_model(["lot_id", "date_start", "date_end", "void_date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT lot.id FROM %(table)s lot
                 WHERE lot.serial_warranty_gapped AND lot.serial_warranty_start > %(day)s
                   AND %(covered)s
                """,
                table=SQL.identifier(self._table),
                day=self.env["res.company"]._serial_today_sql(SQL("lot.company_id")),
                covered=self._serial_covered_sql(SQL("lot")),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _serial_covered_sql(self, alias):
        """SQL boolean: the unit of table alias ``alias`` has a coverage covering today."""
        day = self.env["res.company"]._serial_today_sql(SQL("%s.company_id", alias))
        return SQL(
            """EXISTS (
                SELECT 1 FROM serial_warranty cover
                 WHERE cover.lot_id = %(alias)s.id AND cover.void_date IS NULL
                   AND cover.date_start <= %(day)s AND cover.date_end >= %(day)s
            )""",
            alias=alias,
            day=day,
        )

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # Group by and order by warranty state: the rules of _search_serial_warranty_state.
        if fname != "serial_warranty_state":
            return super()._field_to_sql(alias, fname, query, flush)
        self.check_field_access_rights("read", [fname])
        column = lambda name: super(StockLot, self)._field_to_sql(  # noqa: E731
            alias, name, query, flush
        )
        if flush:
            self.env["serial.warranty"].flush_model(
                ["lot_id", "date_start", "date_end", "void_date"]
            )
        return SQL(
            """(CASE WHEN %(end)s IS NULL THEN 'none'
                     WHEN %(end)s < %(day)s THEN 'expired'
                     WHEN %(start)s <= %(day)s THEN 'active'
                     WHEN %(gapped)s AND %(covered)s THEN 'active'
                     ELSE 'pending' END)""",
            end=column("serial_warranty_end"),
            start=column("serial_warranty_start"),
            gapped=column("serial_warranty_gapped"),
            day=self.env["res.company"]._serial_today_sql(column("company_id")),
            covered=self._serial_covered_sql(SQL.identifier(alias)),
        )

    def _get_serial_block_reasons(self):
        """Return ``{lot_id: [reason, ...]}`` for every blocked lot of ``self``.

        Extend this to add blocking sources (recall campaigns do); each source adds its
        own human readable reason.
        """
        reasons = defaultdict(list)
        for lot in self:
            if lot.serial_loss_state != "none":
                reasons[lot.id].append(
                    self.env._(
                        "reported %(state)s", state=self._serial_loss_label(lot.serial_loss_state)
                    )
                )
            if lot.serial_quarantine:
                reasons[lot.id].append(
                    self.env._("quarantine: %(reason)s", reason=lot.serial_quarantine_reason)
                    if lot.serial_quarantine_reason
                    else self.env._("quarantine")
                )
        self._serial_recall_block_reasons(reasons)
        return reasons

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    def _serial_unit_problem(self, move):
        """Why this existing unit may not be picked for ``move`` in the capture wizard,
        besides being blocked or unavailable, or ``False`` (hook for the registers)."""
        return False

    @api.model
    def _serial_check_names(self, product, names, company=None):
        """Validate serial ``names`` about to be created for ``product``.

        Returns a list of ``(name, reason)`` for every offending entry: malformed for the
        product's identifier type, duplicated inside ``names``, or already existing.
        Nothing is written.
        """
        company = company or product.company_id or self.env["res.company"]
        return self._serial_check_entries([(product, name, company) for name in names])

    @api.model
    def _serial_check_entries(self, entries):
        """Validate ``entries`` (``(product, name, company)`` triples) in one pass.

        The same rules as :meth:`_serial_check_names` for several products at once,
        with a single database query for the existing serials. ``company`` is the
        company the serial will belong to (empty: shared by all companies).
        """
        problems = []
        seen = set()
        valid = []
        for product, name, company in entries:
            id_type = product.serial_identifier_type or "free"
            lenient = (company or self.env.company).serial_vin_lenient
            issue = identifiers.check_serial(id_type, name, strict_vin=not lenient)
            if issue:
                problems.append((name, self._serial_issue_message(issue)))
                continue
            key = self._serial_key(product, company.id, name)
            if key in seen:
                problems.append((name, self.env._("duplicated in the list")))
                continue
            seen.add(key)
            valid.append((product, name, company))
        if valid:
            problems += self._serial_check_existing(valid)
        return problems

    @api.model
    def _serial_check_existing(self, entries):
        """Return ``(name, reason)`` for the ``entries`` that already exist."""
        # Existence is checked across companies (reading nothing else) because the
        # uniqueness it anticipates is enforced by the database for all of them.
        existing = self.sudo().search_fetch(
            [("serial_unique_key", "in", self._serial_clash_keys(entries))],
            ["name", "product_id", "company_id", "serial_loss_state", "serial_loss_reference"],
        )
        found = defaultdict(list)
        for lot in existing:
            found[lot.name].append(lot)
        readable = set(existing.with_env(self.env)._filtered_access("read").ids)
        problems = []
        for product, name, company in entries:
            is_global = product.serial_identifier_type in GLOBAL_IDENTIFIER_TYPES
            for lot in found.get(name, ()):
                # Like core: a serial without company clashes with every company.
                same_product = lot.product_id == product and (
                    not lot.company_id or not company or lot.company_id == company
                )
                if same_product or (
                    is_global and lot.product_id.serial_identifier_type in GLOBAL_IDENTIFIER_TYPES
                ):
                    problems.append(
                        (
                            name,
                            self._serial_existing_reason(lot.with_env(self.env))
                            if lot.id in readable
                            else self.env._("already used by another company"),
                        )
                    )
                    break
        return problems

    @api.model
    def _serial_clash_keys(self, entries):
        """Unique keys of the existing serials that ``entries`` may clash with.

        ``entries`` are ``(product, name, company)`` triples. A serial clashes with the
        same serial of its product in its company or in none (without company: in any
        company, like core), and an IMEI/VIN with any IMEI/VIN of that name.

        Existing serials are looked up by these keys rather than by name: for a list
        of names PostgreSQL estimates the trigram index on ``stock_lot.name`` cheapest,
        then searches it once per name, each time reading every entry not merged into
        it yet: seconds, up to tens of seconds, for a receipt of thousands of serials.
        Only the btree index of the unique constraint covers the keys.
        """
        every_company = None
        keys = set()
        for product, name, company in entries:
            if company or product.serial_identifier_type in GLOBAL_IDENTIFIER_TYPES:
                company_ids = (company.id, False)
            else:
                if every_company is None:
                    companies = self.env["res.company"].sudo().with_context(active_test=False)
                    every_company = [False, *companies.search([]).ids]
                company_ids = every_company
            keys.update(self._serial_key(product, company_id, name) for company_id in company_ids)
        return list(keys)

    @api.model
    def _serial_existing_reason(self, lot):
        """Why an existing ``lot`` cannot be created again (theft/loss first)."""
        if lot.serial_loss_state != "none":
            return self.env._(
                "registered as %(state)s (report %(ref)s): contact a Serial Tracking manager",
                state=self._serial_loss_label(lot.serial_loss_state),
                ref=lot.serial_loss_reference or "-",
            )
        where = lot._serial_where()
        if where:
            return self.env._("already exists (%(where)s)", where=where)
        return self.env._("already exists")

    def _serial_where(self):
        """Where the unit is, in a few words, for a user who may read it."""
        self.ensure_one()
        quants = self.quant_ids.filtered(
            lambda q: q.quantity > 0 and q.location_id.usage in ("internal", "transit")
        )
        if quants:
            return self.env._(
                "in %(location)s", location=", ".join(quants.location_id.mapped("display_name"))
            )
        if self.serial_state == "new":
            return False
        labels = dict(self._fields["serial_state"]._description_selection(self.env))
        return labels[self.serial_state].lower()

    @api.model
    def _serial_issue_message(self, issue):
        """Translate an identifier issue for the user."""
        return self.env._(identifiers.REASONS[issue.code], **issue.params)

    @api.model
    def _serial_loss_label(self, loss_state):
        """Theft/loss state as a word of a sentence, in the user's language."""
        labels = dict(self._fields["serial_loss_state"]._description_selection(self.env))
        return labels[loss_state].lower()

    @api.model
    def _serial_raise_problems(self, problems, title=None):
        if not problems:
            return
        lines = "\n".join(
            self.env._(
                " - %(serial)s: %(reason)s", serial=name or self.env._("(empty)"), reason=reason
            )
            for name, reason in problems
        )
        raise ValidationError(
            self.env._(
                "%(title)s\n%(lines)s",
                title=title or self.env._("These serial numbers cannot be used:"),
                lines=lines,
            )
        )

    def _serial_normalize_vals(self, vals_list):
        """Normalize names (trim, case) in ``vals_list`` in place; return products."""
        product_ids = {vals.get("product_id") for vals in vals_list} | {
            self.env.context.get("default_product_id")
        }
        products = self.env["product.product"].browse(pid for pid in product_ids if pid)
        by_id = {product.id: product for product in products}
        default_product = by_id.get(self.env.context.get("default_product_id"))
        for vals in vals_list:
            product = by_id.get(vals.get("product_id")) or default_product
            if product and isinstance(vals.get("name"), str):
                vals["name"] = identifiers.normalize_serial(
                    product.serial_identifier_type or "free", vals["name"]
                )
        return by_id, default_product

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(self, vals_list, self._serial_system_fields())
        by_id, default_product = self._serial_normalize_vals(vals_list)
        Company = self.env["res.company"]
        default_company = Company.browse(self.env.context.get("default_company_id"))
        entries = []
        for vals in vals_list:
            product = by_id.get(vals.get("product_id")) or default_product
            if product and product.tracking == "serial" and vals.get("name"):
                company = (
                    Company.browse(vals["company_id"])
                    if vals.get("company_id")
                    else default_company or product.company_id
                )
                entries.append((product, vals["name"], company))
        if entries and not self._serial_skip_validation():
            self._serial_raise_problems(self._serial_check_entries(entries))
        lots = super().create(vals_list)
        # Created unblocked (see _serial_fill_new_unit_values): the units given a
        # blocking source are computed now that they exist, by the one block rule.
        sourced = [
            lot
            for lot, vals in zip(lots, vals_list, strict=True)
            if self._serial_block_sources_given(vals)
        ]
        if sourced:
            self.env.add_to_compute(self._fields["serial_blocked"], self.concat(*sourced))
        return lots

    @api.model
    def _serial_block_sources_given(self, vals):
        """Whether create ``vals`` set one of the fields the block flag depends on
        (theft/loss state, quarantine, recall lines, or any an extension adds)."""
        for path in self.pool.field_depends[self._fields["serial_blocked"]]:
            field = self._fields[path.split(".")[0]]
            value = vals.get(field.name)
            default = field.default(self) if callable(field.default) else field.default
            if value and value != default:
                return True
        return False

    def _add_precomputed_values(self, vals_list):
        # The ORM precomputes on a new record per unit: for a receipt of thousands of
        # serials that costs as much again as creating them. Most values follow from
        # the create values alone.
        self._serial_fill_new_unit_values(vals_list)
        return super()._add_precomputed_values(vals_list)

    @api.model
    def _serial_fill_new_unit_values(self, vals_list):
        """Complete ``vals_list`` (with defaults) with the precomputed values a new
        unit gets from its own values: no coverage yet, not blocked (``create``
        computes the flag of the units given a blocking source), its unique key once
        its company is known.

        What does not follow (a product of one company without company given, or
        coverages given) is left to the ORM.
        """
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        by_id = {product.id: product for product in products}
        for vals in vals_list:
            vals["serial_blocked"] = False
            if not vals.get("serial_warranty_ids"):
                vals["serial_warranty_start"] = vals["serial_warranty_end"] = False
                vals["serial_warranty_gapped"] = False
            product = by_id.get(vals.get("product_id"))
            if product is None:
                continue
            if "company_id" not in vals and not product.company_id:
                vals["company_id"] = False  # as _compute_company_id: the product's
            if "company_id" in vals:
                vals["serial_unique_key"] = self._serial_key(
                    product, vals["company_id"], vals.get("name")
                )

    def write(self, vals):
        self._serial_check_protected_write(vals)
        if "name" in vals and not self._serial_skip_validation():
            for lot in self:
                if lot.product_id.tracking != "serial" or vals["name"] == lot.name:
                    continue
                name = identifiers.normalize_serial(
                    lot.serial_identifier_type or "free", vals["name"]
                )
                problems = self._serial_check_entries([(lot.product_id, name, lot.company_id)])
                self._serial_raise_problems(problems)
        return super().write(vals)

    @api.model
    def _serial_skip_validation(self):
        """Install and migration code (superuser) may load serials as they are."""
        return self.env.su and self.env.context.get("serial_skip_validation")

    @api.model
    def _serial_system_fields(self):
        """Fields only the addon's flows change (as superuser, after their checks).

        The unit's status and owner follow from its moves; the theft registry changes
        through *Report Stolen/Lost* and *Clear Theft/Loss Flag*; the x2many fields
        are histories kept by their own models.
        """
        return {
            "serial_state",
            "serial_owner_id",
            "serial_sale_line_ids",
            "serial_ownership_ids",
            "serial_warranty_ids",
            "serial_recall_line_ids",
        } | LOSS_FIELDS

    def _serial_check_protected_write(self, vals):
        """Computed and system fields are not plain fields to edit (see guard).

        Quarantine is a manager decision, checked on the user.
        """
        guard.check_write(self, vals, self._serial_system_fields())
        if (
            QUARANTINE_FIELDS & set(vals)
            and not self.env.su
            and not self.env.user.has_group("serial_tracking.group_serial_tracking_manager")
        ):
            raise AccessError(
                self.env._("Only Serial Tracking managers can put units in quarantine.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _serial_wizard_action(self, res_model, name):
        """Window action opening the wizard ``res_model`` on the units of ``self``."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_ids": self.ids},
        }

    def _serial_records_action(self, xmlid, context):
        """Window action ``xmlid`` restricted to the records of this unit."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = context
        return action

    def action_serial_report_loss(self):
        return self._serial_wizard_action(
            "serial.loss.report.wizard", self.env._("Report Stolen or Lost")
        )

    def action_serial_clear_loss(self):
        return self._serial_wizard_action(
            "serial.loss.clear.wizard", self.env._("Clear Theft/Loss Flag")
        )

    def action_serial_view_warranties(self):
        return self._serial_records_action(
            "serial_tracking.serial_warranty_action", {"search_default_current": 0}
        )

    def action_serial_transfer(self):
        return self._serial_wizard_action(
            "serial.transfer.wizard", self.env._("Transfer Ownership")
        )

    def action_serial_view_ownership(self):
        return self._serial_records_action(
            "serial_tracking.serial_ownership_action",
            {"default_lot_id": self.id, "search_default_group_by_lot": 0},
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _serial_report_loss(self, loss_state, date, reference=False, note=False):
        """Register the units of ``self`` as stolen or lost (blocks them)."""
        self._serial_check_registry_access("group_serial_tracking_user")
        if loss_state not in ("stolen", "lost"):
            raise UserError(self.env._("A unit can only be reported stolen or lost."))
        not_serial = self.filtered(lambda lot: lot.product_id.tracking != "serial")
        if not_serial:
            raise UserError(
                self.env._(
                    "Only serial numbers can be reported stolen or lost, not lots of "
                    "several units: %(lots)s",
                    lots=", ".join(not_serial.mapped("display_name")),
                )
            )
        already = self.filtered(lambda lot: lot.serial_loss_state != "none")
        if already:
            raise UserError(
                self.env._(
                    "Already registered as stolen or lost: %(serials)s",
                    serials=", ".join(already.mapped("name")),
                )
            )
        self.sudo().write(
            {
                "serial_loss_state": loss_state,
                "serial_loss_date": date,
                "serial_loss_reference": reference,
                "serial_loss_note": note,
            }
        )
        body = Markup("%s<br/>%s") % (
            self.env._(
                "Reported %(state)s on %(date)s.",
                state=self._serial_loss_label(loss_state),
                date=format_date(self.env, date),
            ),
            self.env._("Reference: %(ref)s", ref=reference or "-"),
        )
        if note:
            body += Markup("<br/>") + note
        moved = self._serial_write_off_lost()
        self._message_log_batch(
            {
                lot.id: body + Markup("<br/>") + moved[lot.id] if lot.id in moved else body
                for lot in self
            }
        )

    def _serial_write_off_lost(self):
        """Take the units of ``self`` found in our stock out of it, to the inventory
        loss location, by a done inventory move: on hand, forecast and valuation
        follow, as when a count finds a unit missing. Their reservations go first.
        Returns ``{lot_id: message}`` for the units moved."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.ids),
                    ("quantity", ">", 0),
                    ("location_id.usage", "=", "internal"),
                ]
            )
        )
        if not quants:
            return {}
        quants.lot_id._serial_unreserve(
            lambda lots: self.env._(
                "Reservation undone, %(why)s: %(serials)s",
                why=self.env._("reported stolen or lost"),
                serials=", ".join(lots.mapped("name")),
            )
        )
        Move = self.env["stock.move"].sudo()
        vals_list = []
        for quant in quants:
            loss = quant.product_id.with_company(quant.company_id).property_stock_inventory
            name = self.env._(
                "%(serial)s reported %(state)s",
                serial=quant.lot_id.name,
                state=self._serial_loss_label(quant.lot_id.serial_loss_state),
            )
            vals_list.append(
                quant.with_context(inventory_name=name)._get_inventory_move_values(
                    quant.quantity, quant.location_id, loss, package_id=quant.package_id
                )
            )
        moves = Move.with_context(inventory_mode=False).create(vals_list)
        moves._action_done()
        return {
            ml.lot_id.id: self.env._(
                "Taken out of stock: %(origin)s to %(loss)s.",
                origin=ml.location_id.display_name,
                loss=ml.location_dest_id.display_name,
            )
            for ml in moves.move_line_ids
        }

    def _serial_unreserve(self, message, domain=()):
        """Undo the reservations of the units of ``self`` on moves not done yet (those
        matching ``domain`` too); the moves then reserve again, which skips blocked
        units, and each transfer concerned gets ``message(its units)`` as a note."""
        lines = self.env["stock.move.line"].search(
            [("lot_id", "in", self.ids), ("state", "not in", ("done", "cancel")), *domain]
        )
        if not lines:
            return
        by_picking = {
            picking: group.lot_id for picking, group in lines.grouped("picking_id").items()
        }
        moves = lines.move_id
        lines.unlink()
        moves._action_assign()
        for picking, lots in by_picking.items():
            if picking:
                picking._message_log(body=message(lots))

    def _serial_restock_recovered(self):
        """Bring back the units of ``self`` that the loss report took out of stock, to
        the location they left, by an inventory move; return ``{lot_id: message}``."""
        last = (
            self.env["stock.move.line"]
            .sudo()
            .browse(
                line_id
                for _lot_id, line_id, usage, _scrap in self._serial_last_done_lines()
                if usage == "inventory"
            )
        )
        written_off = last.filtered(
            lambda ml: ml.move_id.is_inventory and ml.location_id.usage == "internal"
        )
        if not written_off:
            return {}
        # The units sit in the loss location since the report: move them back as an
        # inventory adjustment would (core's move values of their quant there).
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", written_off.lot_id.ids),
                    ("location_id", "in", written_off.location_dest_id.ids),
                    ("quantity", ">", 0),
                ]
            )
        )
        back_to = {ml.lot_id: ml.location_id for ml in written_off}
        name = self.env._("Recovered unit back in stock")
        vals_list = [
            quant.with_context(inventory_name=name)._get_inventory_move_values(
                quant.quantity, quant.location_id, back_to[quant.lot_id]
            )
            for quant in quants
        ]
        moves = self.env["stock.move"].sudo().with_context(inventory_mode=False).create(vals_list)
        moves._action_done()
        return {
            ml.lot_id.id: self.env._(
                "Back in stock at %(location)s.", location=ml.location_dest_id.display_name
            )
            for ml in moves.move_line_ids
        }

    def _serial_clear_loss(self, reason, restock=True):
        """Clear the theft/loss flag of ``self``: managers only, with a reason."""
        self._serial_check_registry_access("group_serial_tracking_manager")
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason why the flag is cleared."))
        flagged = self.filtered(lambda lot: lot.serial_loss_state != "none")
        if not flagged:
            raise UserError(self.env._("None of these units is registered as stolen or lost."))
        bodies = {
            lot.id: self.env._(
                "Theft/loss flag (%(state)s) cleared: %(reason)s",
                state=self._serial_loss_label(lot.serial_loss_state),
                reason=reason,
            )
            for lot in flagged
        }
        flagged.sudo().write(
            {
                "serial_loss_state": "none",
                "serial_loss_date": False,
                "serial_loss_reference": False,
                "serial_loss_note": False,
            }
        )
        back = flagged._serial_restock_recovered() if restock else {}
        flagged._message_log_batch(
            {
                lot_id: Markup("%s<br/>%s") % (body, back[lot_id]) if lot_id in back else body
                for lot_id, body in bodies.items()
            }
        )

    def _serial_check_registry_access(self, group):
        """The user (never a context key) must be in ``group`` and see the units."""
        if self.env.su:
            return
        if not self.env.user.has_group(f"serial_tracking.{group}"):
            if group == "group_serial_tracking_manager":
                message = self.env._(
                    "Only Serial Tracking managers can clear a stolen or lost flag."
                )
            else:
                message = self.env._("Only Serial Tracking users can report units stolen or lost.")
            raise AccessError(message)
        self.check_access("read")

    def _serial_check_not_blocked(self, action):
        """Raise naming every blocked unit of ``self`` if any (``action``: verb)."""
        blocked = self.filtered("serial_blocked")
        if blocked:
            raise UserError(
                self.env._(
                    "These units are blocked and cannot be %(action)s:\n%(lines)s",
                    action=action,
                    lines="\n".join(
                        self.env._(
                            " - %(serial)s (%(product)s): %(reason)s",
                            serial=lot.name,
                            product=lot.product_id.display_name,
                            reason=lot.serial_block_reason,
                        )
                        for lot in blocked
                    ),
                )
            )

    def _serial_check_not_lost(self):
        """Stop a receipt or return of units registered stolen or lost."""
        flagged = self.filtered(lambda lot: lot.serial_loss_state != "none")
        if flagged:
            raise UserError(
                self.env._(
                    "These units are registered as stolen or lost and cannot be taken "
                    "back into stock. Contact a Serial Tracking manager, who can clear "
                    "the flag with a reason:\n%(lines)s",
                    lines="\n".join(
                        self.env._(
                            " - %(serial)s (%(product)s): %(state)s, report %(ref)s",
                            serial=lot.name,
                            product=lot.product_id.display_name,
                            state=self._serial_loss_label(lot.serial_loss_state),
                            ref=lot.serial_loss_reference or "-",
                        )
                        for lot in flagged
                    ),
                )
            )

    def _serial_refresh_state(self):
        """Recompute ``serial_state`` of ``self`` from the last done move line.

        One query for the whole recordset, then one write per resulting state.
        """
        if not self:
            return
        flagged = set(self.filtered(lambda lot: lot.serial_loss_state != "none").ids)
        by_state = defaultdict(list)
        for lot_id, _line_id, usage, scrap in self._serial_last_done_lines():
            state = self._serial_state_from_location(usage, scrap)
            if state == "scrapped" and not scrap and lot_id in flagged:
                state = "lost"  # written off by the theft/loss report
            by_state[state].append(lot_id)
        found = {lot_id for ids in by_state.values() for lot_id in ids}
        by_state["new"] += [lot_id for lot_id in self.ids if lot_id not in found]
        by_state = self._serial_adjust_states(by_state)
        for state, lot_ids in by_state.items():
            lots = self.browse(lot_ids).filtered(lambda lot, s=state: lot.serial_state != s)
            if lots:
                lots.sudo()._serial_write_untracked({"serial_state": state})

    def _serial_write_untracked(self, vals):
        """Write ``vals``, which hold no tracked field, without preparing tracking.

        mail.thread reads every tracked field of every record written, in case the
        write changes one, and compares them again at commit: for the state and owner
        of thousands of units a delivery moves, that is work for nothing.
        """
        tracked = self._track_get_fields()
        if tracked & set(vals):
            raise ValueError(f"Tracked fields written untracked: {sorted(tracked & set(vals))}")
        return self.with_context(mail_notrack=True).write(vals)

    def _serial_last_done_lines(self):
        """``[(lot_id, move_line_id, dest_usage, dest_is_scrap)]``: the latest done move
        line (by date, then id) of each unit of ``self`` that has one, in one query."""
        self.env["stock.move.line"].flush_model(["lot_id", "state", "date", "location_dest_id"])
        self.env["stock.location"].flush_model(["usage", "scrap_location"])
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (ml.lot_id) ml.lot_id, ml.id, loc.usage, loc.scrap_location
              FROM stock_move_line ml
              JOIN stock_location loc ON loc.id = ml.location_dest_id
             WHERE ml.lot_id IN %s AND ml.state = 'done'
          ORDER BY ml.lot_id, ml.date DESC, ml.id DESC
            """,
            [tuple(self.ids)],
        )
        return self.env.cr.fetchall()

    @api.model
    def _serial_state_from_location(self, usage, scrap_location):
        if scrap_location:
            return "scrapped"
        return {
            "internal": "in_stock",
            "transit": "in_stock",
            "customer": "delivered",
            "supplier": "vendor",
            "production": "consumed",
            "inventory": "scrapped",
        }.get(usage, "new")

    def _serial_adjust_states(self, by_state):
        """Hook: let other features override the state derived from moves.

        ``by_state`` maps a state to lot ids; return the adjusted mapping (the repair
        bridge puts the units of an ongoing repair ``in_repair``).
        """
        return by_state

    @api.model
    def _serial_ownership_quiet_origins(self):
        """Ownership origins not logged in the unit's chatter.

        A sale by delivery is the everyday case: the unit's Ownership tab and its
        delivery already tell it, and one chatter message per unit would make
        delivering thousands of units markedly slower than in bare Odoo. Returns,
        transfers between owners and registrations are rarer events and are logged.
        """
        return ("sale",)

    def _serial_transfer_ownership(
        self, partner_by_lot, origin, pickings_by_lot=None, date=None, note=False
    ):
        """Close the current ownership of each lot and open a new one.

        ``partner_by_lot`` maps lot ids to the new owner (``res.partner`` record); the
        company's own partner stands for "back in our hands" and clears
        ``serial_owner_id``. Everything is written in batch; the change is logged in
        each unit's chatter unless ``origin`` is a quiet one (see
        ``_serial_ownership_quiet_origins``).
        """
        if not self:
            return self.env["serial.ownership"]
        date = date or fields.Datetime.now()
        pickings_by_lot = pickings_by_lot or {}
        Ownership = self.env["serial.ownership"].sudo()
        current = Ownership.search([("lot_id", "in", self.ids), ("date_end", "=", False)])
        current.write({"date_end": date, "end_reason": origin})
        previous = {own.lot_id.id: own.partner_id for own in current}
        # Only the partners: a whole company row costs more to read than this method.
        companies = self.env["res.company"].sudo().search_fetch([], ["partner_id"])
        company_partner_ids = set(companies.partner_id.ids)
        origin_field = self.env["serial.ownership"]._fields["origin"]
        origin_label = dict(origin_field._description_selection(self.env))[origin]
        log = origin not in self._serial_ownership_quiet_origins()
        vals_list = []
        bodies = {}
        owner_groups = defaultdict(list)
        for lot in self:
            partner = partner_by_lot[lot.id].commercial_partner_id
            picking = pickings_by_lot.get(lot.id)
            vals_list.append(
                {
                    "lot_id": lot.id,
                    "partner_id": partner.id,
                    "date_start": date,
                    "origin": origin,
                    "picking_id": picking.id if picking else False,
                    "note": note,
                }
            )
            new_owner = (
                partner if partner.id not in company_partner_ids else self.env["res.partner"]
            )
            owner_groups[new_owner.id].append(lot.id)
            if log:
                old = previous.get(lot.id, self.env["res.partner"]).display_name
                old = old or self.env._("none")
                bodies[lot.id] = (
                    self.env._(
                        "Ownership: %(old)s → %(new)s (%(origin)s, %(doc)s).",
                        old=old,
                        new=partner.display_name,
                        origin=origin_label,
                        doc=picking.name,
                    )
                    if picking
                    else self.env._(
                        "Ownership: %(old)s → %(new)s (%(origin)s).",
                        old=old,
                        new=partner.display_name,
                        origin=origin_label,
                    )
                )
        records = insert_rows(Ownership, vals_list)
        self.env["serial.transfer.request"]._serial_close_for_units(
            self, self.env._("The unit changed hands (%(origin)s).", origin=origin_label)
        )
        for owner_id, lot_ids in owner_groups.items():
            self.browse(lot_ids).sudo()._serial_write_untracked(
                {"serial_owner_id": owner_id or False}
            )
        if bodies:
            self._message_log_batch(bodies)
        self._serial_warranty_on_ownership_change(partner_by_lot, origin, pickings_by_lot)
        return records

    def _serial_transfer_problem(self):
        """Why the unit cannot change hands now, or False.

        Both the owner and the recipient of a transfer read it: it names the theft
        report or the open recall, nothing else about the unit.
        """
        self.ensure_one()
        lot = self.sudo()
        if lot.serial_loss_state == "stolen":
            return self.env._(
                "The unit %(serial)s is reported stolen: it cannot change hands.",
                serial=lot.name,
            )
        if lot.serial_loss_state == "lost":
            return self.env._(
                "The unit %(serial)s is reported lost: it cannot change hands.",
                serial=lot.name,
            )
        recalls = lot.serial_recall_line_ids.filtered("blocking").recall_id
        if recalls:
            return self.env._(
                "The unit %(serial)s is under an open recall (%(recalls)s): it cannot "
                "change hands until the recall is resolved.",
                serial=lot.name,
                recalls=", ".join(recalls.mapped("name")),
            )
        if lot.serial_blocked:
            return self.env._(
                "The unit %(serial)s is blocked by %(company)s: contact them.",
                serial=lot.name,
                company=(lot.company_id or self.env.company).name,
            )
        return False

    serial_transfer_request_ids = fields.One2many(
        "serial.transfer.request",
        "lot_id",
        string="Transfer Requests",
        readonly=True,
        groups="serial_tracking.group_serial_tracking_user",
    )
    serial_transfer_request_count = fields.Integer(
        compute="_compute_serial_transfer_request_count",
        string="Transfer Request Count",
        groups="serial_tracking.group_serial_tracking_user",
    )

    def _compute_serial_transfer_request_count(self):
        counts = dict(
            self.env["serial.transfer.request"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        for lot in self:
            lot.serial_transfer_request_count = counts.get(lot, 0)

    def action_serial_view_transfer_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_tracking.serial_transfer_request_action"
        )
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Proof of ownership: public stolen check and registrations
    # ------------------------------------------------------------------

    serial_registration_ids = fields.One2many(
        "serial.registration",
        "lot_id",
        string="Registrations",
        readonly=True,
        groups="serial_tracking.group_serial_tracking_user",
    )
    serial_registration_count = fields.Integer(
        compute="_compute_serial_registration_count",
        string="Registration Count",
        groups="serial_tracking.group_serial_tracking_user",
    )

    def _compute_serial_registration_count(self):
        groups = self.env["serial.registration"]._read_group(
            [("lot_id", "in", self._origin.ids)], ["lot_id"], ["__count"]
        )
        counts = {lot.id: count for lot, count in groups}
        for lot in self:
            lot.serial_registration_count = counts.get(lot._origin.id, 0)

    def action_serial_view_registrations(self):
        return self._serial_records_action(
            "serial_tracking.serial_registration_action", {"create": False}
        )

    @api.model
    def _serial_public_lots(self, code):
        """Units (as superuser, across companies) that a typed or scanned ``code``
        designates, normalised as serials are when they are created.

        Reads nothing but the name, the product's identifier type and the theft
        registry: callers answer outsiders and must not learn more.
        """
        try:
            serial, _gtin = self._serial_parse_lookup_code(code)
        except UserError:
            return self.browse()
        serial = serial.strip()
        if not serial:
            return self.browse()
        # IMEIs and VINs are stored upper-cased (identifiers.normalize_serial).
        lots = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("name", "in", list({serial, serial.upper()})),
                    ("product_id.tracking", "=", "serial"),
                ],
                ["name", "product_id", "serial_loss_state"],
            )
        )
        return lots.filtered(
            lambda lot: (
                lot.name == serial
                or lot.product_id.serial_identifier_type in GLOBAL_IDENTIFIER_TYPES
            )
        )

    @api.model
    def _serial_public_status(self, serial, ip=False, where=False):
        """What the public check answers for ``serial``, and nothing more:
        ``{"found": bool, "reported": "none" | "stolen" | "lost"}``.

        The same serial may exist for several products: one unit reported stolen
        (then lost) is enough. Each look-up of a unit reported stolen or lost is
        logged on the unit and scheduled to the Serial Tracking managers, with the
        ``ip`` address and the free text ``where`` the visitor gave.
        """
        lots = self._serial_public_lots(serial)
        reported = "none"
        for state in ("stolen", "lost"):
            if state in lots.mapped("serial_loss_state"):
                reported = state
                break
        if reported != "none":
            lots.filtered(lambda lot: lot.serial_loss_state != "none")._serial_alert_public_check(
                ip, where
            )
        return {"found": bool(lots), "reported": reported}

    def _serial_alert_public_check(self, ip, where):
        """Log a public check of the reported units ``self`` and give the Serial
        Tracking managers of their company an activity (one open activity per
        manager and unit: later checks are added to it)."""
        now = fields.Datetime.now()
        activity_type = self.env.ref(
            "serial_tracking.mail_activity_type_serial_public_check", raise_if_not_found=False
        )
        # Assigned by OdooBot: the visitor (public user) has no address to notify from.
        Activity = self.env["mail.activity"].with_user(SUPERUSER_ID)
        for lot in self.sudo():
            company = lot.company_id or self.env.company
            lot_env = lot.with_context(lang=company.partner_id.lang or "en_US")
            line = lot_env.env._(
                "Public stolen check on %(date)s (UTC) from %(ip)s, checking from: %(where)s",
                date=fields.Datetime.to_string(now),
                ip=ip or "-",
                where=(where or "").strip()[:200] or "-",
            )
            lot_env._message_log(body=line)
            managers = self.env["serial.registration"]._serial_managers(lot.company_id)
            if not managers or not activity_type:
                continue
            existing = Activity.search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", lot.id),
                    ("activity_type_id", "=", activity_type.id),
                    ("user_id", "in", managers.ids),
                ]
            )
            for activity in existing:
                activity.note = activity.note + Markup("<p>%s</p>") % line
            summary = lot_env.env._(
                "Unit reported %(state)s was checked",
                state=lot_env._serial_loss_label(lot.serial_loss_state),
            )
            Activity.create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": lot.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "note": Markup("<p>%s</p>") % line,
                        "date_deadline": fields.Date.context_today(lot),
                    }
                    for user in managers - existing.user_id
                ]
            )

    # ------------------------------------------------------------------
    # Recall campaigns
    # ------------------------------------------------------------------

    serial_recall_line_ids = fields.One2many(
        "serial.recall.line",
        "lot_id",
        string="Recalls",
        readonly=True,
    )
    serial_recalled = fields.Boolean(
        string="Recalled",
        compute="_compute_serial_recalled",
        compute_sudo=True,
        help="A recall campaign blocks the unit.",
    )

    @api.depends("serial_recall_line_ids.blocking")
    def _compute_serial_recalled(self):
        groups = self.env["serial.recall.line"]._read_group(
            [("lot_id", "in", self._origin.ids), ("blocking", "=", True)], ["lot_id"]
        )
        recalled = {lot.id for (lot,) in groups}
        for lot in self:
            lot.serial_recalled = lot._origin.id in recalled

    def _serial_recall_block_reasons(self, reasons):
        """Add the reasons of the recall campaigns blocking units of ``self``."""
        if not self.ids:
            return reasons
        lines = (
            self.env["serial.recall.line"]
            .sudo()
            .search_fetch(
                [("lot_id", "in", self.ids), ("blocking", "=", True)],
                ["lot_id", "recall_id", "resolution"],
                order="recall_id",
            )
        )
        for line in lines:
            reasons[line.lot_id.id].append(line.recall_id._block_reason(line))
        return reasons

    def action_serial_view_recalls(self):
        return self._serial_records_action(
            "serial_tracking.serial_recall_line_action", {"create": False}
        )

    def _serial_warranty_on_ownership_change(self, partner_by_lot, origin, pickings_by_lot=None):
        """Coverage follows the unit's term when it comes back or changes hands.

        A return voids the coverage of non transferable terms (transferable coverage
        survives). A transfer to a new owner hands transferable coverage over to them
        and voids the rest. A return may keep the coverage of some units (see
        ``_serial_returns_keeping_coverage``).
        """
        if origin not in ("return", "transfer"):
            return
        lots = self
        if origin == "return" and pickings_by_lot:
            kept = self._serial_returns_keeping_coverage(pickings_by_lot)
            lots = self.filtered(lambda lot: lot.id not in kept)
        warranties = (
            self.env["serial.warranty"]
            .sudo()
            .search([("lot_id", "in", lots.ids), ("state", "in", ("pending", "active"))])
        )
        kept = warranties.filtered("term_id.transferable")
        (warranties - kept)._serial_void(origin)
        if origin == "transfer":
            for lot, coverages in kept.grouped("lot_id").items():
                coverages._serial_set_partner(partner_by_lot[lot.id])

    @api.model
    def _serial_returns_keeping_coverage(self, pickings_by_lot):
        """Ids of the units whose return keeps their coverage (hook).

        ``pickings_by_lot`` maps lot ids to their return picking. None by default; the
        repair bridge keeps the coverage of units returned for a repair.
        """
        return set()

    @api.model
    def _serial_fnc1_to_gs(self, code):
        """``code`` with the FNC1 separator of the company's GS1 nomenclature (as sent
        by keyboard-wedge scanners) replaced by GS; unchanged when it is no GS1 data."""
        if not (isinstance(code, str) and code[:2].isdigit() and not code.isdigit()):
            return code  # raw GS1 data with a separator starts with an AI: no lookup
        nomenclature = self.env.company.sudo().nomenclature_id
        if not nomenclature.is_gs1_nomenclature:
            return code
        return identifiers.fnc1_to_gs(code, nomenclature.gs1_separator_fnc1)

    @api.model
    def _serial_parse_lookup_code(self, code):
        """``(serial, gtin)`` from a typed serial or a scanned GS1 string (AI 21/01)."""
        if code and not isinstance(code, str):
            raise UserError(self.env._("A serial number is text: send it as a string."))
        code = (code or "").strip()
        if not code:
            raise UserError(self.env._("Type or scan a serial number."))
        if identifiers.has_invisible(code.replace(identifiers.GS, "")):
            # NUL and friends never reach the database: they are not a serial.
            raise UserError(
                self.env._(
                    "The code contains control or invisible characters: type or scan "
                    "the serial number again."
                )
            )
        code = self._serial_fnc1_to_gs(code)
        if not identifiers.looks_like_gs1(code):
            return code, False
        try:
            parsed = identifiers.parse_gs1(code)
        except identifiers.GS1ParseError as error:
            raise UserError(
                self.env._(
                    "Cannot read the scanned code %(code)s: %(reason)s",
                    code=code,
                    reason=self._serial_issue_message(error.issue),
                )
            ) from error
        if not parsed.get("21"):
            raise UserError(
                self.env._("The scanned code %(code)s carries no serial number (AI 21).", code=code)
            )
        return parsed["21"], parsed.get("01", False)

    @api.model
    def _serial_warranty_lookup(self, code):
        """Find the unit(s) behind a typed or scanned ``code``.

        Accepts a plain serial or a GS1 string (AI 21 is the serial, AI 01 the GTIN
        narrowing the product). One query on the serial name (btree index), a second
        one only when the exact spelling is not found (case). Raises ``UserError``
        when nothing matches.
        """
        serial, gtin = self._serial_parse_lookup_code(code)
        lots = self.search([("name", "=", serial)], limit=20)
        if not lots:
            lots = self.search([("name", "=ilike", escape_psql(serial))], limit=20)
        if gtin and len(lots) > 1:
            lots = lots.filtered(lambda lot: self._serial_gtin_of(lot.product_id) == gtin) or lots
        if not lots:
            raise UserError(
                self.env._("No unit with serial number %(serial)s was found.", serial=serial)
            )
        return lots

    @api.model
    def serial_warranty_info(self, code):
        """Warranty desk answer for a typed or scanned ``code`` (also for RPC).

        Two queries whatever the number of units (a third one when the serial is
        typed in another case): the unit with its product and owner, found through
        the btree index on ``stock_lot.name``, then its coverages with their terms,
        through the index on ``serial_warranty.lot_id``. Both go through
        ``_search``, so access rights and record rules apply.
        """
        serial, gtin = self._serial_parse_lookup_code(code)
        # Exact match, then the same spelling in another case: wildcards are escaped.
        rows = self._serial_lookup_rows([("name", "=", serial)]) or self._serial_lookup_rows(
            [("name", "=ilike", escape_psql(serial))]
        )
        if gtin and len(rows) > 1:
            rows = [row for row in rows if self._serial_gtin_from(row["barcode"]) == gtin] or rows
        if not rows:
            raise UserError(
                self.env._("No unit with serial number %(serial)s was found.", serial=serial)
            )
        unit = rows[0]
        unit.pop("barcode")
        unit["coverages"] = self.env["serial.warranty"]._serial_lookup_rows(unit["lot_id"])
        return unit

    @api.model
    def _serial_lookup_rows(self, domain):
        fnames = [
            "name",
            "product_id",
            "serial_owner_id",
            "serial_state",
            "serial_warranty_start",
            "serial_warranty_end",
            "serial_warranty_gapped",
            "company_id",
        ]
        self.flush_model(fnames)
        self.env["product.product"].flush_model(["default_code", "barcode"])
        self.env["res.partner"].flush_model(["complete_name"])
        query = self._search(domain, limit=20, order="id")
        table = query.table
        product = query.left_join(table, "product_id", "product_product", "id", "product_id")
        template = query.left_join(product, "product_tmpl_id", "product_template", "id", "tmpl")
        owner = query.left_join(table, "serial_owner_id", "res_partner", "id", "owner")
        self.env.cr.execute(
            query.select(
                SQL.identifier(table, "id"),
                SQL.identifier(table, "name"),
                guard.readable_sql(self.env["product.product"], SQL.identifier(product, "id")),
                SQL.identifier(product, "default_code"),
                SQL.identifier(product, "barcode"),
                self.env["product.template"]._field_to_sql(template, "name", query),
                guard.readable_sql(self.env["res.partner"], SQL.identifier(owner, "id")),
                SQL.identifier(owner, "complete_name"),
                SQL.identifier(table, "serial_state"),
                self._field_to_sql(table, "serial_warranty_state", query),
                SQL.identifier(table, "serial_warranty_end"),
            )
        )
        return [
            {
                "lot_id": lot_id,
                "serial": name,
                "product": (f"[{code}] {product_name}" if code else product_name)
                if product_readable
                else False,
                "barcode": barcode if product_readable else False,
                "owner": (owner_name or False) if owner_readable else False,
                "unit_state": unit_state,
                "warranty_state": warranty_state,
                "warranty_end": warranty_end,
            }
            for (
                lot_id,
                name,
                product_readable,
                code,
                barcode,
                product_name,
                owner_readable,
                owner_name,
                unit_state,
                warranty_state,
                warranty_end,
            ) in self.env.cr.fetchall()
        ]

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _serial_demo_move(self, lot_ids, picking_type_id, partner_id, picking_vals=None):
        """Demo: move the units ``lot_ids`` with one validated transfer per call;
        ``picking_vals`` adds values of the transfer (a bridge's own fields).

        Units that already went through a transfer of that type are skipped, so that
        reinstalling the addon on a database that kept its demo stock changes nothing.
        """
        picking_type = self.env["stock.picking.type"].browse(picking_type_id)
        done = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", lot_ids),
                ("state", "=", "done"),
                ("move_id.picking_type_id", "=", picking_type.id),
            ]
        )
        # Units kept from an earlier install get their status now: the demo orders
        # that follow need it, and the post-install hook runs after the demo.
        self.browse(lot_ids)._serial_refresh_state()
        self._serial_demo_restore_owners(done, partner_id)
        lots = self.browse(lot_ids) - done.lot_id
        if not lots:
            return False
        src = picking_type.default_location_src_id or self.env.ref("stock.stock_location_suppliers")
        dest = picking_type.default_location_dest_id or self.env.ref(
            "stock.stock_location_customers"
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner_id,
                "location_id": src.id,
                "location_dest_id": dest.id,
                "origin": self.env._("Serial Tracking demo"),
                "move_ids": [
                    Command.create(
                        {
                            "name": product.display_name,
                            "product_id": product.id,
                            "product_uom_qty": len(product_lots),
                            "product_uom": product.uom_id.id,
                            "location_id": src.id,
                            "location_dest_id": dest.id,
                        }
                    )
                    for product, product_lots in lots.grouped("product_id").items()
                ],
                **(picking_vals or {}),
            }
        )
        picking.action_confirm()
        picking.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                dict(move._prepare_move_line_vals(quantity=1), lot_id=lot.id, picked=True)
                for move in picking.move_ids
                for lot in lots.filtered(lambda lot, move=move: lot.product_id == move.product_id)
            ]
        )
        picking.button_validate()
        return picking.id

    @api.model
    def _serial_demo_restore_owners(self, done_lines, partner_id):
        """Demo: units delivered by an earlier install lost their ownership with the
        addon's tables; give them back to the customer the demo delivered them to."""
        partner = self.env["res.partner"].browse(partner_id)
        lines = done_lines.filtered(
            lambda line: (
                line.location_dest_id.usage == "customer" and not line.lot_id.serial_owner_id
            )
        )
        if not partner or not lines:
            return
        lines.lot_id._serial_transfer_ownership(
            dict.fromkeys(lines.lot_id.ids, partner),
            "sale",
            pickings_by_lot={line.lot_id.id: line.picking_id for line in lines},
        )

    @api.model
    def _serial_gtin_of(self, product):
        return self._serial_gtin_from(product.barcode)

    @api.model
    def _serial_gtin_from(self, barcode):
        try:
            return identifiers.normalize_gtin14(barcode or "")
        except ValueError:
            return False
