from odoo import models
from odoo.exceptions import UserError


class SerialWarrantyLookup(models.TransientModel):
    _inherit = "serial.warranty.lookup"

    def action_open_repair(self):
        """Open a new repair order for the unit, customer and warranty prefilled."""
        self.ensure_one()
        if not self.lot_id:
            raise UserError(self.error or self.env._("Type or scan a serial number first."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Repair %(serial)s", serial=self.lot_id.name),
            "res_model": "repair.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._serial_repair_context(),
        }

    def _serial_repair_context(self):
        """Defaults of the repair order opened for the unit."""
        return {
            "default_product_id": self.lot_id.product_id.id,
            "default_repair_lot_id": self.lot_id.id,
            "default_partner_id": self.lot_id.serial_owner_id.id,
        }
