from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestLossLeavesStock(SerialTrackingCase):
    """A unit reported stolen or lost in our stock leaves it by a real stock move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._create_user(
            "loss_clerk",
            "stock.group_stock_user,serial_tracking.group_serial_tracking_user",
        )
        cls.manager = cls._create_user(
            "loss_manager",
            "stock.group_stock_user,serial_tracking.group_serial_tracking_manager",
        )
        cls.units = cls._receive_units(cls.product_free, ["LOSS-1", "LOSS-2", "LOSS-3"])

    def _report(self, lots, user, loss_state="stolen"):
        form = Form(
            self.env["serial.loss.report.wizard"]
            .with_user(user)
            .with_context(default_lot_ids=lots.ids)
        )
        form.loss_state = loss_state
        form.reference = "POLICE-42"
        form.save().action_confirm()

    def _on_hand(self, lot):
        return self.product_free.with_context(lot_id=lot.id).qty_available

    def test_stolen_unit_leaves_stock_and_reservations(self):
        unit, other, _third = self.units
        delivery = self._create_picking(self.picking_type_out, self.product_free, 1, self.customer)
        delivery.action_assign()
        delivery.move_line_ids.lot_id = unit  # the clerk had picked that very unit
        self.assertEqual(self.product_free.qty_available, 3)

        self._report(unit, self.clerk)

        self.assertEqual(self.product_free.qty_available, 2, "no longer on hand")
        self.assertEqual(self._on_hand(unit), 0)
        self.assertEqual(unit.serial_state, "lost")
        move = self.env["stock.move"].search(
            [("move_line_ids.lot_id", "=", unit.id)], order="id desc", limit=1
        )
        self.assertEqual(move.state, "done")
        self.assertTrue(move.is_inventory)
        self.assertEqual(move.location_id, self.stock_location)
        self.assertEqual(move.location_dest_id.usage, "inventory")
        self.assertIn("reported stolen", move.name)
        # The delivery let go of the unit and took another one.
        self.assertNotIn(unit, delivery.move_line_ids.lot_id)
        self.assertEqual(len(delivery.move_line_ids), 1)
        self.assertIn("Reservation undone", delivery.message_ids[0].body)
        self.assertIn("Taken out of stock", unit.message_ids[0].body)
        self.assertEqual(self._on_hand(other), 1)

    def test_recovered_unit_comes_back_by_adjustment(self):
        unit = self.units[1]
        self._report(unit, self.clerk, "lost")
        self.assertEqual(self.product_free.qty_available, 2)
        wizard = (
            self.env["serial.loss.clear.wizard"]
            .with_user(self.manager)
            .with_context(default_lot_ids=unit.ids)
            .create({"reason": "Found behind the shelf."})
        )
        self.assertTrue(wizard.restock, "put back in stock by default")
        wizard.action_confirm()
        self.assertEqual(unit.serial_loss_state, "none")
        self.assertEqual(self.product_free.qty_available, 3)
        quant = unit.quant_ids.filtered(lambda q: q.quantity > 0)
        self.assertEqual(quant.location_id, self.stock_location, "where it was taken from")
        self.assertEqual(unit.serial_state, "in_stock")
        self.assertIn("Back in stock", unit.message_ids[0].body)

    def test_recovered_unit_not_back_yet_stays_out(self):
        unit = self.units[2]
        self._report(unit, self.clerk)
        self.env["serial.loss.clear.wizard"].with_user(self.manager).with_context(
            default_lot_ids=unit.ids
        ).create(
            {"reason": "Report closed, unit kept by the police.", "restock": False}
        ).action_confirm()
        self.assertEqual(self.product_free.qty_available, 2)

    def test_unit_at_a_customer_has_no_stock_move(self):
        unit = self.units[0]
        self._deliver(unit, self.customer)
        moves_before = self.env["stock.move"].search_count([])
        self._report(unit, self.clerk)
        self.assertEqual(self.env["stock.move"].search_count([]), moves_before)
        self.assertEqual(unit.serial_state, "delivered")

    def test_blocked_units_here_stay_on_hand_but_are_not_promised(self):
        unit = self.units[0]
        unit.sudo().write({"serial_quarantine": True, "serial_quarantine_reason": "dented"})
        product = self.product_free.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(product.qty_available, 3, "still physically here")
        self.assertEqual(product.free_qty, 2)
        self.assertEqual(product.virtual_available, 2, "not available to promise")
        delivery = self._create_picking(self.picking_type_out, self.product_free, 3, self.customer)
        delivery.action_assign()
        self.assertNotIn(unit, delivery.move_line_ids.lot_id, "nor reserved")
        self.assertEqual(len(delivery.move_line_ids), 2)
