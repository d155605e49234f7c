from collections import defaultdict

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: move.move_type == "out_invoice"
        )._serial_start_invoice_warranties()
        return posted

    def _serial_start_invoice_warranties(self):
        """Start the coverage of delivered units whose term starts with the invoice.

        The units are the lots sale_stock prints on the invoice (delivered for the
        invoiced sale lines). Units that already have open coverage are left alone.
        """
        Warranty = self.env["serial.warranty"].sudo()
        by_invoice = {}
        for invoice in self:
            lot_ids = {
                value["lot_id"]
                for value in invoice.sudo()._get_invoiced_lot_values()
                if value.get("lot_id")
            }
            lots = (
                self.env["stock.lot"]
                .sudo()
                .browse(lot_ids)
                .filtered(
                    lambda lot: lot.product_id.serial_warranty_term_id.start_trigger == "invoice"
                )
            )
            if lots:
                by_invoice[invoice] = lots
        if not by_invoice:
            return Warranty
        all_lots = self.env["stock.lot"].sudo().union(*by_invoice.values())
        covered = set(
            Warranty.search(
                [("lot_id", "in", all_lots.ids), ("state", "in", ("pending", "active"))]
            ).lot_id.ids
        )
        vals_list = []
        for invoice, lots in by_invoice.items():
            sale_line_of = invoice._serial_sale_line_by_lot()
            for lot in lots:
                if lot.id in covered:
                    continue
                covered.add(lot.id)
                vals_list.append(
                    Warranty._serial_prepare_vals(
                        lot.product_id.serial_warranty_term_id,
                        lot.product_id,
                        invoice.invoice_date,
                        lot=lot,
                        partner=invoice.partner_id,
                        company=invoice.company_id,
                        sale_line_id=sale_line_of.get(lot.id, False),
                        invoice_id=invoice.id,
                    )
                )
        return Warranty._serial_create(vals_list)

    def _serial_sale_line_by_lot(self):
        """``{lot_id: sale_line_id}`` from the done deliveries of the invoiced lines."""
        self.ensure_one()
        result = defaultdict(int)
        for sale_line in self.sudo().invoice_line_ids.sale_line_ids:
            for ml in sale_line.move_ids.move_line_ids:
                if ml.state == "done" and ml.lot_id and ml.location_dest_id.usage == "customer":
                    result[ml.lot_id.id] = sale_line.id
        return result
