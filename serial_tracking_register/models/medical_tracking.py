from odoo import fields, models
from odoo.exceptions import UserError

from .medical_entry import END_USES, OFFICER

END_USER_KEY = "serial_register_end_user_id"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_register_end_use = fields.Selection(
        END_USES,
        string="End Use",
        copy=False,
        tracking=True,
        help="Who the tracked medical devices of this delivery go to.",
    )

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

    def _action_done(self):
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


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _serial_register_entry_values(self, entry_type, event, cache=None):
        vals = super()._serial_register_entry_values(entry_type, event, cache)
        if vals.get("register_kind") != "medical_device" or event != "delivery":
            return vals
        if not self.product_id.serial_device_tracked:
            return vals
        cache = {} if cache is None else cache
        if "end_user_lines" not in cache:
            cache["end_user_lines"] = self._serial_register_end_user_lines()
        end_use, lines = cache["end_user_lines"]
        end_use = end_use or self.picking_id.serial_register_end_use
        vals["end_use"] = end_use or False
        line = lines.get(self.lot_id.id)
        if line and end_use in ("institution", "patient"):
            vals.update(line._serial_end_user_values())
        return vals

    def _serial_register_end_user_lines(self):
        """``(end_use, {lot_id: wizard line})`` of the end-user wizard of the context."""
        wizard_id = self.env.context.get(END_USER_KEY)
        if not wizard_id:
            return False, {}
        # The lines are the validating user's own input: read them without the
        # officer group, which they do not need to type patient data in.
        wizard = self.env["serial.register.end.user.wizard"].sudo().browse(wizard_id).exists()
        if not wizard or wizard.create_uid.id != self.env.uid:
            raise UserError(self.env._("The end-user data of this delivery is not yours."))
        return wizard.end_use, {line.lot_id.id: line for line in wizard.line_ids}

    def _serial_register_ask_end_user(self):
        """Units delivered without their end user (RPC, imports): an activity asks the
        Register Officers to record it, naming only the unit."""
        if not self:
            return
        summary = self.env._("Record the end user of this tracked device")
        for ml in self:
            lot = ml.lot_id.sudo()
            if lot.activity_ids.filtered(lambda a, s=summary: a.summary == s):
                continue
            lot.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                note=self.env._(
                    "%(serial)s (%(product)s) was delivered by %(reference)s without its "
                    "end user: record it with a tracking event or a correction of the "
                    "delivery line.",
                    serial=lot.name,
                    product=ml.product_id.display_name,
                    reference=ml.reference or "-",
                ),
                user_id=ml._serial_register_officer().id,
            )

    def _serial_register_officer(self):
        """The Register Officer the follow-up of this line goes to."""
        self.ensure_one()
        officers = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(OFFICER).id),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.id),
                ],
                order="id",
            )
        )
        responsible = self.picking_id.user_id
        if responsible in officers:
            return responsible
        return officers[:1] or self.env.user
