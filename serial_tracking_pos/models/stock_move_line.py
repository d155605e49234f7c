from odoo import api, models

from odoo.addons.serial_tracking.tools import cursor_stack

from .stock_picking import SELLING_KEY


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _serial_lines_leaving(self):
        if self.env["stock.picking"]._serial_pos_held().get("line_ids"):
            # A picking held at synchronisation is not validated: its blocked units
            # are refused when a user validates it, not while the paid order is saved.
            return self.browse()
        return super()._serial_lines_leaving()

    def _serial_pos_order(self):
        """The POS order that sold or took back this line's unit, if any."""
        self.ensure_one()
        if self.picking_id.pos_order_id:
            return self.picking_id.pos_order_id
        orders = self._serial_pos_orders()
        sold = self.location_id.usage == "internal"
        key = self._serial_pos_key(self.product_id.id, self.lot_id.name, sold)
        return self.env["pos.order"].browse(orders.get(key, ()))

    @api.model
    def _serial_pos_orders(self):
        """``{key: pos.order id}`` of the POS lines whose picking is being created and
        validated (see ``stock.picking._serial_pos_selling``), else empty."""
        return cursor_stack.current(self.env.cr, SELLING_KEY, {})

    @api.model
    def _serial_pos_key(self, product_id, serial, sold):
        return f"{product_id}|{int(sold)}|{serial}"

    def _serial_customers(self):
        customers = super()._serial_customers()
        if not self._serial_from_till():
            return customers
        for ml in self:
            if ml.id not in customers:
                partner = ml._serial_pos_order().partner_id
                if partner:
                    customers[ml.id] = partner
        return customers

    def _serial_from_till(self):
        """Whether some lines of ``self`` may belong to POS orders (cheap check)."""
        return bool(self._serial_pos_orders() or self.picking_id.pos_order_id)

    def _serial_warranty_lines(self, customers):
        lines = super()._serial_warranty_lines(customers)
        if not self._serial_from_till():
            return lines
        # A till sells to passers-by too: their units get their coverage without an
        # owner, who may register the unit later.
        return lines | self.filtered(
            lambda ml: (
                ml.id not in customers
                and ml.product_id.serial_warranty_term_id
                and ml._serial_pos_order()
            )
        )

    def _serial_warranty_vals_list(self, partner, pending):
        if not self._serial_from_till():
            return super()._serial_warranty_vals_list(partner, pending)
        at_till = self.filtered(lambda ml: ml._serial_pos_order() and not ml.move_id.sale_line_id)
        vals_list = super(StockMoveLine, self - at_till)._serial_warranty_vals_list(
            partner, pending
        )
        return vals_list + [ml._serial_till_warranty_vals(partner) for ml in at_till]

    def _serial_till_warranty_vals(self, partner):
        """Values of the standard coverage of this line's unit, sold at the till: the
        order is the sale, its receipt the proof of purchase."""
        self.ensure_one()
        order = self._serial_pos_order()
        term = self.product_id.serial_warranty_term_id
        company = self.company_id
        date_start = company._serial_local_date(self.date)
        extra = {"picking_id": self.picking_id.id}
        if term.start_trigger == "sale":
            date_start = company._serial_local_date(order.date_order)
        elif term.start_trigger == "invoice":
            invoice = order.account_move.filtered(lambda move: move.state == "posted")
            if invoice:
                date_start = invoice.invoice_date
                extra["invoice_id"] = invoice.id
            else:
                date_start = company._serial_local_date(order.date_order)
        return self.env["serial.warranty"]._serial_prepare_vals(
            term,
            self.product_id,
            date_start,
            lot=self.lot_id,
            partner=partner,
            company=company,
            **extra,
        )
