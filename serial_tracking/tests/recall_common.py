from datetime import datetime

from odoo.tests import TransactionCase, new_test_user

from .common import enable_lots_and_serials, move_lots


class RecallCommon(TransactionCase):
    """Serial units received from vendors and partly delivered to customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        enable_lots_and_serials(cls.env)
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.supplier_loc = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_loc = cls.env.ref("stock.stock_location_customers")
        cls.quarantine = cls.env["stock.location"].create(
            {"name": "Recall Quarantine", "usage": "internal", "location_id": cls.stock.id}
        )
        product_vals = {
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "serial_identifier_type": "free",
        }
        cls.widget = cls.env["product.product"].create(dict(product_vals, name="Recall Widget"))
        cls.gadget = cls.env["product.product"].create(dict(product_vals, name="Recall Gadget"))
        Partner = cls.env["res.partner"]
        cls.vendor_a = Partner.create({"name": "Vendor A", "email": "a@vendor.example"})
        cls.vendor_b = Partner.create({"name": "Vendor B", "email": "b@vendor.example"})
        cls.alice = Partner.create({"name": "Alice Customer", "email": "alice@example.com"})
        cls.bob = Partner.create({"name": "Bob Customer", "email": "bob@example.com"})
        cls.carol = Partner.create({"name": "Carol No Email"})

        # Widgets W1..W12 from vendor A in January, W13..W15 from vendor B in March.
        cls.w_lots = cls._receive(
            cls.widget, [f"W{i}" for i in range(1, 13)], cls.vendor_a, datetime(2026, 1, 15, 10)
        )
        cls.w_lots |= cls._receive(
            cls.widget, ["W13", "W14", "W15"], cls.vendor_b, datetime(2026, 3, 10, 10)
        )
        cls.g_lots = cls._receive(
            cls.gadget, ["G1", "G2", "G3"], cls.vendor_a, datetime(2026, 1, 20, 10)
        )
        cls.w = {lot.name: lot for lot in cls.w_lots}
        cls.g = {lot.name: lot for lot in cls.g_lots}
        # Alice holds W1, W2 and G1; Bob holds W3; Carol (no email) holds W4.
        cls._deliver(cls.w["W1"] | cls.w["W2"] | cls.g["G1"], cls.alice)
        cls._deliver(cls.w["W3"], cls.bob)
        cls._deliver(cls.w["W4"], cls.carol)

        cls.user = new_test_user(
            cls.env,
            login="recall_user",
            groups="stock.group_stock_user,serial_tracking.group_serial_tracking_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="recall_manager",
            groups="stock.group_stock_manager,serial_tracking.group_serial_tracking_manager",
        )

    @classmethod
    def _receive(cls, product, names, vendor, date):
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in names]
        )
        picking = move_lots(
            cls.env, lots, cls.supplier_loc, cls.stock, cls.warehouse.in_type_id, vendor
        )
        picking.move_line_ids.write({"date": date})
        return lots

    @classmethod
    def _delivery(cls, product, qty, partner):
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "partner_id": partner.id,
                "location_id": cls.stock.id,
                "location_dest_id": cls.customer_loc.id,
            }
        )
        cls.env["stock.move"].create(
            {
                "name": product.name,
                "picking_id": picking.id,
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": qty,
                "location_id": cls.stock.id,
                "location_dest_id": cls.customer_loc.id,
            }
        )
        picking.action_confirm()
        return picking

    @classmethod
    def _deliver(cls, lots, partner):
        pickings = cls.env["stock.picking"]
        for product_lots in lots.grouped("product_id").values():
            picking = move_lots(
                cls.env,
                product_lots,
                cls.stock,
                cls.customer_loc,
                cls.warehouse.out_type_id,
                partner,
            )
            pickings |= picking
        return pickings

    @classmethod
    def _recall(cls, **vals):
        vals.setdefault("title", "Battery may overheat")
        vals.setdefault("reason", "Cells from a defective batch.")
        return cls.env["serial.recall"].create(vals)

    def _email_count(self, recall, partner):
        """Emails sent to ``partner`` from the chatter of ``recall``."""
        return self.env["mail.notification"].search_count(
            [
                ("res_partner_id", "=", partner.id),
                ("notification_type", "=", "email"),
                ("mail_message_id.model", "=", "serial.recall"),
                ("mail_message_id.res_id", "=", recall.id),
            ]
        )
