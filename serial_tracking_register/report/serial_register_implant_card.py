from odoo import api, models
from odoo.exceptions import UserError

OFFICER_GROUP = "serial_tracking_register.group_serial_register_officer"


class ReportSerialImplantCard(models.AbstractModel):
    """Implant card of each unit (EU MDR Art. 18, MDCG 2019-8): device, UDI,
    manufacturer, implant date and institution; the patient only for officers."""

    _name = "report.serial_tracking_register.report_serial_implant_card"
    _description = "Implant Card"

    @api.model
    def _get_report_values(self, docids, data=None):
        lots = self.env["stock.lot"].browse(docids)
        others = lots.filtered(lambda lot: not lot.product_id.serial_implantable)
        if others:
            raise UserError(
                self.env._(
                    "Implant cards are printed for implantable devices only, not for %(units)s.",
                    units=", ".join(
                        f"{lot.name} ({lot.product_id.display_name})" for lot in others
                    ),
                )
            )
        return {
            "doc_ids": lots.ids,
            "doc_model": "stock.lot",
            "docs": lots,
            "cards": {lot.id: self._card_values(lot) for lot in lots},
        }

    @api.model
    def _card_values(self, lot):
        """What the card of ``lot`` prints besides the device itself."""
        product = lot.product_id
        maker = product.serial_manufacturer_id
        original, implant = self._implant_entry(lot)
        officer = self.env.user.has_group(OFFICER_GROUP)
        maker_address = maker._display_address(without_company=True) if maker else ""
        values = {
            "model": product._register_entry_values_medical_device().get("model") or "",
            "udi": lot.serial_udi or "",
            "udi_raw": lot._serial_udi_raw(),
            "maker": self._one_line(maker.name, maker_address),
            "maker_website": maker.website or "",
            "date": False,
            "institution": "",
            "patient_name": "",
        }
        if not implant:
            return values
        company = implant.company_id
        if original.event == "implant":
            date = company._serial_local_date(implant.date)
        else:
            # The day the device was provided: an end-user field, read for the date
            # alone (no patient data leaves this method for non-officers).
            date = implant.sudo().date_provided or original.sudo().date_provided
        values.update(
            date=date,
            institution=self._one_line(implant.partner_name, implant.partner_address),
        )
        if officer:
            # Read as the officer: the field's groups decide, not this report.
            values["patient_name"] = implant.patient_name or original.patient_name or ""
        return values

    @api.model
    def _implant_entry(self, lot):
        """``(line, effective line)``: the register line telling where and when
        ``lot`` was implanted (its last ``implant`` line, else its last delivery) and
        its last correction, or itself."""
        Entry = self.env["serial.register.entry"]
        entry = Entry.search(
            [("lot_id", "=", lot.id), ("event", "=", "implant")], order="sequence desc", limit=1
        ) or Entry.search(
            [("lot_id", "=", lot.id), ("event", "=", "delivery")], order="sequence desc", limit=1
        )
        return entry, entry.correction_ids.sorted("sequence")[-1:] or entry

    @api.model
    def _one_line(self, *texts):
        """``texts`` and their lines joined with commas, empty ones left out."""
        parts = (part.strip() for text in texts for part in (text or "").splitlines())
        return ", ".join(part for part in parts if part)
