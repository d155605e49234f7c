from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class SerialTransferWizard(models.TransientModel):
    _name = "serial.transfer.wizard"
    _description = "Transfer Serial Units to a New Owner"

    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers", required=True)
    partner_id = fields.Many2one("res.partner", string="New Owner", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Char(help="Second-hand sale reference, circumstances...")
    warranty_info = fields.Text(compute="_compute_warranty_info", string="Warranty")

    @api.depends("lot_ids")
    def _compute_warranty_info(self):
        for wizard in self:
            lines = []
            for warranty in wizard.lot_ids.sudo().serial_warranty_ids:
                if warranty.state not in ("pending", "active"):
                    continue
                lines.append(
                    self.env._(
                        "%(serial)s: %(term)s until %(end)s - %(fate)s",
                        serial=warranty.lot_id.name,
                        term=warranty.term_id.name,
                        end=format_date(self.env, warranty.date_end),
                        fate=self.env._("follows the unit")
                        if warranty.transferable
                        else self.env._("will be voided"),
                    )
                )
            wizard.warranty_info = "\n".join(lines) or False

    def action_confirm(self):
        self.ensure_one()
        problems = []
        new_owner = self.partner_id.commercial_partner_id
        for lot in self.lot_ids:
            if not lot.serial_owner_id:
                problems.append(
                    self.env._(
                        " - %(serial)s: not at a customer, nothing to transfer", serial=lot.name
                    )
                )
            elif lot.serial_owner_id.commercial_partner_id == new_owner:
                problems.append(
                    self.env._(
                        " - %(serial)s: already owned by %(owner)s",
                        serial=lot.name,
                        owner=new_owner.display_name,
                    )
                )
        date = fields.Datetime.to_datetime(self.date)
        if self.date == fields.Date.context_today(self):
            date = fields.Datetime.now()
        current = (
            self.env["serial.ownership"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.lot_ids.ids),
                    ("date_end", "=", False),
                    ("date_start", ">", date),
                ]
            )
        )
        for ownership in current:
            problems.append(
                self.env._(
                    " - %(serial)s: owned by %(owner)s since %(since)s, after the transfer date",
                    serial=ownership.lot_id.name,
                    owner=ownership.partner_id.display_name,
                    since=format_date(self.env, ownership.date_start),
                )
            )
        if problems:
            raise UserError(
                self.env._(
                    "These units cannot be transferred:\n%(lines)s", lines="\n".join(problems)
                )
            )
        self.lot_ids._serial_transfer_ownership(
            {lot.id: self.partner_id for lot in self.lot_ids},
            "transfer",
            date=date,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}
