from odoo import api, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.serial_tracking.tools import identifiers


class StockLot(models.Model):
    _inherit = "stock.lot"

    # ------------------------------------------------------------------
    # Till checks (JSON-RPC from the lot popup)
    # ------------------------------------------------------------------

    @api.model
    def serial_pos_check(self, config_id, product_id, codes):
        """Check the serials typed or scanned in the lot popup of a till.

        ``codes`` are the texts of the popup (plain serials or GS1 scans). Returns, in
        the same order, ``{"code", "serial", "ok", "reason"}``: ``serial`` is what the
        order line must carry (the AI 21 of a GS1 scan), ``reason`` why it is refused.
        One call checks every code of the popup in five queries, whatever their number
        (a few more when some units are blocked, to say why).
        """
        location, product = self._serial_pos_till(config_id, product_id)
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise UserError(self.env._("Send the serial numbers as a list of texts."))
        results = []
        entries = []
        seen = set()
        gtin = self._serial_gtin_of(product)
        for code in codes:
            result = {"code": code, "serial": code.strip(), "ok": False, "reason": False}
            try:
                serial, scanned_gtin = self._serial_parse_lookup_code(code)
            except UserError as error:
                result["reason"] = error.args[0]
            else:
                result["serial"] = serial
                if scanned_gtin and gtin and scanned_gtin != gtin:
                    result["reason"] = self.env._(
                        "the scanned code is for another product (GTIN %(gtin)s)",
                        gtin=scanned_gtin,
                    )
                elif serial in seen:
                    result["reason"] = self.env._("entered twice")
                else:
                    seen.add(serial)
                    entries.append((product, serial))
            results.append(result)
        # The user may use this till: its stock is read as the system, bounded to the
        # till's location and company.
        problems = (
            self.sudo().with_company(location.company_id)._serial_pos_problems(location, entries)
        )
        for result in results:
            if not result["reason"]:
                result["reason"] = problems.get((product.id, result["serial"]), False)
                result["ok"] = not result["reason"]
        return results

    @api.model
    def serial_pos_available(self, config_id, product_id, search="", limit=80):
        """Serials of ``product_id`` a till may sell now: in its stock, not blocked.

        ``search`` narrows the list (part of the serial, any case).
        """
        location, product = self._serial_pos_till(config_id, product_id)
        domain = [
            ("product_id", "=", product.id),
            ("lot_id.serial_blocked", "=", False),
            ("location_id.parent_path", "=like", f"{location.parent_path}%"),
            ("quantity", ">", 0),
            ("company_id", "=", location.company_id.id),
        ]
        if search:
            domain.append(("lot_id.name", "ilike", str(search)))
        groups = self.env["stock.quant"].sudo()._read_group(domain, ["lot_id"], limit=int(limit))
        return sorted(lot.name for (lot,) in groups if lot)

    @api.model
    def serial_pos_warranty_info(self, config_id, code):
        """The warranty desk's answer at a till (Warranty Lookup button).

        The same lookup as the back office (``serial_warranty_info``: two queries),
        for a cashier who may not read units otherwise, and only among the units of
        the till's company or of none. The owner is shown: the cashier has the
        customer in front of them.
        """
        location, _product = self._serial_pos_till(config_id)
        return (
            self.sudo()
            .with_context(serial_pos_lookup_company_id=location.company_id.id)
            .serial_warranty_info(code)
        )

    @api.model
    def _serial_lookup_rows(self, domain):
        company_id = self.env.context.get("serial_pos_lookup_company_id")
        if company_id:
            domain = [*domain, ("company_id", "in", (company_id, False))]
        return super()._serial_lookup_rows(domain)

    @api.model
    def _serial_pos_till(self, config_id, product_id=None):
        """``(stock location, product)`` of a till the user may use, in two queries.

        Only Point of Sale users pass; the till is searched with the user's record
        rules (another company's till is not found) and its stock location read in
        the same query; the product must belong to the till's company or to none.
        """
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(
                self.env._("Only Point of Sale users can check serial numbers at the till.")
            )
        if not isinstance(config_id, int) or not isinstance(product_id, (int, type(None))):
            raise UserError(self.env._("Unknown Point of Sale or product."))
        configs = self.env["pos.config"]._search([("id", "=", config_id)])
        types = (
            self.env["stock.picking.type"]
            .sudo()
            ._search([("id", "in", configs.subselect(f'"{configs.table}"."picking_type_id"'))])
        )
        location = (
            self.env["stock.location"]
            .sudo()
            .search_fetch(
                [("id", "in", types.subselect(f'"{types.table}"."default_location_src_id"'))],
                ["parent_path", "company_id", "complete_name"],
                limit=1,
            )
        )
        if not location:
            raise AccessError(self.env._("You cannot use this Point of Sale."))
        if product_id is None:
            return location, self.env["product.product"]
        # The product is read as the system, and refused unless it belongs to the
        # till's company or to none (what the record rule of products allows).
        product = (
            self.env["product.product"]
            .sudo()
            .search_fetch([("id", "=", product_id)], ["barcode", "product_tmpl_id", "company_id"])
        )
        if not product or (product.company_id and product.company_id != location.company_id):
            raise AccessError(self.env._("You cannot sell this product."))
        return location, product.sudo(False)

    # ------------------------------------------------------------------
    # The check itself, shared by the popup and the synchronisation of orders
    # ------------------------------------------------------------------

    @api.model
    def _serial_pos_problems(self, location, entries, refund=False):
        """``{(product_id, serial): reason}`` for the entries a till must refuse.

        ``entries`` are ``(product, serial)`` pairs sold from ``location`` (or taken
        back, ``refund``). A serial sold must pass its product's format, be in stock
        at ``location`` (or be new, when the product allows new serials at the till)
        and not be blocked; a serial taken back must be a known unit not reported
        stolen or lost. One query for the units, one for their stock, one for the
        clashes of new serials: never one per serial.
        """
        company = location.company_id or self.env.company
        problems, to_find = self._serial_pos_format_problems(company, entries, refund)
        if not to_find:
            return problems
        lots = self.search_fetch(
            [
                ("product_id", "in", list({product.id for product, _serial in to_find})),
                ("name", "in", list({serial for _product, serial in to_find})),
                ("company_id", "in", (company.id, False)),
            ],
            ["name", "product_id", "serial_blocked", "serial_loss_state"],
        )
        lot_by_key = {(lot.product_id.id, lot.name): lot for lot in lots}
        if refund:
            problems.update(self._serial_pos_refund_problems(to_find, lot_by_key))
        else:
            problems.update(self._serial_pos_sale_problems(location, to_find, lot_by_key))
        return problems

    @api.model
    def _serial_pos_format_problems(self, company, entries, refund):
        """Problems of format and repetition, and the entries left to look up."""
        problems = {}
        seen = set()
        to_find = []
        for product, serial in entries:
            key = (product.id, serial)
            if product.tracking != "serial" or key in problems:
                continue
            if key in seen:
                if not refund:
                    problems[key] = self.env._("entered twice")
                continue
            seen.add(key)
            id_type = product.serial_identifier_type or "free"
            # The company's setting is read only for VINs (no query otherwise).
            strict_vin = id_type != "vin" or not company.serial_vin_lenient
            issue = identifiers.check_serial(id_type, serial, strict_vin=strict_vin)
            if issue:
                problems[key] = self._serial_issue_message(issue)
            else:
                to_find.append((product, serial))
        return problems, to_find

    @api.model
    def _serial_pos_refund_problems(self, entries, lot_by_key):
        problems = {}
        for product, serial in entries:
            lot = lot_by_key.get((product.id, serial))
            if not lot:
                problems[(product.id, serial)] = self.env._("unknown serial number")
            elif lot.serial_loss_state != "none":
                problems[(product.id, serial)] = self.env._(
                    "reported %(state)s: it cannot be taken back, call a Serial Tracking manager",
                    state=self._serial_loss_label(lot.serial_loss_state),
                )
        return problems

    @api.model
    def _serial_pos_sale_problems(self, location, entries, lot_by_key):
        lots = self.browse({lot.id for lot in lot_by_key.values()})
        in_stock = set()
        if lots:
            groups = self.env["stock.quant"]._read_group(
                [
                    ("lot_id", "in", lots.ids),
                    ("location_id.parent_path", "=like", f"{location.parent_path}%"),
                    ("quantity", ">", 0),
                ],
                ["lot_id"],
            )
            in_stock = {lot.id for (lot,) in groups}
        problems = {}
        new_entries = []
        company = location.company_id or self.env.company
        for product, serial in entries:
            key = (product.id, serial)
            lot = lot_by_key.get(key)
            if lot and lot.serial_blocked:
                problems[key] = self.env._(
                    "blocked: %(reason)s", reason=lot.serial_block_reason or "-"
                )
            elif lot and lot.id in in_stock:
                continue
            elif not lot and product.serial_pos_new_allowed:
                new_entries.append((product, serial, company))
            else:
                problems[key] = self.env._(
                    "not in this shop's stock (%(location)s)", location=location.complete_name
                )
        if new_entries:
            # As the caller: a clash in a unit they may not read names no place.
            for serial, reason in self.sudo(False)._serial_check_existing(new_entries):
                for product, name, _company in new_entries:
                    if name == serial:
                        problems[(product.id, serial)] = reason
        return problems
