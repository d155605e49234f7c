import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.serial_tracking.tools import identifiers

# AI (10) values are CS82 text without white space or comma: those separate them.
_LOT_SEPARATORS = re.compile(r"[\s,]+")
OFFICER_GROUP = "serial_tracking_register.group_serial_register_officer"
# Register events of a tracked device at its end user (who may be a patient).
END_USER_EVENTS = (
    "delivery",
    "customer_return",
    "implant",
    "explant",
    "device_return",
    "death",
    "retirement",
)


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    udi_di = fields.Char(
        string="UDI-DI",
        help="Device identifier (GS1 AI 01) of the recalled devices. Pasting a full UDI "
        "fills the lot (AI 10) too.",
    )
    udi_lot_names = fields.Text(
        string="UDI Lots",
        help="Lot or batch numbers (GS1 AI 10) of the recalled devices, separated by "
        "commas, spaces or new lines. They need the UDI-DI: lot numbers repeat across "
        "manufacturers.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._serial_normalize_udi_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._serial_normalize_udi_vals(vals)
        return super().write(vals)

    @api.model
    def _serial_normalize_udi_vals(self, vals):
        # The DI as products store it, so that the scope compares text.
        self.env["product.template"]._serial_normalize_udi_di_vals(vals, "udi_di")

    @api.model
    def _serial_udi_lot_list(self, text):
        """The distinct AI (10) values of ``text``, in their order."""
        return list(dict.fromkeys(name for name in _LOT_SEPARATORS.split(text or "") if name))

    @api.constrains("udi_di", "udi_lot_names")
    def _check_udi_scope(self):
        for recall in self:
            if recall.udi_di:
                issue = identifiers.check_gtin(recall.udi_di)
                if issue:
                    if issue.code == "gtin_check":
                        problem = self.env._(
                            "wrong check digit, expected %(digit)s",
                            digit=issue.params["expected"],
                        )
                    else:
                        problem = self.env["stock.lot"]._serial_issue_message(issue)
                    raise ValidationError(
                        self.env._(
                            "UDI-DI %(di)s of %(recall)s: %(problem)s",
                            di=recall.udi_di,
                            recall=recall.name,
                            problem=problem,
                        )
                    )
            lots = self._serial_udi_lot_list(recall.udi_lot_names)
            if lots and not recall.udi_di:
                raise ValidationError(
                    self.env._(
                        "%(recall)s: AI (10) lot numbers need the UDI-DI: lot numbers repeat "
                        "across manufacturers.",
                        recall=recall.name,
                    )
                )
            too_long = [name for name in lots if len(name) > 20]
            if too_long:
                raise ValidationError(
                    self.env._(
                        "%(recall)s: an AI (10) lot number has at most 20 characters: %(lots)s",
                        recall=recall.name,
                        lots=", ".join(too_long),
                    )
                )

    @api.onchange("udi_di")
    def _onchange_udi_di(self):
        """A pasted or scanned full UDI: keep its DI here and add its lot."""
        code = (self.udi_di or "").strip()
        if not code or (code.isdigit() and len(code) in identifiers.GTIN_LENGTHS):
            return  # a DI alone
        code = self.env["stock.lot"]._serial_fnc1_to_gs(code)
        if not (identifiers.looks_like_gs1(code) or code.startswith("01")):
            return  # not GS1 data: the constraint explains what a DI is
        try:
            elements = identifiers.parse_gs1(code)
        except identifiers.GS1ParseError as error:
            return {
                "warning": {
                    "title": self.env._("Unreadable UDI"),
                    "message": self.env._(
                        "Cannot read %(code)s: %(reason)s",
                        code=code,
                        reason=self.env["stock.lot"]._serial_issue_message(error.issue),
                    ),
                }
            }
        if not elements.get("01"):
            return {
                "warning": {
                    "title": self.env._("Unreadable UDI"),
                    "message": self.env._(
                        "The UDI has no device identifier, AI (01): %(code)s", code=code
                    ),
                }
            }
        self.udi_di = elements["01"]
        lot = elements.get("10")
        if lot:
            lots = self._serial_udi_lot_list(self.udi_lot_names)
            if lot not in lots:
                self.udi_lot_names = ", ".join([*lots, lot])

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------

    @api.model
    def _scope_fields(self):
        return super()._scope_fields() + ["udi_di", "udi_lot_names"]

    def _scope_has_criteria(self):
        return super()._scope_has_criteria() or bool(self.udi_di)

    def _scope_flush(self):
        res = super()._scope_flush()
        self.env["product.template"].flush_model(["serial_udi_di", "serial_register_kind"])
        self.env["product.product"].flush_model(["barcode"])
        self.env["stock.lot"].flush_model(["serial_udi_lot"])
        return res

    def _scope_extra_conditions(self):
        conditions = super()._scope_extra_conditions()
        if not self.udi_di:
            return conditions
        # As product.product._serial_udi_di(): the template's DI, else (variants) the
        # variant's GTIN barcode, in any of its spellings.
        spellings = [
            self.udi_di[14 - length :]
            for length in identifiers.GTIN_LENGTHS
            if not self.udi_di[: 14 - length].strip("0")
        ]
        conditions.append(
            SQL(
                """(pt.serial_register_kind = 'medical_device'
                    AND (pt.serial_udi_di = %s
                         OR (pt.serial_udi_di IS NULL AND pp.barcode = ANY(%s))))""",
                self.udi_di,
                spellings,
            )
        )
        lots = self._serial_udi_lot_list(self.udi_lot_names)
        if lots:
            conditions.append(SQL("lot.serial_udi_lot = ANY(%s)", lots))
        return conditions


class SerialRecallLine(models.Model):
    _inherit = "serial.recall.line"

    serial_patient_name = fields.Char(
        string="Patient",
        compute="_compute_serial_patient_name",
        groups=OFFICER_GROUP,
        help="Patient of the unit's latest end-user register line (tracked devices).",
    )

    def _compute_serial_patient_name(self):
        # The field's groups guard reads; this guards code computing it for anyone.
        officer = self.env.su or self.env.user.has_group(OFFICER_GROUP)
        names = self._serial_patient_names() if officer else {}
        for line in self:
            line.serial_patient_name = names.get((line.lot_id.id, line.company_id.id), False)

    def _serial_patient_names(self):
        """``{(lot id, company id): patient name}`` of the lines' medical units.

        The field's groups keep non-officers out; the book is read with sudo, but
        only the lines of each campaign's company. Newest line first, as last
        corrected: the first naming a patient wins, but a delivery or a return naming
        none means the unit changed hands since, and nobody is shown.
        """
        lines = self.filtered(
            lambda line: line.lot_id and line.product_id.serial_register_kind == "medical_device"
        )
        if not lines:
            return {}
        entries = (
            self.env["serial.register.entry"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lines.lot_id.ids),
                    ("company_id", "in", lines.company_id.ids),
                    "|",
                    ("event", "in", END_USER_EVENTS),
                    ("corrects_entry_id.event", "in", END_USER_EVENTS),
                ],
                order="sequence desc",
            )
        )
        names = {}
        done = set()
        seen = set()
        for entry in entries:
            key = (entry.lot_id.id, entry.company_id.id)
            original = entry.corrects_entry_id or entry
            if key in done or original.id in seen:
                continue  # decided, or an original whose later correction was read
            seen.add(original.id)
            # A correction that does not carry the end-user data keeps the original's.
            patient = entry.patient_name or original.patient_name
            if patient:
                names[key] = patient
                done.add(key)
            elif original.event in ("delivery", "customer_return"):
                done.add(key)
        return names
