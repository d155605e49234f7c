from markupsafe import Markup

from odoo import api, fields, models

from .sale_order_line import DEFER_LINE_CHECK


class SaleOrder(models.Model):
    _inherit = "sale.order"

    serial_warning = fields.Html(
        compute="_compute_serial_warning",
        sanitize=False,
        help="Captured units that became blocked after they were chosen: swap them "
        "before the delivery.",
    )
    serial_has_warranty_extension = fields.Boolean(
        compute="_compute_serial_has_warranty_extension",
        help="Technical: the order sells a warranty extension (shows the column of the "
        "serials it extends).",
    )

    @api.depends(
        "state",
        "order_line.serial_open_lot_ids.serial_blocked",
        "order_line.serial_open_lot_ids.serial_block_reason",
    )
    @api.depends_context("lang")
    def _compute_serial_warning(self):
        for order in self:
            items = []
            if order.state != "cancel":
                for line in order.order_line:
                    lots = line.sudo().serial_open_lot_ids.filtered("serial_blocked")
                    items += [
                        Markup("<li>%s</li>")
                        % self.env._(
                            "%(serial)s (%(product)s): %(reason)s",
                            serial=lot.name,
                            product=line.product_id.display_name,
                            reason=lot.serial_block_reason,
                        )
                        for lot in lots
                    ]
            order.serial_warning = (
                Markup("%s<ul class='mb-0'>%s</ul>")
                % (
                    self.env._(
                        "These captured units are blocked and cannot be delivered; "
                        "replace them on the order lines:"
                    ),
                    Markup().join(items),
                )
                if items
                else False
            )

    @api.depends("order_line.serial_warranty_extension")
    def _compute_serial_has_warranty_extension(self):
        for order in self:
            order.serial_has_warranty_extension = any(
                order.order_line.mapped("serial_warranty_extension")
            )

    @api.constrains("order_line")
    def _check_serial_order_lines(self):
        self.order_line._serial_check_lines()

    @api.model_create_multi
    def create(self, vals_list):
        # Lines are checked together by the order constraint (duplicates across lines).
        orders = super(
            SaleOrder, self.with_context(serial_defer_line_check=DEFER_LINE_CHECK)
        ).create(vals_list)
        return orders.with_env(self.env)

    def write(self, vals):
        orders = (
            self.with_context(serial_defer_line_check=DEFER_LINE_CHECK)
            if "order_line" in vals
            else self
        )
        return super(SaleOrder, orders).write(vals)

    def action_confirm(self):
        self._serial_check_before_confirm()
        # Refuse bad warranty extension lines before anything is written.
        self.order_line._serial_check_warranty_extensions()
        return super().action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._serial_start_sale_warranties()
        self.order_line._serial_create_warranty_extensions()
        return res

    def _serial_check_before_confirm(self):
        """Refuse to confirm while a capture line is incomplete or holds a bad unit."""
        lines = self.order_line
        lines._serial_raise(lines._serial_capture_problems(), lines._serial_count_problems())
