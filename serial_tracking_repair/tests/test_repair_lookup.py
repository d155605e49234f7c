from odoo import Command
from odoo.tests import Form, tagged

from odoo.addons.serial_tracking.tests.tour_common import SerialTourCase
from odoo.addons.serial_tracking.tests.warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestRepairFromLookup(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._create_lots(cls.product, 1)
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
        self._return(self.lot, self.customer)
        repair = self.env["repair.order"].create(
            {"product_id": self.product.id, "lot_id": self.lot.id, "partner_id": self.customer.id}
        )
        repair.action_validate()
        self.assertEqual(self.lot.serial_state, "in_repair")


@tagged("post_install", "-at_install")
class TestReturnForRepair(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone_lot = cls._create_lots(cls.product, 1)
        cls._deliver(cls.phone_lot, cls.customer)

    def test_return_for_repair_keeps_coverage(self):
        coverage = self.phone_lot.serial_warranty_ids
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.customer_location.id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.customer_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": picking.move_ids.id,
                "picking_id": picking.id,
                "product_id": self.product.id,
                "lot_id": self.phone_lot.id,
                "quantity": 1,
                "picked": True,
                "location_id": self.customer_location.id,
                "location_dest_id": self.stock_location.id,
            }
        )
        self.env["repair.order"].create(
            {
                "product_id": self.product.id,
                "lot_id": self.phone_lot.id,
                "partner_id": self.customer.id,
                "picking_id": picking.id,
            }
        )
        picking.button_validate()
        self.assertEqual(coverage.state, "active")


@tagged("post_install", "-at_install")
class TestWarrantyLookupTour(SerialTourCase, WarrantyCommon):
    def test_lookup_to_repair_tour(self):
        lot = self.env["stock.lot"].create({"name": "WTOUR-0001", "product_id": self.product.id})
        self._move(
            lot,
            self.env.ref("stock.stock_location_suppliers"),
            self.stock_location,
            self.customer_b,
            self.warehouse.in_type_id,
        )
        self._deliver(lot, self.customer)
        # the unit came back for repair: it is in stock, its coverage is transferable
        self.term_delivery.transferable = True
        self._return(lot, self.customer)
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
