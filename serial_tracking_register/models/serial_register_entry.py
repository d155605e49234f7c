import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.serial_tracking.tools.bulk import insert_rows

# The fields a hash covers, in a fixed order: the regulatory data of the line. Adding
# a field here breaks the chain of existing books: add new data outside the hash.
HASHED_FIELDS = (
    "company_id",
    "register_kind",
    "sequence",
    "entry_type",
    "event",
    "date",
    "lot_id",
    "product_id",
    "partner_id",
    "partner_name",
    "partner_address",
    "license_number",
    "transaction_ref",
    "manufacturer",
    "importer",
    "model",
    "serial",
    "firearm_type",
    "caliber",
    "picking_id",
    "corrects_entry_id",
    "reason",
)

# Fields a correction may change (the snapshots of the line, not its links).
CORRECTABLE_FIELDS = (
    "date",
    "partner_name",
    "partner_address",
    "license_number",
    "transaction_ref",
    "manufacturer",
    "importer",
    "model",
    "serial",
    "firearm_type",
    "caliber",
)

IMMUTABLE_FUNCTION = "serial_register_entry_immutable"
IMMUTABLE_TRIGGER = "serial_register_entry_immutable_trg"


class SerialRegisterEntry(models.Model):
    _name = "serial.register.entry"
    _description = "Regulatory Register Entry"
    _order = "company_id, register_kind, sequence desc"
    _rec_name = "sequence"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="restrict"
    )
    register_kind = fields.Selection(
        [("firearm", "Firearms"), ("medical_device", "Medical Devices")],
        string="Register",
        required=True,
        readonly=True,
        help="Each company keeps one book per kind of regulated goods.",
    )
    sequence = fields.Integer(
        string="Number", required=True, readonly=True, help="Number of the line in the book."
    )
    entry_type = fields.Selection(
        [
            ("acquisition", "Acquisition"),
            ("disposition", "Disposition"),
            ("correction", "Correction"),
            ("tracking", "Tracking Event"),
        ],
        string="Type",
        required=True,
        readonly=True,
    )
    event = fields.Selection(
        [
            ("receipt", "Receipt"),
            ("customer_return", "Return from Customer"),
            ("production", "Production"),
            ("recovery", "Recovered"),
            ("found", "Found at Inventory"),
            ("opening", "Opening Balance"),
            ("delivery", "Delivery"),
            ("vendor_return", "Return to Vendor"),
            ("scrap", "Scrapped"),
            ("consumption", "Consumed"),
            ("theft", "Stolen"),
            ("loss", "Lost"),
            ("correction", "Correction"),
            ("implant", "Provided to Patient or Implanted"),
            ("explant", "Explanted"),
            ("device_return", "Returned by End User"),
            ("death", "Death of Patient"),
            ("retirement", "Permanently Retired or Disposed of"),
        ],
        readonly=True,
        help="What happened to the unit.",
    )
    side = fields.Selection(
        [("acquisition", "Acquisition"), ("disposition", "Disposition")],
        compute="_compute_side",
        help="Side of the book the line is printed on (a correction: its original's).",
    )
    date = fields.Datetime(required=True, readonly=True, index=True, help="Date of the event.")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    product_id = fields.Many2one("product.product", readonly=True, ondelete="restrict")
    move_line_id = fields.Many2one(
        "stock.move.line",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The stock operation the entry records.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Source of an acquisition, transferee of a disposition.",
    )
    partner_name = fields.Char(string="Name", readonly=True)
    partner_address = fields.Char(string="Address", readonly=True)
    license_number = fields.Char(string="License", readonly=True)
    transaction_ref = fields.Char(
        string="Form 4473", readonly=True, help="Transaction number of the disposition."
    )
    manufacturer = fields.Char(readonly=True)
    importer = fields.Char(readonly=True)
    model = fields.Char(readonly=True)
    serial = fields.Char(readonly=True)
    firearm_type = fields.Char(string="Type of Firearm", readonly=True)
    caliber = fields.Char(string="Caliber or Gauge", readonly=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, ondelete="restrict"
    )
    corrects_entry_id = fields.Many2one(
        "serial.register.entry",
        string="Corrects",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    correction_ids = fields.One2many(
        "serial.register.entry", "corrects_entry_id", string="Corrections", readonly=True
    )
    is_corrected = fields.Boolean(compute="_compute_is_corrected", search="_search_is_corrected")
    reason = fields.Char(
        readonly=True, help="Why the unit left (theft, loss...) or why the line was corrected."
    )
    hash = fields.Char(
        readonly=True,
        help="SHA-256 of the line and of the previous line's hash: changing a line of "
        "the book breaks the chain from there on.",
    )

    _sql_constraints = [
        (
            "sequence_uniq",
            "unique(company_id, register_kind, sequence)",
            "A number appears once in a book.",
        ),
    ]

    def init(self):
        # The book is append-only for everyone, SQL included: a trigger refuses any
        # UPDATE or DELETE (dropped by the uninstall hook).
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION USING MESSAGE = 'serial_register_entry is append-only: ' || TG_OP || ' refused';
            END;
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS %(trigger)s ON serial_register_entry;
            CREATE TRIGGER %(trigger)s BEFORE UPDATE OR DELETE ON serial_register_entry
                FOR EACH ROW EXECUTE FUNCTION %(function)s();
            """,
                function=SQL.identifier(IMMUTABLE_FUNCTION),
                trigger=SQL.identifier(IMMUTABLE_TRIGGER),
            )
        )

    @api.depends("entry_type", "corrects_entry_id.entry_type")
    def _compute_side(self):
        for entry in self:
            original = entry
            while original.corrects_entry_id:
                original = original.corrects_entry_id
            # Tracking events happen at the end user: on neither side of our book.
            side = original.entry_type
            entry.side = side if side in ("acquisition", "disposition") else False

    @api.depends("correction_ids")
    def _compute_is_corrected(self):
        for entry in self:
            entry.is_corrected = bool(entry.correction_ids)

    def _search_is_corrected(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on corrected lines."))
        positive = (operator == "=") == bool(value)
        return [("correction_ids", "!=" if positive else "=", False)]

    # ------------------------------------------------------------------
    # CRUD: the system appends lines, nobody changes them
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Lines are appended by _append() only: numbered and chained under a lock.
        if vals_list:
            raise UserError(
                self.env._(
                    "Register lines are written by the system when stock moves are "
                    "validated; use Correct to amend one."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("A register line cannot be changed: use Correct to add a correction.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A register line cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_correct(self, values, reason):
        """Append a correction of this line with ``values`` (snapshot fields) and a
        mandatory ``reason``; the line itself stays as it is. Returns the correction."""
        self.ensure_one()
        self._check_officer()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the correction."))
        correctable = self._correctable_fields(self.register_kind)
        unknown = set(values) - set(correctable)
        if unknown:
            raise UserError(
                self.env._(
                    "These fields cannot be corrected: %(fields)s",
                    fields=", ".join(sorted(unknown)),
                )
            )
        vals = {fname: self.sudo()[fname] for fname in correctable}
        vals.update(self._serial_correction_values(values))
        vals.update(
            company_id=self.company_id.id,
            register_kind=self.register_kind,
            entry_type="correction",
            event="correction",
            lot_id=self.lot_id.id,
            product_id=self.product_id.id,
            partner_id=self.partner_id.id,
            picking_id=self.picking_id.id,
            corrects_entry_id=self.id,
            reason=reason.strip(),
        )
        return self.sudo()._append([vals]).sudo(self.env.su)

    @api.model
    def _serial_correction_values(self, values):
        """``values`` of a correction as the fields hold them: the book is written in
        SQL, so a malformed date or choice must be refused here, by name."""
        converted = {}
        for fname, value in values.items():
            field = self._fields[fname]
            try:
                if field.type in ("char", "text") and not isinstance(value, (str, bool)):
                    raise ValueError(value)
                value = field.convert_to_cache(value, self)
            except (ValueError, TypeError):
                raise UserError(
                    self.env._(
                        "Invalid value for %(field)s: %(value)s",
                        field=field._description_string(self.env),
                        value=value,
                    )
                ) from None
            converted[fname] = False if value is None else value
        return converted

    def action_open_correct_wizard(self):
        self.ensure_one()
        self._check_officer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct Line %(number)s", number=self.sequence),
            "res_model": "serial.register.correct.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_entry_id": self.id},
        }

    @api.model
    def action_verify_integrity(self):
        """Check the hash chain of the current company's books; True, or a UserError
        naming the first line whose hash does not match."""
        company = self.env.company
        self.flush_model()
        for kind in self._fields["register_kind"].get_values(self.env):
            previous = ""
            columns = self._hashed_fields(kind) + self._checked_fields(kind)
            self.env.cr.execute(
                SQL(
                    "SELECT %s, hash FROM serial_register_entry "
                    "WHERE company_id = %s AND register_kind = %s ORDER BY sequence",
                    SQL(", ").join(SQL.identifier(fname) for fname in columns),
                    company.id,
                    kind,
                )
            )
            for row in self.env.cr.fetchall():
                values = dict(zip(columns, row[:-1], strict=True))
                expected = self._compute_hash(previous, values)
                if row[-1] != expected or not self._check_row(values):
                    raise UserError(
                        self.env._(
                            "The %(book)s book of %(company)s was altered: line "
                            "%(number)s does not match its hash.",
                            book=dict(self._fields["register_kind"].selection)[kind],
                            company=company.name,
                            number=values["sequence"],
                        )
                    )
                previous = row[-1]
        return True

    def action_view_original(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.corrects_entry_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_officer(self):
        if not self.env.su and not self.env.user.has_group(
            "serial_tracking_register.group_serial_register_officer"
        ):
            raise UserError(self.env._("Only Register Officers can correct the book."))
        self.check_access("read")

    @api.model
    def _hash_value(self, value):
        if value is None or value is False:
            return ""
        if isinstance(value, models.BaseModel):
            return str(value.id or "")
        if hasattr(value, "strftime"):
            return fields.Datetime.to_string(value)
        return str(value)

    @api.model
    def _hashed_fields(self, kind):
        """Fields the hash of a line of the ``kind`` book covers, in a fixed order."""
        return HASHED_FIELDS

    @api.model
    def _correctable_fields(self, kind):
        """Snapshot fields a correction of a line of the ``kind`` book may change."""
        return CORRECTABLE_FIELDS

    @api.model
    def _checked_fields(self, kind):
        """Columns outside the hash that the verification reads for ``_check_row``."""
        return ()

    @api.model
    def _check_row(self, values):
        """Whether the stored ``values`` of a line are consistent beyond its hash."""
        return True

    @api.model
    def _prepare_row(self, row):
        """Complete a line's values before it is hashed (derived columns)."""
        return row

    @api.model
    def _compute_hash(self, previous, values):
        fnames = self._hashed_fields(values.get("register_kind"))
        payload = "\x1f".join(self._hash_value(values.get(fname)) for fname in fnames)
        return hashlib.sha256(f"{previous}\x1e{payload}".encode()).hexdigest()

    @api.model
    def _append(self, vals_list):
        """Number, chain and insert ``vals_list`` in their books, in one pass.

        A transaction-level lock per book serializes the writers: two validations
        cannot take the same number or chain on the same previous line.
        """
        if not vals_list:
            return self.browse()
        books = sorted({(vals["company_id"], vals["register_kind"]) for vals in vals_list})
        tails = {}
        for company_id, kind in books:
            self.env.cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    f"serial_register_entry/{company_id}/{kind}",
                )
            )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT ON (company_id, register_kind)
                   company_id, register_kind, sequence, hash
              FROM serial_register_entry
             WHERE company_id IN %s
          ORDER BY company_id, register_kind, sequence DESC
            """,
                tuple({company_id for company_id, _kind in books}),
            )
        )
        for company_id, kind, sequence, last_hash in self.env.cr.fetchall():
            tails[company_id, kind] = (sequence, last_hash)
        now = fields.Datetime.now()
        rows = []
        for vals in vals_list:
            vals["date"] = fields.Datetime.to_datetime(vals.get("date") or now)
        for vals in sorted(vals_list, key=lambda v: (v["date"], v.get("serial") or "")):
            book = (vals["company_id"], vals["register_kind"])
            sequence, previous = tails.get(book, (0, ""))
            row = {fname: vals.get(fname) or False for fname in self._hashed_fields(book[1])}
            row.update(vals)
            row["date"] = row["date"].replace(microsecond=0)
            row["sequence"] = sequence + 1
            row = self._prepare_row(row)
            row["hash"] = self._compute_hash(previous, row)
            tails[book] = (row["sequence"], row["hash"])
            rows.append(row)
        return insert_rows(self, rows)

    def _serial_register_after_append(self):
        """Follow-up of new lines: the reports the law asks for after some events."""
        # Only what the follow-ups look at, for thousands of new lines.
        self.fetch(
            [
                "event",
                "register_kind",
                "partner_id",
                "product_id",
                "license_number",
                "company_id",
                "date",
            ]
        )
        self._serial_register_schedule_loss_reports()
        self._serial_register_multiple_sales()

    def _serial_register_schedule_loss_reports(self):
        """A unit stolen or lost from our stock: report it within 48 hours."""
        # The ATF report concerns firearms only.
        losses = self.filtered(
            lambda e: e.event in ("theft", "loss") and e.lot_id and e.register_kind == "firearm"
        )
        if not losses:
            return
        deadline = fields.Date.context_today(self) + timedelta(days=2)
        for entry in losses:
            entry.lot_id.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=deadline,
                summary=self.env._("Report to ATF and local police (48 hours)"),
                note=self.env._(
                    "%(serial)s (%(product)s), book line %(number)s: %(reason)s",
                    serial=entry.serial,
                    product=entry.product_id.display_name,
                    number=entry.sequence,
                    reason=entry.reason or entry.event,
                ),
                user_id=self.env.user.id if not self.env.user._is_public() else False,
            )

    @api.model
    def _serial_register_business_days_back(self, day, count):
        """The day ``count`` business days (Monday to Friday) before ``day``."""
        while count:
            day -= timedelta(days=1)
            if day.weekday() < 5:
                count -= 1
        return day

    def _serial_register_is_handgun_sale(self):
        self.ensure_one()
        handguns = self.env["product.template"]._serial_handgun_types()
        return (
            self.event == "delivery"
            and self.product_id.serial_firearm_type in handguns
            and not self.license_number
        )

    def _serial_register_multiple_sales(self):
        """Form 3310.4: two or more handguns to one non-licensee at once or within 5
        consecutive business days call for a report by close of business."""
        sales = self.filtered(lambda e: e.partner_id and e._serial_register_is_handgun_sale())
        for (company, buyer), group in sales.grouped(
            lambda e: (e.company_id, e.partner_id.commercial_partner_id)
        ).items():
            day = company._serial_local_date(max(group.mapped("date")))
            start = self._serial_register_business_days_back(day, 4)
            earlier = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("event", "=", "delivery"),
                    ("partner_id", "child_of", buyer.id),
                    ("date", ">=", company._serial_day_start_utc(start)),
                    ("id", "not in", group.ids),
                ]
            )
            earlier = earlier.filtered(lambda e: e._serial_register_is_handgun_sale())
            # Corrected or not, each unit counts once.
            units = (earlier | group).lot_id
            if len(units) < 2:
                continue
            group.picking_id[:1]._serial_register_schedule_3310(units, day)

    @api.model
    def action_verify_integrity_notify(self):
        """Verify the book and say so (the server action of the list)."""
        self.action_verify_integrity()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The book is intact: every line matches its hash."),
            },
        }

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------

    @api.model
    def _serial_register_deadline(self, entry_type, day, kind="firearm"):
        """Legal deadline to write a line of ``entry_type`` for an event on ``day``:
        acquisitions by the next business day, dispositions within 7 days (firearms);
        the manufacturer of a medical device is told "promptly": next business day."""
        if entry_type == "acquisition" or kind == "medical_device":
            day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            return day
        return day + timedelta(days=7)

    @api.model
    def _cron_check_deadlines(self, days=30):
        """Done moves of register products of the last ``days`` days that have no
        line in the book (an event recorded late, a product made a firearm after its
        moves): an activity on the unit with the legal deadline."""
        MoveLine = self.env["stock.move.line"].sudo()
        lines = MoveLine.search(
            [
                ("state", "=", "done"),
                ("lot_id", "!=", False),
                ("product_id.serial_register_kind", "in", MoveLine._serial_register_kinds()),
                ("date", ">=", fields.Datetime.now() - timedelta(days=days)),
            ]
        )
        if not lines:
            return
        written = set(self.sudo().search([("move_line_id", "in", lines.ids)]).move_line_id.ids)
        summary = self.env._("Write the register line of this unit")
        for ml in lines:
            if ml.id in written:
                continue
            events = ml._serial_register_events()
            if not events:
                continue
            lot = ml.lot_id.sudo()
            if lot.activity_ids.filtered(lambda a, s=summary: a.summary == s):
                continue
            entry_type = events[0][0]
            day = ml.company_id._serial_local_date(ml.date)
            lot.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self._serial_register_deadline(
                    entry_type, day, ml.product_id.serial_register_kind
                ),
                summary=summary,
                note=self.env._(
                    "%(type)s of %(serial)s on %(date)s (%(reference)s) is not in the book.",
                    type=dict(self._fields["entry_type"]._description_selection(self.env))[
                        entry_type
                    ],
                    serial=lot.name,
                    date=day,
                    reference=ml.reference or "-",
                ),
                user_id=(ml.picking_id.user_id or ml.create_uid).id,
            )

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _serial_register_demo(self, pistol_lot_ids, rifle_lot_ids, vendor_id, customer_id):
        """Demo: receive, sell, correct and report stolen, once (a reinstall keeps the
        book and writes nothing twice)."""
        Lot = self.env["stock.lot"]
        lots = Lot.browse(pistol_lot_ids + rifle_lot_ids)
        if self.sudo().search_count([("lot_id", "in", lots.ids)]):
            return False
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        receipt = Lot._serial_demo_move(lots.ids, warehouse.in_type_id.id, vendor_id)
        if not receipt:
            return False  # units kept from an earlier install: their story is told
        delivery = Lot._serial_demo_move(
            pistol_lot_ids[:1] + rifle_lot_ids[:1],
            warehouse.out_type_id.id,
            customer_id,
            {"serial_transaction_ref": "4473-000001"},
        )
        first = self.sudo().search([("picking_id", "=", receipt)], order="sequence", limit=1)
        first.action_correct(
            {"caliber": first.caliber + " (corrected)"}, self.env._("Caliber mistyped at receipt")
        )
        Lot.browse(pistol_lot_ids[-1:])._serial_report_loss(
            "stolen",
            fields.Date.today(),
            "PD-2026-0042",
            self.env._("Taken from the display case."),
        )
        return delivery
