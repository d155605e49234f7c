from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from .serial_warranty import covered_until


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    serial_warranty_extension = fields.Boolean(related="product_id.serial_warranty_extension")
    serial_commercial_partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id",
        string="Commercial Customer",
    )
    serial_extended_lot_ids = fields.Many2many(
        "stock.lot",
        "serial_sale_line_extended_lot_rel",
        "sale_line_id",
        "lot_id",
        string="Extended Serials",
        copy=False,
        help="Serial numbers whose warranty this extension line extends; they must be "
        "owned by the customer. One serial per unit sold.",
    )
    serial_warranty_ids = fields.One2many(
        "serial.warranty", "sale_line_id", string="Warranty Coverage", readonly=True
    )

    @api.onchange("serial_extended_lot_ids")
    def _onchange_serial_extended_lot_ids(self):
        if self.serial_warranty_extension and self.serial_extended_lot_ids:
            self.product_uom_qty = len(self.serial_extended_lot_ids)

    def _serial_check_warranty_extensions(self):
        """Raise one error listing every extension line that cannot be confirmed."""
        problems = []
        for line in self.filtered("serial_warranty_extension"):
            lots = line.serial_extended_lot_ids.sudo()
            qty = int(float_round(line.product_uom_qty, 0))
            if not lots:
                problems.append(
                    _(
                        "%(product)s: choose the serial number(s) it extends.",
                        product=line.product_id.display_name,
                    )
                )
                continue
            if len(lots) != qty:
                problems.append(
                    _(
                        "%(product)s: %(qty)s sold for %(count)s serial number(s); sell "
                        "one per serial.",
                        product=line.product_id.display_name,
                        qty=qty,
                        count=len(lots),
                    )
                )
            customer = line.order_id.partner_id.commercial_partner_id
            for lot in lots:
                if lot.serial_owner_id.commercial_partner_id != customer:
                    problems.append(
                        _(
                            "%(product)s: serial %(serial)s is not owned by %(customer)s "
                            "(owner: %(owner)s).",
                            product=line.product_id.display_name,
                            serial=lot.name,
                            customer=customer.display_name,
                            owner=lot.serial_owner_id.display_name or _("none"),
                        )
                    )
        if problems:
            raise UserError(
                _(
                    "These warranty extensions cannot be sold:\n%(lines)s",
                    lines="\n".join(f" - {problem}" for problem in problems),
                )
            )

    def _serial_start_sale_warranties(self):
        """Open the coverage of units whose term starts when the order is confirmed.

        The unit is usually not known yet: the coverage waits (``pending``) with its
        dates set and gets its unit at delivery. Serials already captured on the line
        (when another feature provides ``serial_lot_ids``) are used right away.
        """
        vals_list = []
        Warranty = self.env["serial.warranty"].sudo()
        for line in self:
            term = line.product_id.serial_warranty_term_id
            if (
                not term
                or term.start_trigger != "sale"
                or line.product_id.tracking != "serial"
                or line.serial_warranty_ids
            ):
                continue
            order = line.order_id
            date_start = order.company_id._serial_local_date(order.date_order)
            lots = line["serial_lot_ids"] if "serial_lot_ids" in line._fields else []
            qty = int(float_round(line.product_uom_qty, 0))
            units = list(lots)[:qty]
            units += [None] * (qty - len(units))
            for lot in units:
                vals_list.append(
                    Warranty._serial_prepare_vals(
                        term,
                        line.product_id,
                        date_start,
                        lot=lot,
                        partner=order.partner_id,
                        company=order.company_id,
                        sale_line_id=line.id,
                    )
                )
        return Warranty._serial_create(vals_list)

    def _serial_create_warranty_extensions(self):
        """Create the ``extension`` coverage sold by the extension lines of ``self``.

        Each extension starts the day after the unit's uninterrupted cover ends (its
        active coverage and the extensions already continuing it), or on the order
        date when nothing covers the unit: extensions chain, also within one order.
        """
        lines = self.filtered(
            lambda line: line.serial_warranty_extension and line.serial_extended_lot_ids
        )
        if not lines:
            return self.env["serial.warranty"]
        Warranty = self.env["serial.warranty"].sudo()
        lines = lines.sudo()  # salespeople sell extensions without stock rights
        lots = lines.serial_extended_lot_ids
        periods = {lot.id: [] for lot in lots}
        for warranty in Warranty.search(
            [("lot_id", "in", lots.ids), ("state", "in", ("pending", "active"))]
        ):
            periods[warranty.lot_id.id].append((warranty.date_start, warranty.date_end))
        vals_list = []
        for line in lines:
            order = line.order_id
            day = order.company_id._serial_local_date(order.date_order)
            term = line.product_id.serial_warranty_term_id
            for lot in line.serial_extended_lot_ids:
                end = covered_until(periods[lot.id], day)
                date_start = end + timedelta(days=1) if end else day
                vals = Warranty._serial_prepare_vals(
                    term,
                    lot.product_id,
                    date_start,
                    lot=lot,
                    partner=order.partner_id,
                    company=order.company_id,
                    sale_line_id=line.id,
                    origin="extension",
                )
                periods[lot.id].append((vals["date_start"], vals["date_end"]))
                vals_list.append(vals)
        created = Warranty._serial_create(vals_list)
        created._serial_log_started()  # bought by the customer: worth a line in the chatter
        return created
