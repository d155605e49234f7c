from collections import defaultdict
from datetime import datetime, time
from functools import lru_cache

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL


@lru_cache(maxsize=4096)
def local_date(value, tz_name):
    """Calendar date in time zone ``tz_name`` of the naive UTC datetime ``value``.

    Cached: the units of one transfer share the same few move dates.
    """
    return pytz.utc.localize(value).astimezone(pytz.timezone(tz_name)).date()


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_vin_lenient = fields.Boolean(
        string="Accept VINs without a valid check digit",
        help="Vehicles built outside North America do not always carry a check digit in "
        "position 9. When set, a VIN that fails only the check digit is accepted.",
    )
    serial_transfer_expiry_days = fields.Integer(
        string="Transfer Requests Valid (days)",
        default=14,
        help="How long the recipient of an owner-to-owner transfer has to accept it.",
    )
    serial_warranty_reminder_days = fields.Integer(
        string="Warranty Reminder (days)",
        default=30,
        help="How many days before a coverage ends its responsible gets a reminder "
        "activity (0 disables reminders).",
    )
    serial_warranty_reminder_email = fields.Boolean(
        string="Email Owners Before Warranty Ends",
        help="Also email the owner of the unit when the reminder is scheduled.",
    )
    # Technical: what the company's dates are computed in (see _serial_tz).
    serial_tz = fields.Char(string="Serial Time Zone", compute="_compute_serial_tz")
    serial_warranty_responsible_id = fields.Many2one(
        "res.users",
        string="Warranty Responsible",
        help="Gets the reminder activities when neither the warranty term nor the "
        "sales order names someone.",
    )

    @api.constrains("serial_transfer_expiry_days")
    def _check_serial_transfer_expiry_days(self):
        for company in self:
            if not 1 <= company.serial_transfer_expiry_days <= 365:
                raise ValidationError(
                    self.env._(
                        "Transfer requests must stay valid between 1 and 365 days "
                        "(%(company)s: %(days)s).",
                        company=company.name,
                        days=company.serial_transfer_expiry_days,
                    )
                )

    def _serial_today(self):
        """Today in the company's time zone (its partner's, else UTC)."""
        return self._serial_local_date(fields.Datetime.now())

    def _serial_today_groups(self):
        """``[(today, company_ids)]``: today's date in each time zone in use.

        Time-dependent states (warranty) are computed and searched against "today",
        and companies in different time zones may not be on the same date. The
        current company's date comes last: it also stands for records without a
        company and for the companies not listed before it.
        """
        now = fields.Datetime.now()
        timezones = self._serial_timezones()
        default = local_date(now, timezones.get(self.env.company.id) or "UTC")
        groups = defaultdict(list)
        for company_id, tz in timezones.items():
            groups[local_date(now, tz or "UTC")].append(company_id)
        groups.pop(default, None)
        return [*groups.items(), (default, [])]

    @api.model
    @tools.ormcache()
    def _serial_timezones(self):
        """``{company_id: tz}`` of every company (cached: read by every warranty state)."""
        self.env["res.partner"].flush_model(["tz"])
        self.env.cr.execute(
            "SELECT company.id, partner.tz FROM res_company company"
            " JOIN res_partner partner ON partner.id = company.partner_id"
        )
        return dict(self.env.cr.fetchall())

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env.registry.clear_cache()  # _serial_timezones
        return companies

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self.env.registry.clear_cache()  # _serial_timezones
        return res

    def _serial_today_domain(self, domain_for_day, company_field="company_id"):
        """Domain ``domain_for_day(today)``, with each company's own today."""
        *others, (default, _ids) = self._serial_today_groups()
        if not others:
            return domain_for_day(default)
        parts = [
            expression.AND([[(company_field, "in", ids)], domain_for_day(day)])
            for day, ids in others
        ]
        other_ids = [company_id for _day, ids in others for company_id in ids]
        parts.append(
            expression.AND([[(company_field, "not in", other_ids)], domain_for_day(default)])
        )
        return expression.OR(parts)

    def _serial_today_sql(self, company_sql):
        """SQL date: today for the company whose id is ``company_sql``."""
        *others, (default, _ids) = self._serial_today_groups()
        if not others:
            return SQL("%s::date", default)
        cases = SQL(" ").join(
            SQL("WHEN %s = ANY(%s) THEN %s::date", company_sql, ids, day) for day, ids in others
        )
        return SQL("(CASE %s ELSE %s::date END)", cases, default)

    def _serial_day_start_utc(self, day):
        """Naive UTC datetime of midnight starting ``day`` in the company's time zone."""
        tz = pytz.timezone(self._serial_tz())
        midnight = tz.localize(datetime.combine(day, time.min))
        return midnight.astimezone(pytz.utc).replace(tzinfo=None)

    def _serial_local_date(self, value):
        """Calendar date, in the company's time zone, of the UTC datetime ``value``."""
        return local_date(value, self._serial_tz())

    def _serial_tz(self):
        """The company's time zone (UTC if none)."""
        return self.serial_tz if self else "UTC"

    @api.depends("partner_id.tz")
    def _compute_serial_tz(self):
        # From the cached map of every company's: stock clears the cache of records at
        # each validated transfer, and reading the whole company and partner again
        # costs more than the dates they are needed for. Kept in the record cache, the
        # value costs a field read per date instead of a cache lookup.
        timezones = self._serial_timezones()
        for company in self:
            if company._origin.id in timezones:
                company.serial_tz = timezones[company._origin.id] or "UTC"
            else:
                company.serial_tz = company.partner_id.tz or "UTC"  # not saved yet
