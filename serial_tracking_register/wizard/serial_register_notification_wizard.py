import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.medical_entry import OFFICER

# Events the manufacturer of a tracked device is told of (21 CFR 821.30).
NOTIFIED_EVENTS = (
    "receipt",
    "customer_return",
    "delivery",
    "vendor_return",
    "scrap",
    "implant",
    "explant",
    "device_return",
    "death",
    "retirement",
)
# The dated events of 821.30(a)(5) and (b)(7), column by column.
DATED_EVENTS = {
    "explant_date": ("explant",),
    "death_date": ("death",),
    "return_date": ("customer_return", "device_return", "vendor_return"),
    "retirement_date": ("scrap", "retirement"),
}
PATIENT_COLUMNS = ("patient_name", "patient_address", "patient_phone", "patient_ssn")
# Cells a spreadsheet would run as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SerialRegisterNotificationWizard(models.TransientModel):
    _name = "serial.register.notification.wizard"
    _description = "Manufacturer Notification of Tracked Devices"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    manufacturer_id = fields.Many2one(
        "res.partner",
        required=True,
        help="Manufacturer of the tracked devices (the Manufacturer of their product).",
    )
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    def _serial_notification_domain(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The start date must come before the end date."))
        company = self.company_id
        try:
            start = company._serial_day_start_utc(self.date_from)
            end = company._serial_day_start_utc(fields.Date.add(self.date_to, days=1))
        except OverflowError:
            # Year 1 east of UTC, or the day after 9999-12-31.
            raise UserError(
                self.env._(
                    "The dates %(date_from)s to %(date_to)s are out of range.",
                    date_from=self.date_from,
                    date_to=self.date_to,
                )
            ) from None
        return [
            ("company_id", "=", company.id),
            ("register_kind", "=", "medical_device"),
            ("entry_type", "!=", "correction"),
            ("event", "in", NOTIFIED_EVENTS),
            ("product_id.serial_device_tracked", "=", True),
            ("product_id.serial_manufacturer_id", "=", self.manufacturer_id.id),
            ("date", ">=", start),
            ("date", "<", end),
        ]

    def _serial_notification_headers(self, officer):
        _ = self.env._
        headers = {
            "event": _("Event"),
            "event_date": _("Event Date"),
            "distributor_name": _("Distributor Name"),
            "distributor_address": _("Distributor Address"),
            "udi": _("UDI"),
            "udi_di": _("UDI-DI"),
            "model": _("Model"),
            "lot": _("Lot"),
            "serial": _("Serial Number"),
            "expiry": _("Expiry Date"),
            "manufactured": _("Manufacturing Date"),
            "received_from": _("Received From"),
            "shipped_to_name": _("Shipped To: Name"),
            "shipped_to_address": _("Shipped To: Address"),
            "end_use": _("End Use"),
        }
        if officer:
            headers.update(
                {
                    "patient_name": _("Patient Name"),
                    "patient_address": _("Patient Address"),
                    "patient_phone": _("Patient Telephone"),
                    "patient_ssn": _("Patient SSN"),
                    "patient_data_released": _("Patient Data Released"),
                    "date_provided": _("Date Provided"),
                    "prescriber_name": _("Prescribing Physician"),
                    "prescriber_address": _("Prescribing Physician Address"),
                    "prescriber_phone": _("Prescribing Physician Telephone"),
                    "follower_name": _("Following Physician"),
                    "follower_address": _("Following Physician Address"),
                    "follower_phone": _("Following Physician Telephone"),
                    "explanter_name": _("Explanting Physician"),
                    "explanter_address": _("Explanting Physician Address"),
                    "explanter_phone": _("Explanting Physician Telephone"),
                }
            )
        headers.update(
            {
                "explant_date": _("Explant Date"),
                "death_date": _("Date of Death"),
                "return_date": _("Return Date"),
                "retirement_date": _("Retirement or Disposal Date"),
                "corrected": _("Corrected"),
            }
        )
        return headers

    def _serial_notification_rows(self, entries, officer):
        """One row per event; a corrected line gives its last correction's values."""
        company = self.company_id
        company_address = company.partner_id._serial_register_snapshot().get("partner_address")
        corrections = self.env["serial.register.entry"].search(
            [("corrects_entry_id", "in", entries.ids)], order="sequence"
        )
        latest = {c.corrects_entry_id.id: c for c in corrections}
        events = dict(entries._fields["event"]._description_selection(self.env))
        end_uses = dict(entries._fields["end_use"]._description_selection(self.env))
        refused = self.env._("not released (21 CFR 821.55(a))")
        rows = []
        for entry in entries:
            values = latest.get(entry.id, entry)
            day = company._serial_local_date(values.date)
            acquisition = entry.side == "acquisition"
            row = {
                "event": events.get(entry.event, entry.event),
                "event_date": day,
                "distributor_name": company.name,
                "distributor_address": company_address or "",
                "udi": values.udi,
                "udi_di": values.udi_di,
                "model": values.model,
                "lot": values.udi_lot,
                "serial": values.serial,
                "expiry": values.udi_expiry,
                "manufactured": values.udi_manufactured,
                "received_from": values.partner_name if acquisition else "",
                "shipped_to_name": "" if acquisition else values.partner_name,
                "shipped_to_address": "" if acquisition else values.partner_address,
                "end_use": end_uses.get(values.end_use, ""),
                "corrected": self.env._("yes") if entry.id in latest else "",
            }
            for column, column_events in DATED_EVENTS.items():
                row[column] = day if entry.event in column_events else ""
            if officer:
                row.update(self._serial_notification_end_user(values, refused))
            rows.append({key: self._serial_csv_cell(value) for key, value in row.items()})
        return rows

    def _serial_notification_end_user(self, values, refused):
        """The officer-only columns of one line (read without sudo: the field groups
        refuse them to anyone else)."""
        has_patient = any(values[fname] for fname in PATIENT_COLUMNS)
        row = {
            "patient_data_released": ""
            if not has_patient and values.patient_data_released
            else (self.env._("yes") if values.patient_data_released else self.env._("no")),
            "date_provided": values.date_provided,
        }
        for fname in PATIENT_COLUMNS:
            row[fname] = values[fname] if values.patient_data_released else refused
        for who in ("prescriber", "follower", "explanter"):
            for part in ("name", "address", "phone"):
                fname = f"{who}_{part}"
                row[fname] = values[fname]
        return row

    def _serial_csv_cell(self, value):
        if value is None or value is False:
            return ""
        value = fields.Date.to_string(value) if hasattr(value, "strftime") else str(value)
        if value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        return value

    def _serial_notification_csv(self):
        self.ensure_one()
        officer = self.env.user.has_group(OFFICER)
        entries = self.env["serial.register.entry"].search(
            self._serial_notification_domain(), order="date, sequence"
        )
        headers = self._serial_notification_headers(officer)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(headers))
        writer.writerow(headers)
        writer.writerows(self._serial_notification_rows(entries, officer))
        return buffer.getvalue().encode()

    def action_export_csv(self):
        self.ensure_one()
        content = self._serial_notification_csv()
        maker = self.manufacturer_id.id
        name = f"manufacturer_notification_{maker}_{self.date_from}_{self.date_to}.csv"
        # Linked to the wizard: only its creator can download it.
        self.attachment_id = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }
