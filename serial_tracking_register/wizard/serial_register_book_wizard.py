import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError


class SerialRegisterBookWizard(models.TransientModel):
    _name = "serial.register.book.wizard"
    _description = "Print or Export the Register"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    register_kind = fields.Selection(
        [("firearm", "Firearms"), ("medical_device", "Medical Devices")],
        required=True,
        default="firearm",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        domain="[('serial_register_kind', '=', register_kind)]",
        help="Only the lines of these products (all when empty).",
    )
    view = fields.Selection(
        [
            ("both", "Originals and Corrections"),
            ("originals", "Originals Only"),
            ("corrections", "Corrections Only"),
        ],
        required=True,
        default="both",
    )

    def _serial_book_domain(self):
        self.ensure_one()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The start date must come before the end date."))
        company = self.company_id
        domain = [("company_id", "=", company.id), ("register_kind", "=", self.register_kind)]
        try:
            if self.date_from:
                domain.append(("date", ">=", company._serial_day_start_utc(self.date_from)))
            if self.date_to:
                end = fields.Date.add(self.date_to, days=1)
                domain.append(("date", "<", company._serial_day_start_utc(end)))
        except OverflowError:
            # Year 1 east of UTC, or the day after 9999-12-31.
            raise UserError(
                self.env._(
                    "The dates %(date_from)s to %(date_to)s are out of range.",
                    date_from=self.date_from or "",
                    date_to=self.date_to or "",
                )
            ) from None
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        if self.view == "originals":
            domain.append(("entry_type", "!=", "correction"))
        elif self.view == "corrections":
            domain.append(("entry_type", "=", "correction"))
        return domain

    def _serial_book_entries(self):
        return self.env["serial.register.entry"].search(
            self._serial_book_domain(), order="sequence"
        )

    def _serial_book_rows(self, entries):
        """The lines of the book as text: acquisition side, then disposition side."""
        if self.register_kind == "medical_device":
            return self._serial_book_rows_medical(entries)
        entry_types = dict(entries._fields["entry_type"]._description_selection(self.env))
        rows = []
        for entry in entries:
            side = entry.side
            source = side == "acquisition"
            rows.append(
                {
                    "number": entry.sequence,
                    "type": entry_types[entry.entry_type],
                    "corrects": entry.corrects_entry_id.sequence or "",
                    "manufacturer": entry.manufacturer or "",
                    "importer": entry.importer or "",
                    "model": entry.model or "",
                    "serial": entry.serial or "",
                    "firearm_type": entry.firearm_type or "",
                    "caliber": entry.caliber or "",
                    "acq_date": fields.Date.to_string(entry.date) if source else "",
                    "acq_name": entry.partner_name or "" if source else "",
                    "acq_address": entry.license_number or entry.partner_address or ""
                    if source
                    else "",
                    "disp_date": fields.Date.to_string(entry.date) if not source else "",
                    "disp_name": entry.partner_name or "" if not source else "",
                    "disp_address": entry.license_number
                    or entry.transaction_ref
                    or entry.partner_address
                    or ""
                    if not source
                    else "",
                    "reason": entry.reason or "",
                }
            )
        return rows

    def _serial_book_rows_medical(self, entries):
        """The lines of the medical device book: where each unit came from or went,
        identified by its UDI. End-user data (patients, physicians) never appears
        here: it is the officers' alone and the book is every register reader's."""
        entry_types = dict(entries._fields["entry_type"]._description_selection(self.env))
        events = dict(entries._fields["event"]._description_selection(self.env))
        company = self.company_id
        rows = []
        for entry in entries:
            original = entry
            while original.corrects_entry_id:
                original = original.corrects_entry_id
            source = original.entry_type == "acquisition"
            name = entry.partner_name or ""
            address = entry.partner_address or ""
            rows.append(
                {
                    "number": entry.sequence,
                    "type": entry_types[entry.entry_type],
                    "corrects": entry.corrects_entry_id.sequence or "",
                    "date": fields.Date.to_string(company._serial_local_date(entry.date)),
                    "event": events.get(original.event, "") if original.event else "",
                    "manufacturer": entry.manufacturer or "",
                    "model": entry.model or "",
                    # A correction keeps the UDI of the line it corrects.
                    "udi": entry.udi or original.udi or "",
                    "from_name": name if source else "",
                    "from_address": address if source else "",
                    "to_name": name if not source else "",
                    "to_address": address if not source else "",
                    "reason": entry.reason or "",
                }
            )
        return rows

    def _serial_book_headers(self):
        _ = self.env._
        if self.register_kind == "medical_device":
            return {
                "number": _("Number"),
                "type": _("Type"),
                "corrects": _("Corrects"),
                "date": _("Date"),
                "event": _("Event"),
                "manufacturer": _("Manufacturer"),
                "model": _("Model"),
                "udi": _("UDI"),
                "from_name": _("Received From: Name"),
                "from_address": _("Received From: Address"),
                "to_name": _("Provided To: Name"),
                "to_address": _("Provided To: Address"),
                "reason": _("Remarks"),
            }
        return {
            "number": _("Number"),
            "type": _("Type"),
            "corrects": _("Corrects"),
            "manufacturer": _("Manufacturer"),
            "importer": _("Importer"),
            "model": _("Model"),
            "serial": _("Serial Number"),
            "firearm_type": _("Type of Firearm"),
            "caliber": _("Caliber or Gauge"),
            "acq_date": _("Acquisition Date"),
            "acq_name": _("Acquired From: Name"),
            "acq_address": _("Address or License"),
            "disp_date": _("Disposition Date"),
            "disp_name": _("Disposed To: Name"),
            "disp_address": _("Address, License or Form 4473"),
            "reason": _("Remarks"),
        }

    def _serial_book_csv(self):
        headers = self._serial_book_headers()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(headers))
        writer.writerow(headers)
        writer.writerows(self._serial_book_rows(self._serial_book_entries()))
        return buffer.getvalue().encode()

    def _serial_book_file_prefix(self):
        return "medical_devices_book" if self.register_kind == "medical_device" else "firearms_book"

    def action_export_csv(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self._serial_book_file_prefix()}_{self.company_id.id}.csv",
                "raw": self._serial_book_csv(),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_print(self):
        self.ensure_one()
        self._serial_book_domain()
        return self.env.ref(
            "serial_tracking_register.action_report_serial_register_book"
        ).report_action(self)
