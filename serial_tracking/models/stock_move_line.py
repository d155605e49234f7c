from collections import defaultdict

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
        """The lines of ``self`` taking their unit where a blocked unit may not go."""
        usages = self._serial_blocked_dest_usages()
        # Destinations first: the thousands of lines of a transfer share one or two.
        destinations = self.location_dest_id
        leaving = destinations.filtered(lambda loc: loc.usage in usages)
        if not leaving:
            return self.browse()
        if leaving == destinations:
            return self  # a delivery: every line leaves
        return self.filtered(lambda ml: ml.location_dest_id in leaving)

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
        self.lot_id._serial_refresh_state()
        delivered, returned = self._serial_customer_lines()
        customers = delivered._serial_customers()
        self._serial_update_ownership(delivered, returned, customers)
        delivered._serial_update_warranties(customers)

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

    def _serial_customer_lines(self):
        """``(delivered, returned)``: among the last line (by date, then id) of each
        unit of ``self``, those that took their unit out to a customer and those that
        brought it back from one. Read in one query: a delivery has thousands of lines.
        """
        if not (self.location_id | self.location_dest_id).filtered(
            lambda loc: loc.usage == "customer"
        ):
            return self.browse(), self.browse()  # none goes to or comes from a customer
        self.flush_recordset(["lot_id", "date", "location_id", "location_dest_id"])
        self.env["stock.location"].flush_model(["usage"])
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (ml.lot_id) ml.id, src.usage, dest.usage
              FROM stock_move_line ml
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dest ON dest.id = ml.location_dest_id
             WHERE ml.id IN %s AND ml.lot_id IS NOT NULL
          ORDER BY ml.lot_id, ml.date DESC, ml.id DESC
            """,
            [tuple(self.ids)],
        )
        delivered, returned = [], []
        for line_id, src_usage, dest_usage in self.env.cr.fetchall():
            if dest_usage == "customer" and src_usage != "customer":
                delivered.append(line_id)
            elif src_usage == "customer" and dest_usage != "customer":
                returned.append(line_id)
        return self.browse(delivered), self.browse(returned)

    def _serial_customers(self):
        """``{line id: customer}`` of the lines of ``self`` whose customer is known: the
        move's partner, else the transfer's. Extensions add the customers they know of.
        """
        customers = {}
        for move, move_lines in self.grouped("move_id").items():
            for picking, lines in move_lines.grouped("picking_id").items():
                partner = move.partner_id or picking.partner_id
                if partner:
                    customers.update(dict.fromkeys(lines.ids, partner))
        return customers

    def _serial_customer(self):
        """The customer of this line's delivery (see ``_serial_customers``)."""
        self.ensure_one()
        return self._serial_customers().get(self.id, self.env["res.partner"])

    @api.model
    def _serial_update_ownership(self, delivered, returned, customers):
        """Deliveries open the customer's ownership, returns from customers close it.

        ``delivered`` and ``returned`` are lines (see ``_serial_customer_lines``),
        ``customers`` the customers of the delivered ones (``_serial_customers``).
        """
        sales, returns, pickings = {}, {}, {}
        for ml in delivered:
            partner = customers.get(ml.id)
            if partner:
                sales[ml.lot_id.id] = partner
                pickings[ml.lot_id.id] = ml.picking_id
        for ml in returned:
            returns[ml.lot_id.id] = ml.company_id.partner_id
            pickings[ml.lot_id.id] = ml.picking_id
        Lot = self.env["stock.lot"]
        if sales:
            Lot.browse(list(sales))._serial_transfer_ownership(sales, "sale", pickings)
        if returns:
            Lot.browse(list(returns))._serial_transfer_ownership(returns, "return", pickings)

    def _serial_update_warranties(self, customers):
        """Start the standard coverage of the units that the lines of ``self`` (see
        ``_serial_customer_lines``) delivered to ``customers``.

        Depending on the product's term: starts today (``delivery``), gives the unit to
        the pending coverage of its order line (``sale``), or starts on the date of the
        invoice already posted for the line (``invoice``, else the invoice will). Units
        that still have open coverage (transferable, after a return) hand it over to
        their new owner instead. One search and one create for all the units.
        """
        if not self.product_id.serial_warranty_term_id:
            return  # none of these products has a standard coverage: skip the line scan
        lines = self._serial_warranty_lines(customers)
        if not lines:
            return
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
        no_partner = self.env["res.partner"]
        owners = {  # each customer's commercial entity, asked once per customer
            customer: customer.commercial_partner_id
            for customer in {customers.get(line_id, no_partner) for line_id in lines.ids}
        }
        if open_coverage:
            # Back from a return, the unit still has its coverage: it is handed over.
            covered = lines.filtered(lambda ml: ml.lot_id in open_coverage)
            for ml in covered:
                owner = owners[customers.get(ml.id, no_partner)]
                if owner:
                    open_coverage[ml.lot_id].filtered("transferable")._serial_set_partner(owner)
            lines -= covered
        to_start = defaultdict(list)  # (move, owner): line ids
        for move, move_lines in lines.grouped("move_id").items():
            for line_id in move_lines.ids:
                to_start[move, owners[customers.get(line_id, no_partner)]].append(line_id)
        to_unlink = Warranty.browse()
        vals_list = []
        for (_move, partner), line_ids in to_start.items():
            for vals in self.browse(line_ids)._serial_warranty_vals_list(partner, pending):
                to_unlink |= vals.pop("placeholder", Warranty)
                vals_list.append(vals)
        to_unlink.unlink()
        Warranty._serial_create(vals_list)

    def _serial_warranty_lines(self, customers):
        """The lines of ``self`` whose unit gets or keeps standard coverage: those of a
        product with a term, delivered to a known customer."""
        lines = self.browse(line_id for line_id in self.ids if line_id in customers)
        with_term = lines.product_id.filtered("serial_warranty_term_id")
        if with_term == lines.product_id:
            return lines
        return lines.filtered(lambda ml: ml.product_id in with_term)

    def _serial_warranty_vals_list(self, partner, pending):
        """Values of the standard coverages that the delivered lines of ``self``, of one
        move and one owner (``partner``), start.

        ``pending`` maps sale lines to their coverages still waiting for a unit; each
        one used is returned under ``placeholder`` (replaced by the new record). The
        values are prepared once per start date, not once per unit: the unit is not
        given to ``serial.warranty._serial_prepare_vals``, its ``lot_id`` is set after.
        """
        if not self:
            return []
        first = self[0]
        product = first.product_id
        term = product.serial_warranty_term_id
        company = first.company_id
        sale_line = first.move_id.sale_line_id
        Warranty = self.env["serial.warranty"]
        extra = {"picking_id": first.picking_id.id, "sale_line_id": sale_line.id}
        waiting = Warranty
        fixed_start = None  # else the day each unit was delivered
        if term.start_trigger == "sale" and sale_line:
            waiting = pending.get(sale_line, Warranty)
            pending[sale_line] = waiting[len(self) :]
            fixed_start = company._serial_local_date(sale_line.order_id.date_order)
        elif term.start_trigger == "invoice":
            invoices = sale_line.invoice_lines.move_id.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            if not invoices:
                return []  # posting the invoice starts it
            fixed_start = min(invoices.mapped("invoice_date"))
            extra["invoice_id"] = invoices.sorted("invoice_date")[0].id
        templates = {}  # start date: the values shared by the units starting that day
        local_dates = {}  # delivery datetime: its date in the company's time zone
        vals_list = []
        for index, ml in enumerate(self):
            placeholder = waiting[index] if index < len(waiting) else None
            if placeholder:
                date_start = placeholder.date_start
            elif fixed_start:
                date_start = fixed_start
            else:
                # The lines of one validation share their date: convert it once.
                if ml.date not in local_dates:
                    local_dates[ml.date] = company._serial_local_date(ml.date)
                date_start = local_dates[ml.date]
            if date_start not in templates:
                templates[date_start] = Warranty._serial_prepare_vals(
                    term, product, date_start, partner=partner, company=company, **extra
                )
            vals = dict(templates[date_start], lot_id=ml.lot_id.id)
            if placeholder:
                vals["placeholder"] = placeholder
            vals_list.append(vals)
        return vals_list
