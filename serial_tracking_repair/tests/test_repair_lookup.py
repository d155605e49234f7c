from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.serial_tracking.tests.common import SerialTourCase, WarrantyCase


class LookupRepairCase(WarrantyCase):
    """The service desk looks units up and opens their repairs."""

    def _lookup(self, lot, user=None):
        form = Form(self.env["serial.warranty.lookup"].with_user(user or self.stock_user))
        form.code = lot.name
        return form.save()

    def _report_stolen(self, lot):
        action = lot.action_serial_report_loss()  # the unit form's button
        report = Form(self.env[action["res_model"]].with_context(**action["context"]))
        report.loss_state = "stolen"
        report.date = date(2026, 3, 5)
        report.reference = "POL-2026-11"
        report.save().action_confirm()


@tagged("post_install", "-at_install")
class TestRepairFromLookup(LookupRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._receive_numbered(cls.product, 1)
        cls.delivery = cls._deliver(cls.lot, cls.customer)

    def test_customer_unit_is_taken_back_for_repair(self):
        coverage = self.lot.serial_warranty_ids
        wizard = self._lookup(self.lot)
        self.assertTrue(wizard.unit_at_customer)
        action = wizard.action_open_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        # Odoo's return for repair: the return of the delivery is the repair's Return,
        # validated at the desk, and the repair starts where it put the unit.
        self.assertEqual(repair.picking_id.return_id, self.delivery)
        self.assertEqual(repair.picking_id.state, "done")
        self.assertEqual(repair.picking_id.move_line_ids.lot_id, self.lot)
        self.assertEqual(repair.product_location_src_id, self.stock_location)
        self.assertEqual(self.lot.location_id, self.stock_location)
        self.assertEqual((repair.lot_id, repair.partner_id), (self.lot, self.customer))
        self.assertTrue(repair.under_warranty)
        self.assertEqual(coverage.state, "active")  # returned for a repair
        # Confirming finds the unit: no "insufficient quantity" warning.
        repair = repair.with_user(self.stock_user)
        self.assertIs(repair.action_validate(), True)
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(self.lot.serial_state, "in_repair")
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(self.lot.location_id, self.stock_location)
        self.assertEqual(self.lot.serial_state, "in_stock")
        self.assertEqual(coverage.state, "active")

    def test_return_for_repair_keeps_the_sale_delivered(self):
        lot = self._receive_numbered(self.product, 1, prefix="SOLD")
        order = self._sell([(self.product, 1)])
        self._deliver_order(order, lot)
        self.assertEqual(order.order_line.qty_delivered, 1)
        self._lookup(lot).action_open_repair()
        self.assertEqual(lot.location_id, self.stock_location)
        self.assertEqual(order.order_line.qty_delivered, 1)  # a repair is no refund

    def test_unit_in_house_is_repaired_where_it_is(self):
        shelf = self.env["stock.location"].create(
            {"name": "Shelf 9", "location_id": self.stock_location.id}
        )
        lot = self.env["stock.lot"].create({"name": "SHELF-9-1", "product_id": self.product.id})
        self._move_units(lot, self.picking_type_in, self.vendor, self.supplier_location, shelf)
        wizard = self._lookup(lot)
        self.assertFalse(wizard.unit_at_customer)
        action = wizard.action_open_repair()
        repair = Form(self.env["repair.order"].with_context(**action["context"])).save()
        self.assertEqual(repair.lot_id, lot)
        self.assertEqual(repair.product_location_src_id, shelf)
        self.assertFalse(repair.picking_id)
        self.assertIs(repair.action_validate(), True)
        self.assertEqual(lot.serial_state, "in_repair")

    def test_no_repair_for_a_stolen_unit(self):
        self._report_stolen(self.lot)
        wizard = self._lookup(self.lot)
        with self.assertRaisesRegex(UserError, "registered as stolen: keep the unit"):
            wizard.action_open_repair()
        self.assertFalse(self.env["repair.order"].search([("lot_id", "=", self.lot.id)]))
        self.assertFalse(self.env["stock.picking"].search([("return_id", "=", self.delivery.id)]))

    def test_unit_of_a_confirmed_repair_is_in_repair(self):
        self._receive_back(self.lot, self.customer)
        repair = self.env["repair.order"].create(
            {"product_id": self.product.id, "lot_id": self.lot.id, "partner_id": self.customer.id}
        )
        repair.action_validate()
        self.assertEqual(self.lot.serial_state, "in_repair")


@tagged("post_install", "-at_install")
class TestReturnForRepair(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone_lot = cls._receive_numbered(cls.product, 1)
        cls._deliver(cls.phone_lot, cls.customer)

    def test_return_for_repair_keeps_coverage(self):
        coverage = self.phone_lot.serial_warranty_ids
        picking = self._create_picking(
            self.picking_type_in,
            self.product,
            1,
            self.customer,
            self.customer_location,
            self.stock_location,
        )
        self.env["repair.order"].create(
            {
                "product_id": self.product.id,
                "lot_id": self.phone_lot.id,
                "partner_id": self.customer.id,
                "picking_id": picking.id,
            }
        )
        self._validate_picking(picking, self.phone_lot)
        self.assertEqual(coverage.state, "active")


@tagged("post_install", "-at_install")
class TestWarrantyLookupTour(SerialTourCase, LookupRepairCase):
    def test_lookup_to_repair_tour(self):
        lot = self._receive_units(self.product, ["WTOUR-0001"])
        self._deliver(lot, self.customer)
        # the unit came back for repair: it is in stock, its coverage is transferable
        self.term_delivery.transferable = True
        self._receive_back(lot, self.customer)
        self.assertEqual(lot.serial_warranty_state, "active")
        self.start_tour(
            "/odoo/action-serial_tracking.serial_warranty_lookup_action",
            "serial_tracking_repair_lookup_tour",
            login="admin",
        )
        repair = self.env["repair.order"].search([("lot_id", "=", lot.id)])
        self.assertEqual(len(repair), 1)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(repair.product_id, self.product)

    def test_desk_tour_stolen_and_customer_units(self):
        stolen = self._receive_units(self.product, ["WSTOLEN-1"])
        self._deliver(stolen, self.customer)
        self._report_stolen(stolen)
        phone = self._receive_units(self.product, ["WCUST-1"])
        delivery = self._deliver(phone, self.customer_2)
        self.start_tour(
            "/odoo/action-serial_tracking.serial_warranty_lookup_action",
            "serial_tracking_repair_desk_tour",
            login="admin",
        )
        self.assertFalse(self.env["repair.order"].search([("lot_id", "=", stolen.id)]))
        repair = self.env["repair.order"].search([("lot_id", "=", phone.id)])
        self.assertEqual(repair.picking_id.return_id, delivery)
        self.assertEqual(repair.partner_id, self.customer_2)
        self.assertEqual(repair.state, "confirmed")  # no insufficient quantity on the way
        self.assertEqual(phone.serial_state, "in_repair")
