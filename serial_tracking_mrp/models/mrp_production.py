from odoo import models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def action_serial_create_hold(self):
        return (
            self.env["serial.recall"]
            .with_context(serial_recall_kind="hold")
            .action_create_from("mrp.production", self.ids)
        )
