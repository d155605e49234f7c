from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.serial_tracking.tools import cursor_stack, identifiers

# Key of ``cr.cache`` for the units being restocked after a theft or loss (a stack).
RECOVERY_KEY = "serial_register_recovery"


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_register_tracked_device = fields.Boolean(
        related="product_id.serial_device_tracked", string="Tracked Device"
    )

    serial_udi_lot = fields.Char(
        string="UDI Lot",
        size=20,
        index="btree_not_null",
        tracking=True,
        help="Lot or batch of the device (GS1 AI 10), as printed in its UDI.",
    )
    serial_udi_manufactured = fields.Date(
        string="Manufacturing Date",
        tracking=True,
        help="Manufacturing date of the device (GS1 AI 11).",
    )
    serial_udi_expiry_code = fields.Char(
        string="UDI Expiry (AI 17)",
        size=6,
        tracking=True,
        help="Expiry as printed in the UDI (YYMMDD); day 00 means the end of the month.",
    )
    serial_udi = fields.Char(
        string="UDI",
        compute="_compute_serial_udi",
        help="Full unique device identifier in GS1 human-readable form.",
    )

    @api.constrains("serial_udi_lot", "serial_udi_expiry_code")
    def _check_serial_udi_pi(self):
        # Written directly (forms, RPC, imports) rather than from a parsed scan: the
        # UDI, the expiry check and the book all read these as GS1 values.
        for lot in self:
            self._serial_raise_udi_pi_problem(
                lot.name, lot.serial_udi_lot, lot.serial_udi_expiry_code
            )

    @api.model
    def _serial_raise_udi_pi_problem(self, serial, udi_lot, expiry_code):
        for ai, value in (("10", udi_lot), ("17", expiry_code)):
            problem = value and self._serial_udi_pi_problem(ai, value)
            if problem:
                raise ValidationError(
                    self.env._(
                        "%(serial)s: AI (%(ai)s) %(value)s: %(problem)s",
                        serial=serial or "",
                        ai=ai,
                        value=value,
                        problem=problem,
                    )
                )

    @api.model
    def _serial_udi_pi_problem(self, ai, value):
        """Why ``value`` is not a valid value of the GS1 AI ``ai``, or False."""
        try:
            elements = identifiers.parse_gs1(ai + value)
        except identifiers.GS1ParseError as error:
            return self._serial_issue_message(error.issue)
        if elements != {ai: value}:
            # A separator or white space would make the UDI read as other elements.
            return self.env._("not a single value of this AI")
        return False

    @api.depends(
        "product_id.serial_udi_di",
        "product_id.barcode",
        "serial_udi_lot",
        "serial_udi_manufactured",
        "serial_udi_expiry_code",
        "name",
    )
    def _compute_serial_udi(self):
        for lot in self:
            elements = lot._serial_udi_elements()
            lot.serial_udi = "".join(f"({ai}){value}" for ai, value in elements.items())

    def _serial_udi_elements(self):
        """Ordered ``{AI: value}`` of the unit's UDI, empty when it has no DI.

        Fixed-length AIs come first and the serial last, so that the raw form needs
        a separator only after the lot.
        """
        self.ensure_one()
        di = self.product_id and self.product_id._serial_udi_di()
        if not di:
            return {}
        elements = {"01": di}
        if self.serial_udi_manufactured:
            elements["11"] = self.serial_udi_manufactured.strftime("%y%m%d")
        expiry = self.serial_udi_expiry_code or self._serial_udi_expiry_from_date()
        if expiry:
            elements["17"] = expiry
        if self.serial_udi_lot:
            elements["10"] = self.serial_udi_lot
        if self.name:
            elements["21"] = self.name
        return elements

    def _serial_udi_raw(self):
        """The UDI as a scanner sends it: GS after each variable-length value but the last."""
        elements = self._serial_udi_elements()
        parts = []
        for ai, value in elements.items():
            parts.append(ai + value)
            if ai not in ("01", "11", "17") and ai != list(elements)[-1]:
                parts.append(identifiers.GS)
        return "".join(parts)

    def _serial_udi_expiry_from_date(self):
        if not self.expiration_date:
            return False
        return self._serial_udi_local_date(self.expiration_date).strftime("%y%m%d")

    def _serial_udi_local_date(self, value):
        # Units shared between companies have none: the current company then.
        company = self.company_id or self.env.company
        tz = pytz.timezone(company._serial_tz())
        return pytz.utc.localize(value).astimezone(tz).date()

    @api.model
    def _serial_udi_expiry_datetime(self, expiry_date, company):
        """AI (17) date D as the naive UTC datetime of D 23:59:59 in the company's time
        zone: a device "used by D" expires when D is over where it is kept."""
        tz = pytz.timezone(company._serial_tz() if company else "UTC")
        local = tz.localize(datetime.combine(expiry_date, time(23, 59, 59)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _serial_udi_expiry_limit(self):
        """When the unit expires (naive UTC), or False: the earlier of its expiration
        date and the expiry its UDI prints (AI 17), so that clearing or moving the
        former does not make a unit labelled as expired deliverable."""
        self.ensure_one()
        limits = [self.expiration_date] if self.expiration_date else []
        if self.serial_udi_expiry_code:
            expiry = self.env["barcode.nomenclature"].gs1_date_to_date(self.serial_udi_expiry_code)
            limits.append(
                self._serial_udi_expiry_datetime(expiry, self.company_id or self.env.company)
            )
        return min(limits, default=False)

    def _serial_udi_expired(self, when=None):
        """Units of medical devices whose expiry date is over."""
        when = when or fields.Datetime.now()
        return self.filtered(
            lambda lot: (
                lot.product_id.serial_register_kind == "medical_device"
                and (lot._serial_udi_expiry_limit() or when) < when
            )
        )

    def _serial_unit_problem(self, move):
        problem = super()._serial_unit_problem(move)
        if problem or not self._serial_udi_expired():
            return problem
        if (
            move.location_dest_id.usage
            not in self.env["stock.move.line"]._serial_blocked_dest_usages()
        ):
            return problem
        return self.env._(
            "expired on %(date)s",
            date=self._serial_udi_local_date(self._serial_udi_expiry_limit()),
        )

    def _serial_udi_expiry_problems(self):
        """``"SN (product) expired on <local date>"`` for each expired unit of ``self``."""
        return [
            self.env._(
                "%(serial)s (%(product)s) expired on %(date)s",
                serial=lot.name,
                product=lot.product_id.display_name,
                date=lot._serial_udi_local_date(lot._serial_udi_expiry_limit()),
            )
            for lot in self._serial_udi_expired()
        ]

    def _serial_restock_recovered(self):
        # The restock of a recovered unit is a new acquisition in the book. Said on the
        # cursor, not in the context: a client could otherwise book any unit found at
        # an inventory count as a recovered one.
        with cursor_stack.pushed(self.env.cr, RECOVERY_KEY, frozenset(self.ids)):
            return super()._serial_restock_recovered()

    @api.model
    def _serial_register_recovered_ids(self):
        """Ids of the units whose restock after a theft or loss is being booked."""
        return cursor_stack.current(self.env.cr, RECOVERY_KEY, frozenset())

    def _register_entry_values_unit(self, kind):
        """Values of the unit itself that each of its register lines keeps."""
        self.ensure_one()
        if kind != "medical_device":
            return {}
        expiry = False
        if self.serial_udi_expiry_code:
            expiry = self.env["barcode.nomenclature"].gs1_date_to_date(self.serial_udi_expiry_code)
        elif self.expiration_date:
            expiry = self._serial_udi_local_date(self.expiration_date)
        return {
            "udi_di": self.product_id._serial_udi_di() or False,
            "udi_lot": self.serial_udi_lot or False,
            "udi_manufactured": self.serial_udi_manufactured or False,
            "udi_expiry": expiry or False,
            "udi": self.serial_udi or False,
        }
