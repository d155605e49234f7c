from odoo import api, fields, models
from odoo.exceptions import UserError


class SerialWarrantyLookup(models.TransientModel):
    _inherit = "serial.warranty.lookup"

    unit_at_customer = fields.Boolean(
        compute="_compute_unit_at_customer",
        help="The unit is at a customer's: a repair takes it back first, with a return "
        "of the delivery that shipped it.",
    )

    @api.depends("lot_id")
    def _compute_unit_at_customer(self):
        for wizard in self:
            wizard.unit_at_customer = wizard.lot_id.location_id.usage == "customer"

    def action_open_repair(self):
        """Open a repair order for the unit, starting from where the unit is.

        A unit at a customer's is taken back first, as Odoo's returns for repair do:
        the return of its delivery, validated at the desk (the customer hands the unit
        over), is the repair's *Return*, and the repair starts where it put the unit.
        """
        self.ensure_one()
        lot = self.lot_id
        if not lot:
            raise UserError(self.error or self.env._("Type or scan a serial number first."))
        if lot.serial_loss_state != "none":
            raise UserError(
                self.env._(
                    "%(serial)s is registered as %(state)s: keep the unit and call a "
                    "Serial Tracking manager.",
                    serial=lot.name,
                    state=lot._serial_loss_label(lot.serial_loss_state),
                )
            )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Repair %(serial)s", serial=lot.name),
            "res_model": "repair.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
        if self.unit_at_customer:
            action["res_id"] = self._serial_receive_for_repair().id
        else:
            action["context"] = self._serial_repair_context()
        return action

    def _serial_repair_context(self):
        """Defaults of the repair order opened for a unit in the house."""
        lot = self.lot_id
        context = {
            "default_product_id": lot.product_id.id,
            "default_repair_lot_id": lot.id,
            "default_partner_id": lot.serial_owner_id.id,
        }
        location = lot.location_id
        if location.usage == "internal":
            # Odoo confirms a repair only when the unit is where it starts from.
            context["default_product_location_src_id"] = location.id
            repair_type = location.warehouse_id.repair_type_id
            if repair_type:
                context["default_picking_type_id"] = repair_type.id
        return context

    def _serial_receive_for_repair(self):
        """Take the unit back from its customer for a repair; return the repair order.

        The repair is created before the return is validated: a return for a repair
        keeps the unit's coverage (see ``stock.lot._serial_returns_keeping_coverage``).
        """
        delivery_line = self._serial_repair_delivery_line()
        return_picking = self._serial_create_return(delivery_line)
        repair = self.env["repair.order"].create(
            self._serial_repair_vals(return_picking, delivery_line)
        )
        return_picking.button_validate()
        return repair

    def _serial_repair_delivery_line(self):
        """The done move line that took the unit to the customer, in a transfer that
        returns it into the house (the return of a dropship does not)."""
        lot = self.lot_id
        line = self.env["stock.move.line"].search(
            [
                ("lot_id", "=", lot.id),
                ("state", "=", "done"),
                ("location_dest_id", "=", lot.location_id.id),
                ("location_id.usage", "!=", "customer"),
                ("picking_id", "!=", False),
            ],
            order="date desc, id desc",
            limit=1,
        )
        if line:
            return_vals = self.env["stock.return.picking"]._prepare_picking_default_values_based_on(
                line.picking_id
            )
            destination = self.env["stock.location"].browse(return_vals["location_dest_id"])
            if destination.usage == "internal":
                return line
        raise UserError(
            self.env._(
                "%(serial)s is at %(location)s but no delivery to return took it there: "
                "receive it into stock first, then open the repair order.",
                serial=lot.name,
                location=lot.location_id.display_name,
            )
        )

    def _serial_create_return(self, delivery_line):
        """A return of this unit alone from ``delivery_line``'s transfer, ready to
        validate; it does not change the quantities delivered on the sales order."""
        lot = self.lot_id
        wizard = self.env["stock.return.picking"].create(
            {"picking_id": delivery_line.picking_id.id}
        )
        for line in wizard.product_return_moves:
            line.quantity = 1 if line.move_id == delivery_line.move_id else 0
            line.to_refund = False  # a repair is no refund
        action = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        move = return_picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            dict(move._prepare_move_line_vals(quantity=1), lot_id=lot.id, picked=True)
        )
        move.picked = True
        return return_picking

    def _serial_repair_vals(self, return_picking, delivery_line):
        """Values of the repair order of the unit taken back by ``return_picking``."""
        lot = self.lot_id
        vals = {
            "product_id": lot.product_id.id,
            "lot_id": lot.id,
            "partner_id": (lot.serial_owner_id or delivery_line.picking_id.partner_id).id,
            "picking_id": return_picking.id,
            "product_location_src_id": return_picking.location_dest_id.id,
        }
        repair_type = return_picking.picking_type_id.warehouse_id.repair_type_id
        if repair_type:
            vals["picking_type_id"] = repair_type.id
        return vals
