from odoo import Command
from odoo.tests import TransactionCase

from .common import enable_lots_and_serials, move_lots


class WarrantyCommon(TransactionCase):
    """Products with warranty terms, units in stock and helpers to move them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        enable_lots_and_serials(cls.env)
        cls.company = cls.env.company
        cls.company.partner_id.tz = "UTC"
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ada Customer", "email": "ada@example.com"}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Bob Second-Hand", "email": "bob@example.com"}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Warranty Vendor"})
        Term = cls.env["serial.warranty.term"]
        cls.term_delivery = Term.create(
            {"name": "2 years from delivery", "duration": 2, "duration_unit": "year"}
        )
        cls.term_transferable = Term.create(
            {
                "name": "3 years, transferable",
                "duration": 3,
                "duration_unit": "year",
                "transferable": True,
            }
        )
        cls.term_invoice = Term.create(
            {
                "name": "1 year from invoice",
                "duration": 1,
                "duration_unit": "year",
                "start_trigger": "invoice",
            }
        )
        cls.term_sale = Term.create(
            {
                "name": "6 months from order",
                "duration": 6,
                "duration_unit": "month",
                "start_trigger": "sale",
            }
        )
        cls.term_extension = Term.create(
            {"name": "+12 months", "duration": 12, "duration_unit": "month"}
        )
        cls.product = cls._create_serial_product("Warranty Phone", cls.term_delivery)
        cls.extension = cls.env["product.product"].create(
            {
                "name": "Extended warranty 12 months",
                "type": "service",
                "list_price": 50,
                "serial_warranty_extension": True,
                "serial_warranty_term_id": cls.term_extension.id,
            }
        )

    @classmethod
    def _create_serial_product(cls, name, term):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 100,
                "invoice_policy": "delivery",
                "serial_warranty_term_id": term.id if term else False,
            }
        )

    @classmethod
    def _create_lots(cls, product, count, prefix="WSN"):
        lots = cls.env["stock.lot"].create(
            [
                {"name": f"{prefix}{product.id}-{i:05d}", "product_id": product.id}
                for i in range(count)
            ]
        )
        # Received through a real receipt, so that the units are "in stock".
        cls._move(
            lots,
            cls.env.ref("stock.stock_location_suppliers"),
            cls.stock_location,
            cls.vendor,
            cls.warehouse.in_type_id,
        )
        return lots

    @classmethod
    def _move(cls, lots, src, dest, partner, picking_type):
        """Validate one picking moving ``lots`` (one product) from src to dest."""
        return move_lots(cls.env, lots, src, dest, picking_type, partner)

    @classmethod
    def _deliver(cls, lots, partner):
        return cls._move(
            lots, cls.stock_location, cls.customer_location, partner, cls.warehouse.out_type_id
        )

    @classmethod
    def _return(cls, lots, partner):
        return cls._move(
            lots, cls.customer_location, cls.stock_location, partner, cls.warehouse.in_type_id
        )

    @classmethod
    def _sell(cls, lines, partner=None, confirm=True):
        """Sales order; ``lines`` are ``(product, qty)`` or ``(product, qty, vals)``."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "product_uom_qty": line[1],
                            **(line[2] if len(line) > 2 else {}),
                        }
                    )
                    for line in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def _deliver_order(cls, order, lots):
        """Validate the order's delivery with ``lots``."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        move = picking.move_ids.filtered(lambda m: m.product_id == lots.product_id)
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "picked": True,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                for lot in lots
            ]
        )
        picking.button_validate()
        return picking
