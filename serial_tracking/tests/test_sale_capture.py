from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SaleCaptureCase


@tagged("post_install", "-at_install")
class TestSaleCapture(SaleCaptureCase):
    def test_flag_only_for_serial_products(self):
        product = self.env["product.product"].create({"name": "Cable", "is_storable": True})
        with self.assertRaisesMsg(ValidationError, "Cable"):
            product.serial_sale_capture = True

    def test_order_to_delivery(self):
        lots = self.lots[:2]
        order = self._quote_in_form([(self.product, 2, lots), (self.plain_product, 1, [])])
        self.assertEqual(order.order_line[0].serial_lot_ids, lots)
        order.action_confirm()
        picking = order.picking_ids
        move = picking.move_ids.filtered(lambda m: m.product_id == self.product)
        self.assertEqual(move.serial_lot_ids, lots)
        self.assertEqual(move.state, "assigned")
        self.assertEqual(move.move_line_ids.lot_id, lots, "exactly the captured units")
        # The product without the flag behaves as in Odoo: any unit is reserved.
        plain = picking.move_ids - move
        self.assertFalse(plain.serial_lot_ids)
        self.assertEqual(len(plain.move_line_ids.lot_id), 1)
        self._click_validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(set(lots.mapped("serial_state")), {"delivered"})
        self.assertEqual(lots.serial_owner_id, self.customer)
        self.assertFalse(order.order_line[0].serial_open_lot_ids)
        self.assertEqual(order.order_line[0].qty_delivered, 2)

    def test_confirm_refused_on_wrong_counts(self):
        order = self._quote_in_form(
            [
                (self.product, 3, self.lots[:2]),
                (self.other_product, 1, []),
                (self.plain_product, 2, []),
            ]
        )
        with self.assertRaises(ValidationError) as err:
            order.action_confirm()
        message = str(err.exception)
        self.assertIn("Camera Z9: quantity 3, serial numbers captured: 2", message)
        self.assertIn("Lens 50mm: quantity 1, serial numbers captured: 0", message)
        self.assertNotIn("Camera Strap", message)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)

    def test_bad_serials_refused_in_one_message(self):
        Lot = self.env["stock.lot"]
        stolen, delivered = self.lots[5], self.lots[6]
        stolen._serial_report_loss("stolen", fields.Date.today(), "POL-9")
        self._deliver(delivered)
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = Lot.create(
            {
                "name": "CAM-FOREIGN",
                "product_id": self.product.id,
                "company_id": other_company.id,
            }
        )
        held = self._quote_in_form([(self.product, 1, self.lots[7])])
        order = self._quote_in_form([(self.product, 1, []), (self.product, 1, [])])
        line_a, line_b = order.order_line
        with self.assertRaises(ValidationError) as err:
            order.write(
                {
                    "order_line": [
                        Command.update(
                            line_a.id,
                            {
                                "serial_lot_ids": [
                                    Command.set(
                                        (
                                            self.other_lots[0]
                                            | stolen
                                            | delivered
                                            | foreign
                                            | self.lots[0]
                                        ).ids
                                    )
                                ]
                            },
                        ),
                        Command.update(
                            line_b.id,
                            {"serial_lot_ids": [Command.set((self.lots[0] | self.lots[7]).ids)]},
                        ),
                    ]
                }
            )
        message = str(err.exception)
        self.assertIn(f"LENS-1 ({order.name} / Camera Z9): it is a unit of Lens 50mm", message)
        self.assertIn("CAM-006", message)
        self.assertIn("blocked (reported stolen)", message)
        self.assertIn(
            f"CAM-007 ({order.name} / Camera Z9): it is not in stock (Delivered)",
            message,
        )
        self.assertIn(
            f"CAM-FOREIGN ({order.name} / Camera Z9): it belongs to company Other Co",
            message,
        )
        self.assertIn(
            f"CAM-001 ({order.name} / Camera Z9): it is captured on several lines",
            message,
        )
        self.assertIn(
            f"CAM-008 ({order.name} / Camera Z9): it is already captured on {held.name}",
            message,
        )
        self.assertFalse(order.order_line.serial_lot_ids, "nothing half-written")

    def test_scan_serials(self):
        order = self._quote_in_form([(self.other_product, 2, [])])
        with Form(order) as order_form, order_form.order_line.edit(0) as line:
            line.serial_scan = "(01)09506000134369(21)LENS-1"
            line.serial_scan = "LENS-2"
            self.assertFalse(line.serial_scan)
        self.assertEqual(order.order_line.serial_lot_ids, self.other_lots)
        line = order.order_line
        cases = {
            "NOPE-1": "Serial NOPE-1 is unknown.",
            "CAM-001": "Serial CAM-001 is a unit of Camera Z9, not of Lens 50mm.",
            "LENS-1": "Serial LENS-1 is already on this line.",
            "(01)09506000134352(21)LENS-1": "GTIN 09506000134352 is not the barcode",
            "(01)09506000134369": "has no serial number (AI 21)",
            "(01)0950600013435X": "is not a valid GS1 code",
        }
        for code, expected in cases.items():
            __, error = line._serial_lookup_scan(code)
            self.assertIn(expected, error, code)
        other = self._quote_in_form([(self.other_product, 1, [])]).order_line
        __, error = other._serial_lookup_scan("LENS-2")
        self.assertIn(
            f"Serial LENS-2 cannot be sold here: it is already captured on {order.name}",
            error,
        )
        # Through RPC, the scan field refuses with the same reason.
        with self.assertRaisesMsg(UserError, "Serial LENS-9 is unknown"):
            other.write({"serial_scan": "LENS-9"})
        # A scanned IMEI with a wrong check digit is invalid, not "unknown".
        phone = self._create_serial_product("Scan Phone", "imei", serial_sale_capture=True)
        imei_line = self._quote_in_form([(phone, 1, [])]).order_line
        __, error = imei_line._serial_lookup_scan("490154203237519")
        self.assertEqual(error, "Serial 490154203237519 is not valid: wrong IMEI check digit.")
        self.other_lots[1].serial_quarantine = True
        order.order_line.serial_lot_ids = self.other_lots[0]
        __, error = other._serial_lookup_scan("LENS-2")
        self.assertIn("it is blocked (quarantine)", error)

    def test_captured_unit_taken_from_other_reservation(self):
        """A plain delivery reserved the unit the customer bought: it gives it up."""
        other = self._create_picking(self.picking_type_out, self.product, 1, self.customer)
        other.action_assign()
        taken = other.move_line_ids.lot_id
        self.assertEqual(len(taken), 1)
        order = self._quote_in_form([(self.product, 1, taken)])
        order.action_confirm()
        self.assertEqual(self._reserved_lots(order.picking_ids), taken)
        self.assertEqual(other.state, "assigned")
        self.assertTrue(other.move_line_ids.lot_id)
        self.assertNotEqual(other.move_line_ids.lot_id, taken)

    def test_other_serial_refused_at_validation(self):
        order = self._quote_in_form([(self.product, 1, self.lots[0])])
        order.action_confirm()
        picking = order.picking_ids
        picking.move_line_ids.lot_id = self.lots[3]
        picking.move_line_ids.picked = True
        with self.assertRaisesMsg(UserError, f"CAM-004 .*not captured on {order.name}"):
            self._click_validate(picking)
        self.assertEqual(picking.state, "assigned")

    def test_partial_delivery_backorder(self):
        lots = self.lots[:3]
        order = self._quote_in_form([(self.product, 3, lots)])
        order.action_confirm()
        picking = order.picking_ids
        first = picking.move_line_ids.filtered(lambda ml: ml.lot_id == lots[1])
        first.picked = True
        self._click_validate(picking, backorder=True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.serial_lot_ids, lots[1])
        self.assertEqual(lots[1].serial_state, "delivered")
        backorder = order.picking_ids - picking
        self.assertEqual(backorder.move_ids.serial_lot_ids, lots[0] | lots[2])
        self.assertEqual(backorder.state, "assigned")
        self.assertEqual(self._reserved_lots(backorder), lots[0] | lots[2])
        self.assertEqual(order.order_line.serial_open_lot_ids, lots[0] | lots[2])
        self._click_validate(backorder)
        self.assertEqual(set(lots.mapped("serial_state")), {"delivered"})
        self.assertEqual(order.order_line.qty_delivered, 3)
        with self.assertRaisesMsg(ValidationError, "CAM-002 .*already delivered by this line"):
            order.order_line.serial_lot_ids = [
                Command.unlink(lots[1].id),
                Command.link(self.lots[4].id),
            ]

    def test_swap_on_confirmed_order(self):
        order = self._quote_in_form([(self.product, 2, self.lots[:2])])
        order.action_confirm()
        picking = order.picking_ids
        order.order_line.serial_lot_ids = [
            Command.unlink(self.lots[0].id),
            Command.link(self.lots[4].id),
        ]
        self.assertEqual(picking.move_ids.serial_lot_ids, self.lots[1] | self.lots[4])
        self.assertEqual(self._reserved_lots(picking), self.lots[1] | self.lots[4])
        quant = self.env["stock.quant"]._gather(
            self.product, self.stock_location, lot_id=self.lots[0]
        )
        self.assertFalse(quant.reserved_quantity, "the swapped unit is released")
        # More units: one write with the new quantity and the new serial.
        with Form(order) as order_form, order_form.order_line.edit(0) as line:
            line.product_uom_qty = 3
            line.serial_lot_ids.add(self.lots[5])
        move = picking.move_ids.filtered(lambda m: m.state != "cancel")
        self.assertEqual(move.product_uom_qty, 3)
        self.assertEqual(self._reserved_lots(picking), self.lots[1] | self.lots[4] | self.lots[5])
        # Fewer units: the unit removed is released.
        with Form(order) as order_form, order_form.order_line.edit(0) as line:
            line.product_uom_qty = 2
            line.serial_lot_ids.remove(self.lots[1].id)
        moves = picking.move_ids.filtered(lambda m: m.state != "cancel")
        self.assertEqual(sum(moves.mapped("product_uom_qty")), 2)
        self.assertEqual(self._reserved_lots(picking), self.lots[4] | self.lots[5])
        self.assertEqual(moves.serial_lot_ids, self.lots[4] | self.lots[5])
        # The count must stay right on a confirmed order.
        with self.assertRaisesMsg(ValidationError, "quantity 2, serial numbers captured: 1"):
            order.order_line.serial_lot_ids = [Command.unlink(self.lots[5].id)]
        self._click_validate(picking)
        self.assertEqual(self.lots[4].serial_owner_id, self.customer)

    def test_cancel_releases_units(self):
        order = self._quote_in_form([(self.product, 2, self.lots[:2])])
        order.action_confirm()
        order._action_cancel()
        self.assertEqual(order.picking_ids.state, "cancel")
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", self.lots[:2].ids), ("location_id", "=", self.stock_location.id)]
        )
        self.assertEqual(sum(quants.mapped("reserved_quantity")), 0)
        self.assertFalse(order.order_line.serial_open_lot_ids)
        self.assertFalse(self.lots[0].serial_sale_line_ids)
        # The units can be sold again.
        other = self._quote_in_form([(self.product, 2, self.lots[:2])])
        other.action_confirm()
        self.assertEqual(self._reserved_lots(other.picking_ids), self.lots[:2])

    def test_block_after_confirmation_then_swap(self):
        order = self._quote_in_form([(self.product, 2, self.lots[:2])])
        order.action_confirm()
        picking = order.picking_ids
        self.assertFalse(order.serial_warning)
        self.lots[1]._serial_report_loss("stolen", fields.Date.today(), "POL-77")
        self.assertIn("CAM-002 (Camera Z9): reported stolen", order.serial_warning)
        # Taken out of stock, and out of the delivery, at once.
        self.assertEqual(self._reserved_lots(picking), self.lots[0])
        with self.assertRaisesMsg(ValidationError, "blocked"):
            order._serial_check_before_confirm()
        order.order_line.serial_lot_ids = [
            Command.unlink(self.lots[1].id),
            Command.link(self.lots[2].id),
        ]
        self.assertFalse(order.serial_warning)
        self.assertEqual(self._reserved_lots(picking), self.lots[0] | self.lots[2])
        self._click_validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.lots[1].serial_state, "lost")

    def test_return_frees_the_unit(self):
        order = self._quote_in_form([(self.product, 1, self.lots[0])])
        order.action_confirm()
        picking = order.picking_ids
        self._click_validate(picking)
        self._return_with_wizard(picking, self.lots[0])
        self.assertEqual(self.lots[0].serial_state, "in_stock")
        self.assertFalse(self.lots[0].serial_owner_id)
        self.assertEqual(self.lots[0].serial_ownership_ids[0].origin, "return")
        # Delivered once by the first order: no longer held, it can be sold again.
        again = self._quote_in_form([(self.product, 1, self.lots[0])])
        again.action_confirm()
        self.assertEqual(self._reserved_lots(again.picking_ids), self.lots[0])

    def test_invoice_and_documents(self):
        self.env.user.groups_id |= self.env.ref("stock_account.group_lot_on_invoice")
        self.env.user.groups_id |= self.env.ref("stock.group_lot_on_delivery_slip")
        order = self._quote_in_form([(self.product, 2, self.lots[:2])])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.action_report_saleorder", order.ids)[0]
            .decode()
        )
        self.assertIn("CAM-001, CAM-002", html)
        order.action_confirm()
        picking = order.picking_ids
        self._click_validate(picking)
        slip = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.action_report_delivery", picking.ids)[0]
            .decode()
        )
        self.assertIn("CAM-001", slip)
        self.assertIn("CAM-002", slip)
        invoice = order._create_invoices()
        line = invoice.invoice_line_ids
        self.assertEqual(line.serial_lot_ids, self.lots[:2])
        invoice.action_post()
        lot_values = invoice._get_invoiced_lot_values()
        self.assertEqual({v["lot_name"] for v in lot_values}, {"CAM-001", "CAM-002"})
        # An accountant without sales or inventory rights prints and opens the invoice.
        accountant = self._create_user("acc_only_serial", "account.group_account_invoice")
        self.assertFalse(accountant.has_group("sales_team.group_sale_salesman"))
        pdf = (
            self.env["ir.actions.report"]
            .with_user(accountant)
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("CAM-001, CAM-002", pdf)
        with Form(invoice.with_user(accountant)) as invoice_form:
            self.assertEqual(invoice_form.partner_id, self.customer)

    def test_multi_step_delivery(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._quote_in_form([(self.product, 2, self.lots[2:4])])
        order.action_confirm()
        pick = order.picking_ids.filtered(lambda p: p.location_id == self.stock_location)
        self.assertEqual(pick.move_ids.serial_lot_ids, self.lots[2:4])
        self.assertEqual(self._reserved_lots(pick), self.lots[2:4])
        self._click_validate(pick)
        ship = order.picking_ids - pick
        self.assertEqual(self._reserved_lots(ship), self.lots[2:4])
        self._click_validate(ship)
        self.assertEqual(self.lots[2:4].serial_owner_id, self.customer)


@tagged("post_install", "-at_install")
class TestSaleCaptureAccess(SaleCaptureCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Serial Co B"})
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.lots_b = cls._add_units_by_inventory(
            cls.product,
            ["CAM-B-1"],
            location=cls.warehouse_b.lot_stock_id,
            company=cls.company_b,
        )

    def test_salesperson_captures_and_confirms(self):
        self.assertFalse(self.salesman.has_group("stock.group_stock_user"))
        self.assertFalse(self.salesman.has_group("serial_tracking.group_serial_tracking_user"))
        order = self._quote_in_form([(self.product, 2, self.lots[:2])], user=self.salesman)
        order = order.with_user(self.salesman)
        order.action_confirm()
        self.assertEqual(self._reserved_lots(order.sudo().picking_ids), self.lots[:2])
        # Swap after confirmation, still without inventory rights.
        order.order_line.serial_lot_ids = [
            Command.unlink(self.lots[0].id),
            Command.link(self.lots[2].id),
        ]
        self.assertEqual(self._reserved_lots(order.sudo().picking_ids), self.lots[1] | self.lots[2])
        self.assertEqual(order.order_line.serial_lot_ids.mapped("name"), ["CAM-002", "CAM-003"])
        with self.assertRaises(AccessError):
            self.lots[0].with_user(self.salesman).write({"serial_quarantine": True})

    def test_salesperson_sees_own_company_units_only(self):
        Lot = self.env["stock.lot"].with_user(self.salesman)
        visible = Lot.search([("product_id", "=", self.product.id)])
        self.assertIn(self.lots[0], visible)
        self.assertNotIn(self.lots_b, visible)
        order = self._quote_in_form([(self.product, 1, [])], user=self.salesman)
        line = order.order_line.with_user(self.salesman)
        lot, error = line._serial_lookup_scan("CAM-B-1")
        self.assertFalse(lot)
        # The salesperson may not read that unit: nothing about it but "another company".
        self.assertIn("CAM-B-1 cannot be sold here: used by another company", error)
        self.assertNotIn("Serial Co B", error)
        with self.assertRaisesMsg(ValidationError, "CAM-B-1.*belongs to company Serial Co B"):
            line.sudo().serial_lot_ids = self.lots_b

    def test_portal_user_has_no_access_to_units(self):
        """Customers see serials only through their order's portal page (sudo, token)."""
        with self.assertRaises(AccessError):
            self.lots[0].with_user(self.portal_user).read(["name"])

    def test_selection_domain(self):
        """The choice offered on the line: same product, in stock here, free, not blocked."""
        order = self._quote_in_form([(self.product, 1, [])], user=self.salesman)
        line = order.order_line
        self._quote_in_form([(self.product, 1, self.lots[0])])
        self.lots[1].serial_quarantine = True
        field_domain = safe_eval(
            line._fields["serial_lot_ids"].domain,
            {
                "product_id": line.product_id.id,
                "company_id": line.company_id.id,
                "warehouse_id": line.warehouse_id.id,
            },
        )
        offered = self.env["stock.lot"].with_user(self.salesman).search(field_domain)
        self.assertEqual(offered, self.lots[2:])
