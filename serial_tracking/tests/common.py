"""Fixtures and helpers shared by the tests of serial_tracking and its bridges.

``SerialTrackingCase`` builds what the tests need once per class: the company's
warehouse and locations, partners, one user per access group and one serial product
per identifier type, and it moves units the way tests need them. Every unit movement
goes through ``_validate_picking``, which validates a picking of exactly the units
named. ``RecallCase``, ``WarrantyCase`` and ``SaleCaptureCase`` add the fixtures of
one feature; ``SerialTourCase`` runs browser tours on the same fixtures.

Nothing here relies on demo data.
"""

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, HttpCase, TransactionCase, common, new_test_user


class SerialTrackingCase(TransactionCase):
    """The company's warehouse, partners, users and serial products, and helpers that
    receive, deliver and return units."""

    # The recall and warranty fixtures create many records: they skip field tracking
    # and creation messages, which their tests do not look at (a fifth faster).
    disable_tracking = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.disable_tracking:
            cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # Odoo's "Lots & Serial Numbers" setting, for every internal user: demo data
        # turns it on; forms and tours show the serial fields only with it.
        cls.env.ref("base.group_user").write(
            {"implied_ids": [Command.link(cls.env.ref("stock.group_production_lot").id)]}
        )
        cls.company = cls.env.company
        cls.company.partner_id.tz = "UTC"
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.picking_type_in = cls.warehouse.in_type_id
        cls.picking_type_out = cls.warehouse.out_type_id

        Partner = cls.env["res.partner"]
        cls.vendor = Partner.create(
            {"name": "Handset Wholesale Ltd", "email": "orders@vendor.example"}
        )
        cls.customer = Partner.create({"name": "Alice Martin", "email": "alice@example.com"})
        cls.customer_contact = Partner.create(
            {"name": "Bob (Alice's assistant)", "parent_id": cls.customer.id}
        )
        cls.customer_2 = Partner.create({"name": "Carlos Ruiz", "email": "carlos@example.com"})

        # Inventory users and managers are Serial Tracking users and managers.
        cls.stock_user = cls._create_user("st_stock_user", "stock.group_stock_user")
        cls.stock_manager = cls._create_user("st_stock_manager", "stock.group_stock_manager")
        cls.salesman = cls._create_user("st_salesman", "sales_team.group_sale_salesman")
        cls.portal_user = cls._create_user("st_portal_user", "base.group_portal")

        cls.product_free = cls._create_serial_product("Jewellery Ring", "free")
        cls.product_imei = cls._create_serial_product("Phone P1", "imei")
        cls.product_imei_2 = cls._create_serial_product("Phone P2", "imei")
        cls.product_vin = cls._create_serial_product("Car C1", "vin")
        cls.product_gtin = cls._create_serial_product(
            "Pump G1", "gtin_serial", barcode="4006381333931"
        )

    # Records ----------------------------------------------------------------------------

    @classmethod
    def _create_user(cls, login, groups, company=None, **vals):
        """A user of ``groups`` (comma-separated XML ids), of ``company`` alone if given."""
        vals.setdefault("email", f"{login}@example.com")
        if company:
            vals.update(company_id=company.id, company_ids=[Command.set(company.ids)])
        return new_test_user(cls.env, login=login, groups=groups, **vals)

    @classmethod
    def _create_serial_product(cls, name, identifier_type="free", **vals):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "tracking": "serial",
                "serial_identifier_type": identifier_type,
                **vals,
            }
        )

    @classmethod
    def _sell(cls, lines, partner=None, confirm=True, user=None):
        """A sales order created as ``user`` would through RPC (no onchange);
        ``lines`` are ``(product, qty)`` or ``(product, qty, line values)``."""
        Order = cls.env["sale.order"].with_user(user) if user else cls.env["sale.order"]
        order = Order.create(
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

    # Pickings ---------------------------------------------------------------------------

    @classmethod
    def _create_picking(
        cls, picking_type, product, qty, partner=None, location=None, location_dest=None
    ):
        """A confirmed picking of ``qty`` units of ``product``, between the locations of
        ``picking_type`` unless given."""
        location = location or picking_type.default_location_src_id or cls.supplier_location
        location_dest = (
            location_dest or picking_type.default_location_dest_id or cls.customer_location
        )
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id if partner else False,
                "location_id": location.id,
                "location_dest_id": location_dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": location.id,
                            "location_dest_id": location_dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    @classmethod
    def _validate_picking(cls, picking, lots):
        """Validate ``picking`` moving exactly ``lots``: the lines of their products'
        moves are replaced by one picked line per unit, as when a user picks them."""
        moves = picking.move_ids.filtered(lambda move: move.product_id in lots.product_id)
        moves.move_line_ids.unlink()
        move_of = {move.product_id: move for move in moves}
        cls.env["stock.move.line"].create(
            [
                dict(
                    move_of[lot.product_id]._prepare_move_line_vals(quantity=1),
                    lot_id=lot.id,
                    picked=True,
                )
                for lot in lots
            ]
        )
        picking.button_validate()
        return picking

    @classmethod
    def _move_units(cls, lots, picking_type, partner=None, location=None, location_dest=None):
        """Move exactly ``lots``, one validated picking per product; return the pickings."""
        pickings = cls.env["stock.picking"]
        for product, units in lots.grouped("product_id").items():
            picking = cls._create_picking(
                picking_type, product, len(units), partner, location, location_dest
            )
            pickings |= cls._validate_picking(picking, units)
        return pickings

    @classmethod
    def _receive_units(cls, product, serials, vendor=None, date=None, picking_type=None):
        """Receive the new units ``serials`` of ``product`` from ``vendor`` (by default
        into the warehouse's stock, dated ``date`` if given); return them in that order."""
        lots = cls.env["stock.lot"].create(
            [{"name": serial, "product_id": product.id} for serial in serials]
        )
        receipt = cls._move_units(lots, picking_type or cls.picking_type_in, vendor or cls.vendor)
        if date:
            receipt.move_line_ids.write({"date": date})
        return lots

    @classmethod
    def _deliver(cls, lots, partner=None):
        """Deliver exactly ``lots`` to ``partner`` (default: the customer)."""
        return cls._move_units(lots, cls.picking_type_out, partner or cls.customer)

    @classmethod
    def _receive_back(cls, lots, partner):
        """Take ``lots`` back from ``partner`` with a plain receipt (no return wizard)."""
        return cls._move_units(
            lots, cls.picking_type_in, partner, cls.customer_location, cls.stock_location
        )

    def _return_with_wizard(self, picking, lots=None):
        """Return ``lots`` (default: all) of the done ``picking`` with Odoo's wizard."""
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
            return self._validate_picking(return_picking, lots)
        return_picking.move_ids.picked = True
        return_picking.button_validate()
        return return_picking

    def _capture(self, move, text, **values):
        """Open the capture wizard on ``move`` like the picking button does."""
        action = move.action_serial_capture()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.serials_text = text
        for name, value in values.items():
            setattr(form, name, value)
        wizard = form.save()
        return wizard.action_confirm()

    def _receive_with_capture(self, product, serials, vendor=None):
        """Receive ``serials`` of ``product`` typed into the capture wizard; return them."""
        picking = self._create_picking(
            self.picking_type_in, product, len(serials), vendor or self.vendor
        )
        self._capture(picking.move_ids, "\n".join(serials))
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking.move_line_ids.lot_id


class RecallCase(SerialTrackingCase):
    """Serial units received from two vendors and partly delivered to customers.

    Widgets W1..W12 come from the vendor in January, W13..W15 from ``vendor_2`` in
    March, gadgets G1..G3 from the vendor in January. The customer holds W1, W2 and
    G1, ``customer_2`` holds W3, ``customer_no_email`` holds W4.
    """

    disable_tracking = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quarantine = cls.env["stock.location"].create(
            {"name": "Recall Quarantine", "usage": "internal", "location_id": cls.stock_location.id}
        )
        cls.widget = cls._create_serial_product("Recall Widget")
        cls.gadget = cls._create_serial_product("Recall Gadget")
        Partner = cls.env["res.partner"]
        cls.vendor_2 = Partner.create({"name": "Second Vendor", "email": "b@vendor.example"})
        cls.customer_no_email = Partner.create({"name": "Carol No Email"})

        cls.w_lots = cls._receive_units(
            cls.widget, [f"W{i}" for i in range(1, 13)], date=datetime(2026, 1, 15, 10)
        )
        cls.w_lots |= cls._receive_units(
            cls.widget, ["W13", "W14", "W15"], cls.vendor_2, datetime(2026, 3, 10, 10)
        )
        cls.g_lots = cls._receive_units(
            cls.gadget, ["G1", "G2", "G3"], date=datetime(2026, 1, 20, 10)
        )
        cls.w = {lot.name: lot for lot in cls.w_lots}
        cls.g = {lot.name: lot for lot in cls.g_lots}
        cls._deliver(cls.w["W1"] | cls.w["W2"] | cls.g["G1"], cls.customer)
        cls._deliver(cls.w["W3"], cls.customer_2)
        cls._deliver(cls.w["W4"], cls.customer_no_email)

    @classmethod
    def _create_recall(cls, **vals):
        """A draft recall campaign; ``vals`` as for ``create``."""
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


class WarrantyCase(SerialTrackingCase):
    """Warranty terms of every kind, a covered product and an extension service."""

    disable_tracking = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        cls.product = cls._create_covered_product("Warranty Phone", cls.term_delivery)
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
    def _create_covered_product(cls, name, term):
        """A serial product sold at 100, under ``term`` (none if falsy)."""
        return cls._create_serial_product(
            name,
            list_price=100,
            invoice_policy="delivery",
            serial_warranty_term_id=term.id if term else False,
        )

    @classmethod
    def _receive_numbered(cls, product, count, prefix="WSN"):
        """Receive ``count`` new units of ``product``, numbered after ``prefix``."""
        return cls._receive_units(product, [f"{prefix}{product.id}-{i:05d}" for i in range(count)])

    @classmethod
    def _deliver_order(cls, order, lots):
        """Validate the open delivery of ``order`` with exactly ``lots``."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        return cls._validate_picking(picking, lots)


class SaleCaptureCase(SerialTrackingCase):
    """Serial products captured on sales orders, units counted into WH/Stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("stock.group_production_lot")
        cls.product = cls._create_serial_product(
            "Camera Z9", serial_sale_capture=True, list_price=1000.0, invoice_policy="order"
        )
        cls.other_product = cls._create_serial_product(
            "Lens 50mm", "gtin_serial", serial_sale_capture=True, barcode="09506000134369"
        )
        cls.plain_product = cls._create_serial_product("Camera Strap")
        cls.lots = cls._add_units_by_inventory(cls.product, [f"CAM-{i:03d}" for i in range(1, 9)])
        cls.other_lots = cls._add_units_by_inventory(cls.other_product, ["LENS-1", "LENS-2"])
        cls.plain_lots = cls._add_units_by_inventory(cls.plain_product, ["STRAP-1", "STRAP-2"])

    @classmethod
    def _add_units_by_inventory(cls, product, names, location=None, company=None):
        """New units ``names`` of ``product`` counted into ``location`` (default: WH/Stock)
        by an inventory adjustment of ``company``."""
        company = company or cls.company
        location = location or cls.stock_location
        lots = (
            cls.env["stock.lot"]
            .with_company(company)
            .create(
                [
                    {"name": name, "product_id": product.id, "company_id": company.id}
                    for name in names
                ]
            )
        )
        quants = (
            cls.env["stock.quant"]
            .with_company(company)
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "location_id": location.id,
                        "inventory_quantity": 1,
                    }
                    for lot in lots
                ]
            )
        )
        quants.action_apply_inventory()
        return lots

    @contextmanager
    def assertRaisesMsg(self, exception, pattern):
        """``assertRaises`` (rolls back to a savepoint) that also checks the message."""
        with self.assertRaises(exception) as cm:
            yield
        self.assertRegex(str(cm.exception), pattern)

    def _quote_in_form(self, lines, partner=None, user=None):
        """A quotation entered in the form: ``lines`` = [(product, qty, lots)]."""
        env = self.env(user=user) if user else self.env
        with Form(env["sale.order"]) as order_form:
            order_form.partner_id = partner or self.customer
            for product, qty, lots in lines:
                with order_form.order_line.new() as line:
                    line.product_id = product
                    line.product_uom_qty = qty
                    for lot in lots:
                        line.serial_lot_ids.add(lot)
        return order_form.record

    def _click_validate(self, picking, backorder=True):
        """Validate ``picking`` as it stands, answering the backorder question."""
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            wizard = Form.from_action(self.env, res).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()

    def _reserved_lots(self, picking):
        return picking.move_line_ids.filtered(lambda ml: ml.quantity).lot_id


class SerialTourCase(HttpCase, SerialTrackingCase):
    """Browser tours on the shared fixtures, waiting patiently for Chromium to start.

    Odoo gives Chromium 10 seconds to open its debugging port and otherwise *skips* the
    tour; a busy CI machine can need longer on the first start. A skipped tour proves
    nothing, so we wait up to 60 seconds instead.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(common, "CHECK_BROWSER_ITERATIONS", 600))
