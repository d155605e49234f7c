from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_transaction_ref = fields.Char(
        string="Form 4473 Number",
        copy=False,
        tracking=True,
        help="Transaction number of the Form 4473 of a delivery of firearms to a "
        "non-licensee; written in the register.",
    )
    serial_register_needs_ref = fields.Boolean(
        compute="_compute_serial_register_needs_ref",
        help="Delivery of firearms to a partner without a license number.",
    )

    serial_register_entry_count = fields.Integer(
        compute="_compute_serial_register_entry_count", string="Register Lines"
    )

    def _compute_serial_register_entry_count(self):
        counts = dict(
            self.env["serial.register.entry"]._read_group(
                [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]
            )
        )
        for picking in self:
            picking.serial_register_entry_count = counts.get(picking, 0)

    def _compute_serial_register_needs_ref(self):
        for picking in self:
            picking.serial_register_needs_ref = picking._serial_register_needs_ref()

    def _serial_register_needs_ref(self):
        self.ensure_one()
        return (
            self.location_dest_id.usage == "customer"
            and any(p.serial_register_kind == "firearm" for p in self.move_ids.product_id)
            and not (self.partner_id and self.partner_id._serial_register_license())
        )

    def _action_done(self):
        missing = self.filtered(
            lambda p: (
                not (p.serial_transaction_ref or "").strip() and p._serial_register_needs_ref()
            )
        )
        if missing:
            raise UserError(
                self.env._(
                    "Firearms delivered to a partner without a license number need the "
                    "Form 4473 transaction number: fill in Form 4473 Number on %(pickings)s.",
                    pickings=", ".join(missing.mapped("name")),
                )
            )
        return super()._action_done()

    def action_serial_register_entries(self):
        """The book lines this transfer wrote."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_tracking_register.serial_register_entry_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        return action

    def _serial_register_schedule_3310(self, lots, day):
        """Activity to file Form 3310.4 by close of business of ``day``, naming ``lots``."""
        self.ensure_one()
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=day,
            summary=self.env._("File ATF Form 3310.4 (multiple handgun sale)"),
            note=self.env._(
                "%(partner)s received %(count)s handguns within 5 business days: %(serials)s",
                partner=self.partner_id.commercial_partner_id.display_name,
                count=len(lots),
                serials=", ".join(lots.sorted("name").mapped("name")),
            ),
            user_id=self.user_id.id or self.env.user.id,
        )
