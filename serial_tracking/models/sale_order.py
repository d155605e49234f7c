from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        # Refuse bad extension lines before anything is written.
        self.order_line._serial_check_warranty_extensions()
        return super().action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._serial_start_sale_warranties()
        self.order_line._serial_create_warranty_extensions()
        return res
