from odoo import Command
from odoo.tests import tagged

from .common import GenealogyCase


@tagged("post_install", "-at_install")
class TestRecallComponents(GenealogyCase):
    def test_exact_links_through_serial_and_lot_components(self):
        recall = self._scope(lot_ids=[Command.set(self.cell_a.ids)])
        lines = self._by_lot(recall)
        # The cells batch itself (in stock, to block) and every unit built from it,
        # at any depth; nothing built from CELL-B (PH-3, PH-4 of the same batch run).
        self.assertEqual(set(lines), {"CELL-A", "BAT-1", "BAT-2", "PH-1", "PH-2", "KIT-1"})
        self.assertFalse(lines["CELL-A"].via_lot_id)
        for name in ("BAT-1", "BAT-2", "PH-1", "PH-2", "KIT-1"):
            self.assertEqual(lines[name].via_lot_id, self.cell_a, name)
            self.assertFalse(lines[name].via_batch_lot_id, name)
            self.assertEqual(lines[name].via_label, "CELL-A")
        self.assertEqual(lines["CELL-A"].location_kind, "stock")
        self.assertEqual(lines["BAT-1"].location_kind, "production")
        self.assertEqual(lines["KIT-1"].location_kind, "stock")
        self.assertEqual(recall.in_production_count, 3)  # BAT-1, BAT-2, PH-1 built in
        self.assertEqual(recall.via_count, 5)

    def test_batch_level_link_through_lot_intermediate(self):
        recall = self._scope(lot_ids=[Command.set(self.chip_a.ids)])
        lines = self._by_lot(recall)
        self.assertEqual(
            set(lines), {"CHIP-A", "BRD-LOT-7", "PH-1", "PH-2", "PH-3", "PH-4", "KIT-1"}
        )
        # The board left in stock is built from the chips: an exact link.
        self.assertEqual(lines["BRD-LOT-7"].via_lot_id, self.chip_a)
        self.assertFalse(lines["BRD-LOT-7"].via_batch_lot_id)
        self.assertEqual(lines["BRD-LOT-7"].location_kind, "stock")
        for name in ("PH-1", "PH-2", "PH-3", "PH-4", "KIT-1"):
            self.assertEqual(lines[name].via_lot_id, self.chip_a, name)
            self.assertEqual(lines[name].via_batch_lot_id, self.board_lot, name)
        self.assertEqual(lines["PH-3"].via_label, "CHIP-A, via batch BRD-LOT-7")

    def test_scope_by_component_product_and_vendor(self):
        recall = self._scope(
            product_ids=[Command.set(self.cell.ids)], vendor_ids=[Command.set(self.vendor_2.ids)]
        )
        self.assertEqual(
            set(self._by_lot(recall)), {"CELL-B", "BAT-3", "BAT-4", "BAT-5", "PH-3", "PH-4"}
        )
        recall = self._scope(
            product_ids=[Command.set(self.cell.ids)],
            receipt_date_from="2026-01-01",
            receipt_date_to="2026-01-31",
        )
        self.assertIn("KIT-1", self._by_lot(recall))
        self.assertNotIn("PH-3", self._by_lot(recall))

    def test_without_finished_units(self):
        recall = self._scope(product_ids=[Command.set(self.battery.ids)], include_finished=False)
        self.assertEqual(set(self._by_lot(recall)), {f"BAT-{i}" for i in range(1, 6)})
        recall = self._scope(product_ids=[Command.set(self.battery.ids)])
        self.assertEqual(len(recall.line_ids), 5 + 4 + 1)

    def test_lot_without_finished_units(self):
        lot = self._receive_batch(self.cell, "CELL-C", 4)
        recall = self._scope(lot_ids=[Command.set(lot.ids)])
        self.assertEqual(set(self._by_lot(recall)), {"CELL-C"})
        recall.action_open()
        self.assertTrue(lot.serial_blocked)

    def test_open_blocks_components_and_unreserves_open_orders(self):
        production = self.env["mrp.production"].create(
            {"product_id": self.battery.id, "bom_id": self.boms[self.battery].id}
        )
        production.action_confirm()
        self._pick_components(production, {self.cell: [(self.cell_a, 1)]})
        production.move_raw_ids.picked = False
        recall = self._scope(lot_ids=[Command.set(self.cell_a.ids)])
        self.assertEqual(recall.production_ids, production)
        self._deliver(self.kit1, self.customer)
        # A pending delivery that reserved PH-2.
        delivery = self._create_picking(self.picking_type_out, self.phone, 1, self.customer_2)
        delivery.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            dict(delivery.move_ids._prepare_move_line_vals(quantity=1), lot_id=self.ph["PH-2"].id)
        )
        recall = self._scope(lot_ids=[Command.set(self.cell_a.ids)])
        self.assertEqual(recall.delivery_ids, delivery)
        recall.action_open()
        # Listed once the reservations are undone.
        self.assertEqual(recall.production_ids, production)
        self.assertEqual(recall.delivery_ids, delivery)
        self.assertNotIn(self.ph["PH-2"], delivery.move_line_ids.lot_id)
        self.assertTrue(self.cell_a.serial_blocked)
        self.assertTrue(self.ph["PH-2"].serial_blocked)
        self.assertNotIn(self.cell_a, production.move_raw_ids.move_line_ids.lot_id)
        # Reserved again from the batch nobody recalled.
        self.assertEqual(production.move_raw_ids.move_line_ids.lot_id, self.cell_b)
        self.assertIn(
            "CELL-A", " ".join(production.message_ids.mapped("body")), "note on the order"
        )
        # The customer holding the kit built from CELL-A is notified.
        self.assertEqual(self._email_count(recall, self.customer), 1)

    def test_component_added_to_a_done_order(self):
        chip_b = self._receive_batch(self.chip, "CHIP-B", 2)
        production = self.env["mrp.production"].search(
            [("lot_producing_id", "=", self.ph["PH-3"].id)]
        )
        production.action_toggle_is_locked()
        # As the form of a done order adds a component line: the move is done at once.
        move = (
            self.env["stock.move"]
            .with_context(default_raw_material_production_id=production.id)
            .create(
                {
                    "name": "extra chip",
                    "product_id": self.chip.id,
                    "product_uom": self.chip.uom_id.id,
                    "location_id": production.location_src_id.id,
                    "location_dest_id": production.production_location_id.id,
                    "raw_material_production_id": production.id,
                }
            )
        )
        self.assertEqual(move.state, "done")
        self.env["stock.move.line"].create(
            dict(move._prepare_move_line_vals(quantity=1), lot_id=chip_b.id)
        )
        self.assertIn(chip_b, self.ph["PH-3"].serial_component_lot_ids)
        recall = self._scope(lot_ids=[Command.set(chip_b.ids)])
        lines = self._by_lot(recall)
        self.assertEqual(set(lines), {"CHIP-B", "PH-3"})
        self.assertEqual(lines["PH-3"].via_lot_id, chip_b)

    def test_order_building_several_lots_at_once_is_batch_level(self):
        """A done order corrected by hand to have built two board lots from one chip
        lot: which lot holds which chip is unknown, so both links are batch-level."""
        chip_x = self._receive_batch(self.chip, "CHIP-X", 2)
        brd_8 = self._produce(self.board, "BRD-8", {self.chip: [(chip_x, 2)]}, qty=2)
        production = self.env["mrp.production"].search([("lot_producing_id", "=", brd_8.id)])
        production.action_toggle_is_locked()
        finished = production.move_finished_ids.filtered(lambda move: move.product_id == self.board)
        finished.move_line_ids.quantity = 1
        brd_9 = self.env["stock.lot"].create({"name": "BRD-9", "product_id": self.board.id})
        self.env["stock.move.line"].create(
            dict(finished._prepare_move_line_vals(quantity=1), lot_id=brd_9.id)
        )
        self.assertEqual(chip_x.serial_parent_lot_ids, brd_8 | brd_9)
        recall = self._scope(lot_ids=[Command.set(chip_x.ids)])
        lines = self._by_lot(recall)
        self.assertEqual(set(lines), {"BRD-8", "BRD-9"})  # the chips are all used
        for name in ("BRD-8", "BRD-9"):
            self.assertEqual(lines[name].via_lot_id, chip_x)
            self.assertEqual(lines[name].via_batch_lot_id, chip_x)

    def test_create_from_production(self):
        production = self.env["mrp.production"].search([("lot_producing_id", "=", self.kit1.id)])
        action = self.env["serial.recall"].action_create_from("mrp.production", production.ids)
        self.assertEqual(action["context"]["default_lot_ids"], self.kit1.ids)
        hold = production.action_serial_create_hold()
        self.assertEqual(hold["context"]["default_kind"], "hold")
