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
        if self.date_from:
            domain.append(("date", ">=", company._serial_day_start_utc(self.date_from)))
        if self.date_to:
            end = fields.Date.add(self.date_to, days=1)
            domain.append(("date", "<", company._serial_day_start_utc(end)))
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

    def _serial_book_headers(self):
        _ = self.env._
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

    def action_export_csv(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"firearms_book_{self.company_id.id}.csv",
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
