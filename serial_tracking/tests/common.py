from odoo import Command
from odoo.tests import Form, TransactionCase


def enable_lots_and_serials(env):
    """Turn on Lots & Serial Numbers for every internal user, as the setting does.

    Demo data turns it on; the tests must not depend on it (forms and tours show the
    serial fields only with it).
    """
    env.ref("base.group_user").write(
        {"implied_ids": [Command.link(env.ref("stock.group_production_lot").id)]}
    )


def move_lots(env, lots, src, dest, picking_type, partner):
    """Validate one picking moving exactly ``lots`` (one product) from src to dest."""
    product = lots.product_id
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": src.id,
            "location_dest_id": dest.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": len(lots),
                        "product_uom": product.uom_id.id,
                        "location_id": src.id,
                        "location_dest_id": dest.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    move = picking.move_ids
    move.move_line_ids.unlink()
    env["stock.move.line"].create(
        [
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "quantity": 1,
                "picked": True,
                "location_id": src.id,
                "location_dest_id": dest.id,
            }
            for lot in lots
        ]
    )
    picking.button_validate()
    return picking


class SerialTrackingCommon(TransactionCase):
    """Fixtures shared by the serial tracking tests: a warehouse, customers and one
    serial-tracked product per identifier type, plus helpers that drive receipts,
    deliveries and returns the way a user does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        enable_lots_and_serials(cls.env)
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.picking_type_in = cls.warehouse.in_type_id
        cls.picking_type_out = cls.warehouse.out_type_id
        cls.vendor = cls.env["res.partner"].create({"name": "Handset Wholesale Ltd"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Alice Martin", "email": "alice@example.com"}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Bob (Alice's assistant)", "parent_id": cls.customer.id}
        )
        cls.customer_2 = cls.env["res.partner"].create({"name": "Carlos Ruiz"})
        cls.product_free = cls._create_serial_product("Jewellery Ring", "free")
        cls.product_imei = cls._create_serial_product("Phone P1", "imei")
        cls.product_imei_2 = cls._create_serial_product("Phone P2", "imei")
        cls.product_vin = cls._create_serial_product("Car C1", "vin")
        cls.product_gtin = cls._create_serial_product(
            "Pump G1", "gtin_serial", barcode="4006381333931"
        )

    @classmethod
    def _create_serial_product(cls, name, identifier_type, **extra):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "tracking": "serial",
                "serial_identifier_type": identifier_type,
                **extra,
            }
        )

    @classmethod
    def _create_picking(cls, picking_type, product, qty, partner=None):
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id if partner else False,
                "location_id": picking_type.default_location_src_id.id or cls.supplier_location.id,
                "location_dest_id": picking_type.default_location_dest_id.id
                or cls.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": picking_type.default_location_src_id.id
                            or cls.supplier_location.id,
                            "location_dest_id": picking_type.default_location_dest_id.id
                            or cls.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    @classmethod
    def _receive_cls(cls, product, serials):
        """Receive ``serials`` of ``product`` in class setup (no wizard); return lots."""
        picking = cls._create_picking(cls.picking_type_in, product, len(serials), cls.vendor)
        move = picking.move_ids
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            [
                dict(move._prepare_move_line_vals(quantity=1), lot_name=s, picked=True)
                for s in serials
            ]
        )
        picking.button_validate()
        return picking.move_line_ids.lot_id.sorted("name")

    def _capture(self, move, text, **values):
        """Open the capture wizard on ``move`` like the picking button does."""
        action = move.action_serial_capture()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.serials_text = text
        for name, value in values.items():
            setattr(form, name, value)
        wizard = form.save()
        return wizard.action_confirm()

    def _receive(self, product, serials, vendor=None):
        """Receive ``serials`` of ``product`` through the capture wizard; return lots."""
        picking = self._create_picking(
            self.picking_type_in, product, len(serials), vendor or self.vendor
        )
        self._capture(picking.move_ids, "\n".join(serials))
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking.move_line_ids.lot_id

    def _deliver(self, lots, partner=None):
        """Deliver ``lots`` (one product) to ``partner`` choosing those exact units."""
        product = lots.product_id
        picking = self._create_picking(
            self.picking_type_out, product, len(lots), partner or self.customer
        )
        picking.action_assign()
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                dict(move._prepare_move_line_vals(quantity=1), lot_id=lot.id, picked=True)
                for lot in lots
            ]
        )
        picking.button_validate()
        return picking

    def _return(self, picking, lots=None):
        """Return ``lots`` (default: all) of a done ``picking`` with Odoo's wizard."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        for line in wizard.product_return_moves:
            line.quantity = len(lots) if lots else line.move_id.quantity
        action = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        if lots:
            return_picking.move_line_ids.unlink()
            move = return_picking.move_ids
            self.env["stock.move.line"].create(
                [
                    dict(move._prepare_move_line_vals(quantity=1), lot_id=lot.id, picked=True)
                    for lot in lots
                ]
            )
        else:
            return_picking.move_ids.picked = True
        return_picking.button_validate()
        return return_picking
