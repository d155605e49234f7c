from datetime import datetime, time
from functools import lru_cache

import pytz

from odoo import fields, models


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
    serial_warranty_responsible_id = fields.Many2one(
        "res.users",
        string="Warranty Responsible",
        help="Gets the reminder activities when neither the warranty term nor the "
        "sales order names someone.",
    )

    def _serial_today(self):
        """Today in the company's time zone (its partner's, else UTC)."""
        return self._serial_local_date(fields.Datetime.now())

    def _serial_day_start_utc(self, day):
        """Naive UTC datetime of midnight starting ``day`` in the company's time zone."""
        tz = pytz.timezone((self.partner_id.tz if self else None) or "UTC")
        midnight = tz.localize(datetime.combine(day, time.min))
        return midnight.astimezone(pytz.utc).replace(tzinfo=None)

    def _serial_local_date(self, value):
        """Calendar date, in the company's time zone, of the UTC datetime ``value``."""
        return local_date(value, (self.partner_id.tz if self else None) or "UTC")
