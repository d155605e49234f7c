from odoo import api, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def _serial_blocked_dest_usages(self):
        """Destinations a blocked unit may not go to (sold, delivered or consumed).

        Internal transfers (quarantine), returns to the vendor and scrapping stay
        possible: they are how blocked units get dealt with.
        """
        return ("customer", "production")

    def _serial_lines_leaving(self):
        usages = self._serial_blocked_dest_usages()
        # Destinations first: a receipt's thousands of lines share one or two.
        leaving = set(self.location_dest_id.filtered(lambda loc: loc.usage in usages).ids)
        if not leaving:
            return self.browse()
        return self.filtered(lambda ml: ml.location_dest_id.id in leaving and ml.lot_id)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._serial_lines_leaving().lot_id._serial_check_not_blocked(
            self.env._("reserved or delivered")
        )
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"lot_id", "location_dest_id"} & set(vals):
            self._serial_lines_leaving().lot_id._serial_check_not_blocked(
                self.env._("reserved or delivered")
            )
        return res

    @api.onchange("lot_name", "lot_id")
    def _onchange_serial_number(self):
        # Odoo's Detailed Operations dialog: say what is wrong with a typed serial when
        # the line is edited, not only when the transfer is validated.
        res = super()._onchange_serial_number()
        problem = self._serial_line_problem()
        if problem and not res.get("warning"):
            res["warning"] = {"title": self.env._("Serial number refused"), "message": problem}
        return res

    def _serial_new_lot_company(self):
        """Company of the lot validation will create for this line's ``lot_name``.

        Core builds that lot from ``_prepare_new_lot_vals`` and lets ``stock.lot``
        compute what is missing: ask both rather than copying their rules.
        """
        self.ensure_one()
        return self.env["stock.lot"].new(self._prepare_new_lot_vals()).company_id

    def _serial_line_problem(self):
        """What is wrong with the serial typed or chosen on this line, or ``False``."""
        self.ensure_one()
        if self.product_id.tracking != "serial":
            return False
        Lot = self.env["stock.lot"]
        if self.lot_name and not self.lot_id:
            company = self._serial_new_lot_company()
            problems = Lot._serial_check_names(self.product_id, [self.lot_name], company)
            if problems:
                return self.env._(
                    "%(serial)s: %(reason)s", serial=self.lot_name, reason=problems[0][1]
                )
        if self.lot_id and self.location_dest_id.usage in self._serial_blocked_dest_usages():
            lot = self.lot_id
            if lot.serial_blocked:
                return self.env._(
                    "%(serial)s is blocked: %(reason)s",
                    serial=lot.name,
                    reason=lot.serial_block_reason,
                )
        return False

    def _serial_after_done(self):
        """Update units after their move lines are done: checks, state, ownership."""
        self._serial_check_done_lines()
        lots = self.lot_id
        lots._serial_refresh_state()
        self._serial_update_ownership()
        self._serial_update_warranties()

    def _serial_check_done_lines(self):
        self._serial_lines_leaving().lot_id._serial_check_not_blocked(self.env._("delivered"))
        stock_usages = ("internal", "transit")
        outside = set(self.location_id.filtered(lambda loc: loc.usage not in stock_usages).ids)
        inside = set(self.location_dest_id.filtered(lambda loc: loc.usage in stock_usages).ids)
        if not (outside and inside):
            return
        incoming = self.filtered(
            lambda ml: ml.location_id.id in outside and ml.location_dest_id.id in inside
        )
        incoming.lot_id._serial_check_not_lost()

    def _serial_last_lines(self):
        """``{lot_id: line}``: the latest line (by date, then id) of each unit of ``self``."""
        last_line = {}
        for ml in self.sorted(lambda ml: (ml.date, ml.id)):
            last_line[ml.lot_id.id] = ml
        return last_line

    def _serial_is_delivery(self):
        """Whether this line took the unit out to a customer."""
        self.ensure_one()
        return self.location_dest_id.usage == "customer" and self.location_id.usage != "customer"

    def _serial_is_customer_return(self):
        """Whether this line brought the unit back from a customer."""
        self.ensure_one()
        return self.location_id.usage == "customer" and self.location_dest_id.usage != "customer"

    def _serial_customer(self):
        """The customer of this line's delivery (the move's, else the transfer's)."""
        self.ensure_one()
        return self.move_id.partner_id or self.picking_id.partner_id

    def _serial_update_ownership(self):
        """Deliveries open the customer's ownership, returns from customers close it."""
        if not (self.location_id | self.location_dest_id).filtered(
            lambda loc: loc.usage == "customer"
        ):
            return  # no line goes to or comes from a customer: skip the line scan
        sales, returns = {}, {}
        pickings = {}
        for lot_id, ml in self._serial_last_lines().items():
            if ml._serial_is_delivery():
                partner = ml._serial_customer()
                if partner:
                    sales[lot_id] = partner
                    pickings[lot_id] = ml.picking_id
            elif ml._serial_is_customer_return():
                returns[lot_id] = ml.company_id.partner_id
                pickings[lot_id] = ml.picking_id
        Lot = self.env["stock.lot"]
        if sales:
            Lot.browse(list(sales))._serial_transfer_ownership(sales, "sale", pickings)
        if returns:
            Lot.browse(list(returns))._serial_transfer_ownership(returns, "return", pickings)

    def _serial_delivered_lines(self):
        """The last line of each unit of ``self`` when it went out to a customer."""
        return self.browse(
            ml.id for ml in self._serial_last_lines().values() if ml._serial_is_delivery()
        )

    def _serial_update_warranties(self):
        """Start the standard coverage of the units delivered to customers.

        Depending on the product's term: starts today (``delivery``), gives the unit to
        the pending coverage of its order line (``sale``), or starts on the date of the
        invoice already posted for the line (``invoice``, else the invoice will). Units
        that still have open coverage (transferable, after a return) hand it over to
        their new owner instead. One search and one create for all the units.
        """
        if not self.product_id.serial_warranty_term_id:
            return  # none of these products has a standard coverage: skip the line scan
        customers = {}  # line: customer, asked once per line
        for ml in self._serial_delivered_lines():
            if ml.product_id.serial_warranty_term_id:
                customer = ml._serial_customer()
                if customer:
                    customers[ml] = customer
        if not customers:
            return
        lines = self.browse(ml.id for ml in customers)
        Warranty = self.env["serial.warranty"].sudo()
        open_coverage = Warranty.search(
            [("lot_id", "in", lines.lot_id.ids), ("state", "in", ("pending", "active"))]
        ).grouped("lot_id")
        pending = Warranty.search(
            [
                ("sale_line_id", "in", lines.move_id.sale_line_id.ids),
                ("lot_id", "=", False),
                ("state", "=", "pending"),
                ("origin", "=", "standard"),
            ],
            order="id",
        ).grouped("sale_line_id")
        to_unlink = Warranty.browse()
        vals_list = []
        for ml, customer in customers.items():
            partner = customer.commercial_partner_id
            current = open_coverage.get(ml.lot_id)
            if current:
                current.filtered("transferable")._serial_set_partner(partner)
                continue
            vals = ml._serial_warranty_vals(partner, pending)
            if vals:
                placeholder = vals.pop("placeholder", Warranty)
                to_unlink |= placeholder
                vals_list.append(vals)
        to_unlink.unlink()
        Warranty._serial_create(vals_list)

    def _serial_warranty_vals(self, partner, pending):
        """Values of the standard coverage this delivered line starts, if any.

        ``pending`` maps sale lines to their coverages still waiting for a unit; the
        one used is returned under ``placeholder`` (replaced by the new record).
        """
        self.ensure_one()
        term = self.product_id.serial_warranty_term_id
        sale_line = self.move_id.sale_line_id
        company = self.company_id
        extra = {"picking_id": self.picking_id.id, "sale_line_id": sale_line.id}
        date_start = company._serial_local_date(self.date)
        if term.start_trigger == "sale" and sale_line:
            waiting = pending.get(sale_line)
            if waiting:
                placeholder = waiting[0]
                pending[sale_line] = waiting[1:]
                extra["placeholder"] = placeholder
                date_start = placeholder.date_start
            else:
                date_start = company._serial_local_date(sale_line.order_id.date_order)
        elif term.start_trigger == "invoice":
            invoices = sale_line.invoice_lines.move_id.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            if not invoices:
                return False  # posting the invoice starts it
            date_start = min(invoices.mapped("invoice_date"))
            extra["invoice_id"] = invoices.sorted("invoice_date")[0].id
        return self.env["serial.warranty"]._serial_prepare_vals(
            term,
            self.product_id,
            date_start,
            lot=self.lot_id,
            partner=partner,
            company=company,
            **extra,
        )
