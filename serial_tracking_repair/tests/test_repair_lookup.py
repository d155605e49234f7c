from odoo.tests import Form, tagged

from odoo.addons.serial_tracking.tests.common import SerialTourCase, WarrantyCase


@tagged("post_install", "-at_install")
class TestRepairFromLookup(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._receive_numbered(cls.product, 1)
        cls._deliver(cls.lot, cls.customer)

    def test_lookup_opens_a_repair_under_warranty(self):
        form = Form(self.env["serial.warranty.lookup"])
        form.code = self.lot.name
        action = form.save().action_open_repair()
        self.assertEqual(action["res_model"], "repair.order")
        repair = Form(self.env["repair.order"].with_context(**action["context"])).save()
        self.assertEqual(repair.lot_id, self.lot)
        self.assertEqual(repair.partner_id, self.customer)
        self.assertTrue(repair.under_warranty)

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
class TestWarrantyLookupTour(SerialTourCase, WarrantyCase):
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
