from odoo import fields, models
from odoo.exceptions import UserError

from .medical_entry import END_USER_KEY, END_USES


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

    serial_register_end_use = fields.Selection(
        END_USES,
        string="End Use",
        copy=False,
        tracking=True,
        help="Who the tracked medical devices of this delivery go to.",
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
        without_wizard = not self.env.context.get(END_USER_KEY) and any(
            self.move_ids.product_id.mapped("serial_device_tracked")
        )
        res = super()._action_done()
        if without_wizard:
            pickings = self.filtered(lambda p: p._serial_register_asks_end_user())
            lines = pickings.move_line_ids.filtered(
                lambda ml: (
                    ml.state == "done"
                    and ml.lot_id
                    and ml.product_id.serial_register_kind == "medical_device"
                    and ml.product_id.serial_device_tracked
                    and ml.location_dest_id.usage == "customer"
                    and ml.location_id.usage != "customer"
                )
            )
            lines._serial_register_ask_end_user()
        return res

    def _serial_tracked_device_lines(self):
        """Move lines of ``self`` taking units of tracked medical devices to customers."""
        return self.move_ids.move_line_ids.filtered(
            lambda ml: (
                ml.lot_id
                and ml.product_id.serial_register_kind == "medical_device"
                and ml.product_id.serial_device_tracked
                and ml.location_dest_id.usage == "customer"
                and ml.location_id.usage != "customer"
                and ml.picked
            )
        )

    def _pre_action_done_hook(self):
        # Expired devices first: product_expiry's "deliver anyway?" wizard (in super)
        # must never be offered for them.
        self._serial_lines_to_validate()._serial_check_not_expired()
        res = super()._pre_action_done_hook()
        if res is not True or self.env.context.get(END_USER_KEY):
            return res
        pickings = self.filtered(
            lambda p: p._serial_register_asks_end_user() and p._serial_tracked_device_lines()
        )
        if pickings:
            return pickings._serial_action_end_user_wizard()
        return res

    def _serial_register_asks_end_user(self):
        """Whether the end user of the tracked devices is still to be given: a delivery
        set beforehand to another distributor or to an institution (end user not known
        yet) needs nothing more."""
        self.ensure_one()
        return self.serial_register_end_use not in ("distributor", "institution")

    def _serial_action_end_user_wizard(self):
        """The wizard that asks for the end user of the tracked devices delivered."""
        # Keep the context of the validation (skip_backorder...), not its defaults.
        context = {k: v for k, v in self.env.context.items() if not k.startswith("default_")}
        context["serial_end_user_picking_ids"] = self.ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("End User of Tracked Devices"),
            "res_model": "serial.register.end.user.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

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

    def _serial_lines_to_validate(self):
        """The move lines a validation will do: the picked ones, or all of a picking
        where nothing is picked (core's rule in the same hook)."""
        lines = self.env["stock.move.line"]
        for picking in self:
            lines |= picking.move_line_ids.filtered("picked") or picking.move_line_ids
        return lines
