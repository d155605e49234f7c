from functools import lru_cache

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

DURATION_UNITS = [
    ("day", "Days"),
    ("month", "Months"),
    ("year", "Years"),
]


@lru_cache(maxsize=4096)
def coverage_end(date_start, unit, duration):
    """Last day (inclusive) of a cover of ``duration`` days, months or years (``unit``).

    Cached: a delivery of thousands of units asks for the same few dates.
    """
    return date_start + relativedelta(**{f"{unit}s": duration}) - relativedelta(days=1)


# 100 years in each unit.
MAX_DURATION = {"day": 36525, "month": 1200, "year": 100}

START_TRIGGERS = [
    ("delivery", "Delivery to the customer"),
    ("invoice", "Customer invoice posted"),
    ("sale", "Sales order confirmed"),
]


class SerialWarrantyTerm(models.Model):
    _name = "serial.warranty.term"
    _description = "Warranty Term"
    _order = "sequence, name, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the term between companies.",
    )
    duration = fields.Integer(
        required=True,
        default=1,
        help="Length of the coverage, in the unit below. The coverage includes its "
        "start day and ends the day before the same date one duration later: 12 "
        "months from 15 March 2026 cover up to and including 14 March 2027. Months "
        "and years falling on a day the target month lacks are clamped to that "
        "month's last day (31 January + 1 month gives 28 or 29 February).",
    )
    duration_unit = fields.Selection(DURATION_UNITS, string="Unit", required=True, default="year")
    start_trigger = fields.Selection(
        START_TRIGGERS,
        required=True,
        default="delivery",
        help="Event that starts the coverage of each unit. With 'Sales order "
        "confirmed' the coverage starts on the order date and waits (pending) until "
        "the unit is known, at the latest when it is delivered.",
    )
    transferable = fields.Boolean(
        help="The coverage survives a return and follows the unit to a new owner "
        "(second-hand sale). Otherwise it is voided when the unit comes back or "
        "changes hands.",
    )
    coverage = fields.Text(
        translate=True,
        help="What the warranty covers and excludes, printed on the certificate.",
    )
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        help="Gets the reminder activities before coverage ends. Defaults to the "
        "salesperson of the order, then to the company's warranty responsible.",
    )
    product_tmpl_ids = fields.One2many(
        "product.template", "serial_warranty_term_id", string="Products"
    )
    warranty_count = fields.Integer(compute="_compute_warranty_count", string="Coverages")

    def _compute_warranty_count(self):
        counts = dict(
            self.env["serial.warranty"]._read_group(
                [("term_id", "in", self.ids)], ["term_id"], ["__count"]
            )
        )
        for term in self:
            term.warranty_count = counts.get(term, 0)

    @api.constrains("duration", "duration_unit")
    def _check_duration(self):
        for term in self:
            term._serial_check_duration(term.name, term.duration, term.duration_unit)

    @api.model
    def _serial_check_duration(self, name, duration, unit):
        """At least 1, at most 100 years: coverage end dates must stay real dates."""
        maximum = MAX_DURATION.get(unit, MAX_DURATION["year"])
        if not isinstance(duration, int | float) or not 1 <= duration <= maximum:
            raise ValidationError(
                self.env._(
                    "Warranty term %(term)s: the duration must be between 1 and %(max)s "
                    "%(unit)s (100 years), not %(duration)s.",
                    term=name or "-",
                    max=maximum,
                    unit=dict(self._fields["duration_unit"]._description_selection(self.env)).get(
                        unit, unit
                    ),
                    duration=duration,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the INSERT: a huge value would otherwise fail in PostgreSQL.
        for vals in vals_list:
            if "duration" in vals:
                self._serial_check_duration(
                    vals.get("name"), vals["duration"], vals.get("duration_unit", "year")
                )
        return super().create(vals_list)

    def write(self, vals):
        # Refused before anything reaches the cache, not only by the constraint after.
        if "duration" in vals:
            for term in self:
                self._serial_check_duration(
                    term.name, vals["duration"], vals.get("duration_unit", term.duration_unit)
                )
        return super().write(vals)

    def action_view_warranties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_tracking.serial_warranty_action"
        )
        action["domain"] = [("term_id", "=", self.id)]
        action["context"] = {}
        return action

    def _serial_date_end(self, date_start):
        """Last day (inclusive) of a coverage of this term starting on ``date_start``.

        relativedelta clamps months and years at the end of the target month.
        """
        self.ensure_one()
        return coverage_end(date_start, self.duration_unit, self.duration)
