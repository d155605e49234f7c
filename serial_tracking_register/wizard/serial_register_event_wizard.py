from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.medical_entry import END_USER_FIELDS

EVENTS = [
    ("implant", "Provided to Patient or Implanted"),
    ("explant", "Explanted"),
    ("device_return", "Returned by End User"),
    ("death", "Death of Patient"),
    ("retirement", "Permanently Retired or Disposed of"),
]


class SerialRegisterEventWizard(models.TransientModel):
    _name = "serial.register.event.wizard"
    _description = "Record a Tracking Event"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Units",
        required=True,
        domain="[('product_id.serial_device_tracked', '=', True)]",
    )
    event = fields.Selection(EVENTS, required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    partner_id = fields.Many2one(
        "res.partner",
        string="Institution",
        help="Health institution where the event took place (by default the unit's owner).",
    )
    note = fields.Char(help="Written as the reason of the register lines.")
    patient_name = fields.Char()
    patient_address = fields.Char()
    patient_phone = fields.Char()
    patient_ssn = fields.Char(string="Patient SSN", help="Only if available.")
    patient_data_released = fields.Boolean(
        string="Data Released",
        default=True,
        help="Untick when the patient refused the release of their data (21 CFR 821.55(a)).",
    )
    date_provided = fields.Date()
    prescriber_name = fields.Char(string="Prescribing Physician")
    prescriber_address = fields.Char()
    prescriber_phone = fields.Char()
    follower_name = fields.Char(string="Following Physician")
    follower_address = fields.Char()
    follower_phone = fields.Char()
    explanter_name = fields.Char(string="Explanting Physician")
    explanter_address = fields.Char()
    explanter_phone = fields.Char()

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "stock.lot" and "lot_ids" in fields_list:
            lot_ids = self.env.context.get("active_ids") or []
            res["lot_ids"] = [fields.Command.set(lot_ids)]
            owners = self.env["stock.lot"].browse(lot_ids).serial_owner_id
            if len(owners) == 1 and "partner_id" in fields_list:
                res["partner_id"] = owners.id
        return res

    @api.onchange("event", "date")
    def _onchange_event(self):
        if self.event == "implant" and not self.date_provided:
            self.date_provided = self.date

    def _check_event(self):
        self.ensure_one()
        self.env["serial.register.entry"]._check_officer()
        if self.date > fields.Date.context_today(self):
            raise UserError(self.env._("A tracking event cannot be dated in the future."))
        try:
            self.company_id._serial_day_start_utc(self.date)
        except OverflowError:
            # Year 1 east of UTC.
            raise UserError(
                self.env._("The date %(date)s is out of range.", date=self.date)
            ) from None
        untracked = self.lot_ids.filtered(
            lambda lot: (
                lot.product_id.serial_register_kind != "medical_device"
                or not lot.product_id.serial_device_tracked
            )
        )
        if untracked:
            raise UserError(
                self.env._(
                    "Tracking events are recorded for tracked medical devices only: %(units)s",
                    units=", ".join(untracked.mapped("display_name")),
                )
            )
        # Units shared between companies: each book tells the story of its own units.
        known = (
            self.env["serial.register.entry"]
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("register_kind", "=", "medical_device"),
                    ("lot_id", "in", self.lot_ids.ids),
                ]
            )
            .lot_id
        )
        strangers = self.lot_ids - known
        if strangers:
            raise UserError(
                self.env._(
                    "These units are not in the medical device book of %(company)s: %(units)s",
                    company=self.company_id.name,
                    units=", ".join(strangers.mapped("display_name")),
                )
            )

    def _entry_values(self, lot, snapshots):
        self.ensure_one()
        product = lot.product_id
        if ("product", product.id) not in snapshots:
            snapshots["product", product.id] = product._register_entry_values_medical_device()
        company = self.company_id
        date = (
            fields.Datetime.now()
            if self.date == fields.Date.context_today(self)
            else company._serial_day_start_utc(self.date)
        )
        vals = {
            "company_id": company.id,
            "register_kind": "medical_device",
            "entry_type": "tracking",
            "event": self.event,
            "date": date,
            "lot_id": lot.id,
            "product_id": product.id,
            "serial": lot.name,
            "reason": self.note or False,
            **self.partner_id._serial_register_snapshot(),
            **snapshots["product", product.id],
            **lot._register_entry_values_unit("medical_device"),
        }
        if self.event == "implant":
            vals["end_use"] = "patient"
        vals.update({fname: self[fname] for fname in END_USER_FIELDS if self[fname]})
        if not self.patient_data_released:
            vals["patient_data_released"] = False
        return vals

    def action_confirm(self):
        self.ensure_one()
        self._check_event()
        snapshots = {}
        vals_list = [self._entry_values(lot, snapshots) for lot in self.lot_ids]
        entries = self.env["serial.register.entry"].sudo()._append(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tracking Events"),
            "res_model": "serial.register.entry",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
        }
