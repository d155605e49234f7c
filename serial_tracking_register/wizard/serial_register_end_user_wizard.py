from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.medical_entry import END_USER_FIELDS, END_USER_KEY, END_USES


class EndUserWizard(models.TransientModel):
    _name = "serial.register.end.user.wizard"
    _description = "End User of Tracked Devices"

    picking_ids = fields.Many2many("stock.picking", string="Transfers", readonly=True)
    end_use = fields.Selection(
        END_USES,
        required=True,
        default="institution",
        help="Another distributor: no end user yet. Health institution: the end user may "
        "be unknown yet. Patient: the data 21 CFR 821.30(b) lists.",
    )
    line_ids = fields.One2many("serial.register.end.user.line", "wizard_id", string="Units")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        pickings = self.env["stock.picking"].browse(
            self.env.context.get("serial_end_user_picking_ids") or []
        )
        if pickings:
            res["picking_ids"] = [fields.Command.set(pickings.ids)]
            chosen = pickings.mapped("serial_register_end_use")
            if chosen and chosen[0]:
                res["end_use"] = chosen[0]
            lots = pickings._serial_tracked_device_lines().lot_id.sorted("name")
            res["line_ids"] = [fields.Command.create({"lot_id": lot.id}) for lot in lots]
        return res

    def _check_lines(self):
        self.ensure_one()
        if self.end_use != "patient":
            return
        missing = []
        for line in self.line_ids.filtered("patient_data_released"):
            labels = [
                label
                for fname, label in (
                    ("patient_name", self.env._("patient name")),
                    ("date_provided", self.env._("date provided")),
                    ("prescriber_name", self.env._("prescribing physician")),
                )
                if not line[fname]
            ]
            if labels:
                missing.append(f"{line.lot_id.name}: {', '.join(labels)}")
        if missing:
            raise UserError(
                self.env._(
                    "Devices provided to a patient need the patient's name, the date "
                    "provided and the prescribing physician, unless the patient refused "
                    "the release of their data:\n%(missing)s",
                    missing="\n".join(missing),
                )
            )

    def action_confirm(self):
        self.ensure_one()
        self._check_lines()
        self.picking_ids.write({"serial_register_end_use": self.end_use})
        context = {k: v for k, v in self.env.context.items() if not k.startswith("default_")}
        context.pop("serial_end_user_picking_ids", None)
        context[END_USER_KEY] = self.id
        # A new context, not a merged one: the wizard's defaults must not reach the
        # records the validation creates.
        # Every transfer of the validation goes on, not only those with tracked devices.
        pickings = self.env["stock.picking"].browse(
            context.get("button_validate_picking_ids") or self.picking_ids.ids
        )
        res = pickings.with_env(self.env(context=context)).button_validate()
        # The data is in the register now; a validation still waiting for another
        # wizard keeps it until the transient vacuum.
        if all(picking.state == "done" for picking in self.picking_ids):
            self.unlink()
        return res


class EndUserLine(models.TransientModel):
    _name = "serial.register.end.user.line"
    _description = "End User of a Tracked Device"

    wizard_id = fields.Many2one(
        "serial.register.end.user.wizard", required=True, ondelete="cascade"
    )
    lot_id = fields.Many2one("stock.lot", string="Unit", required=True, readonly=True)
    patient_name = fields.Char()
    patient_address = fields.Char()
    patient_phone = fields.Char()
    patient_ssn = fields.Char(string="Patient SSN", help="Only if available.")
    patient_data_released = fields.Boolean(
        string="Data Released",
        default=True,
        help="Untick when the patient refused the release of their data (21 CFR 821.55(a)).",
    )
    date_provided = fields.Date(default=fields.Date.context_today)
    prescriber_name = fields.Char(string="Prescribing Physician")
    prescriber_address = fields.Char()
    prescriber_phone = fields.Char()
    follower_name = fields.Char(string="Following Physician")
    follower_address = fields.Char()
    follower_phone = fields.Char()

    @api.constrains("wizard_id")
    def _check_wizard_owner(self):
        # The wizard is its creator's own: nobody adds (false) end users to the
        # delivery of another user.
        self.wizard_id.check_access("write")

    def _serial_end_user_values(self):
        """The end-user data of the line for its register entry ({} if none)."""
        self.ensure_one()
        values = {
            fname: self[fname]
            for fname in END_USER_FIELDS
            if fname in self._fields and fname != "patient_data_released" and self[fname]
        }
        if not self.patient_data_released:
            values["patient_data_released"] = False
        # The default date alone says nothing about an institution's end user.
        if set(values) - {"date_provided"}:
            return values
        return values if self.wizard_id.end_use == "patient" else {}
