"""Fixtures of the manufacturing bridge: units built by real manufacturing orders.

Three levels of manufacturing from purchased batches::

    CELL-A, CELL-B (cells, lot-tracked, bought)  -> BAT-1..BAT-5 (batteries, serial)
    CHIP-A (chips, lot-tracked, bought)          -> BRD-LOT-7 (boards, lot-tracked, 5)
    battery + board                              -> PH-1..PH-4 (phones, serial)
    phone                                        -> KIT-1 (kits, serial)

BAT-1, BAT-2 hold a CELL-A cell, BAT-3..BAT-5 a CELL-B cell. PH-1 is BAT-1 and a
board, KIT-1 is PH-1; PH-2..PH-4 come from one order of three phones produced with
Odoo's batch production (one order per unit): BAT-2, BAT-3, BAT-4. BAT-5 stays in stock.
"""

from datetime import datetime

from odoo import Command
from odoo.tests import Form

from odoo.addons.serial_tracking.tests.common import RecallCase


class GenealogyCase(RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production_type = cls.warehouse.manu_type_id
        Product = cls.env["product.product"]

        def lot_product(name):
            return Product.create({"name": name, "is_storable": True, "tracking": "lot"})

        cls.cell = lot_product("Li-ion Cell")
        cls.chip = lot_product("Radio Chip")
        cls.board = lot_product("Main Board")
        cls.battery = cls._create_serial_product("Phone Battery")
        cls.phone = cls._create_serial_product("Smartphone X")
        cls.kit = cls._create_serial_product("Smartphone Kit")
        cls.boms = {
            cls.battery: cls._bom(cls.battery, [(cls.cell, 1)]),
            cls.board: cls._bom(cls.board, [(cls.chip, 1)]),
            cls.phone: cls._bom(cls.phone, [(cls.battery, 1), (cls.board, 1)]),
            cls.kit: cls._bom(cls.kit, [(cls.phone, 1)]),
        }
        cls.cell_a = cls._receive_batch(cls.cell, "CELL-A", 10, date=datetime(2026, 1, 5, 9))
        cls.cell_b = cls._receive_batch(cls.cell, "CELL-B", 10, cls.vendor_2)
        cls.chip_a = cls._receive_batch(cls.chip, "CHIP-A", 10)

        cls.bat = {}
        for i, cell in enumerate([cls.cell_a] * 2 + [cls.cell_b] * 3, start=1):
            cls.bat[i] = cls._produce(cls.battery, f"BAT-{i}", {cls.cell: [(cell, 1)]})
        cls.board_lot = cls._produce(cls.board, "BRD-LOT-7", {cls.chip: [(cls.chip_a, 5)]}, qty=5)
        cls.ph1 = cls._produce(
            cls.phone,
            "PH-1",
            {cls.battery: [(cls.bat[1], 1)], cls.board: [(cls.board_lot, 1)]},
        )
        cls.kit1 = cls._produce(cls.kit, "KIT-1", {cls.phone: [(cls.ph1, 1)]})
        cls.batch_phones = cls._batch_produce(
            cls.phone,
            [
                ("PH-2", "BAT-2", "BRD-LOT-7;1"),
                ("PH-3", "BAT-3", "BRD-LOT-7;1"),
                ("PH-4", "BAT-4", "BRD-LOT-7;1"),
            ],
        )
        cls.ph = {lot.name: lot for lot in cls.batch_phones | cls.ph1}

    @classmethod
    def _bom(cls, product, lines):
        return cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": qty})
                    for component, qty in lines
                ],
            }
        )

    @classmethod
    def _receive_batch(cls, product, name, qty, vendor=None, date=None):
        """Receive ``qty`` units of the new lot ``name`` of ``product`` from ``vendor``."""
        lot = cls.env["stock.lot"].create({"name": name, "product_id": product.id})
        picking = cls._create_picking(cls.picking_type_in, product, qty, vendor or cls.vendor)
        move = picking.move_ids
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            dict(move._prepare_move_line_vals(quantity=qty), lot_id=lot.id, picked=True)
        )
        picking.button_validate()
        if date:
            picking.move_line_ids.write({"date": date})
        return lot

    @classmethod
    def _pick_components(cls, production, components):
        """Pick exactly ``components`` ({product: [(lot, qty)]}) on ``production``."""
        for move in production.move_raw_ids:
            move.move_line_ids.unlink()
            cls.env["stock.move.line"].create(
                [
                    dict(move._prepare_move_line_vals(quantity=qty), lot_id=lot.id)
                    for lot, qty in components[move.product_id]
                ]
            )
            move.picked = True

    @classmethod
    def _produce(cls, product, name, components, qty=1):
        """Build the new lot ``name`` of ``qty`` ``product`` from ``components`` with a
        manufacturing order, as a user does: confirm, set the lot, pick, mark done."""
        production = cls.env["mrp.production"].create(
            {"product_id": product.id, "product_qty": qty, "bom_id": cls.boms[product].id}
        )
        production.action_confirm()
        production.lot_producing_id = cls.env["stock.lot"].create(
            {"name": name, "product_id": product.id}
        )
        production.qty_producing = qty
        production._set_qty_producing(False)
        cls._pick_components(production, components)
        production.button_mark_done()
        assert production.state == "done", production.state
        return production.lot_producing_id

    @classmethod
    def _batch_produce(cls, product, rows):
        """Produce one unit per row ``(serial, component text...)`` in one order of
        ``len(rows)`` units, through Odoo's batch production wizard (which splits the
        order into one order per unit)."""
        production = cls.env["mrp.production"].create(
            {"product_id": product.id, "product_qty": len(rows), "bom_id": cls.boms[product].id}
        )
        production.action_confirm()
        action = production.button_mark_done()
        assert action["res_model"] == "mrp.batch.produce", action
        wizard = Form(cls.env["mrp.batch.produce"].with_context(**action["context"]))
        wizard.production_text = "\n".join(",".join(row) for row in rows)
        wizard.save().action_done()
        productions = production.procurement_group_id.mrp_production_ids
        assert set(productions.mapped("state")) == {"done"}, productions.mapped("state")
        return productions.lot_producing_id

    @classmethod
    def _scope(cls, **vals):
        recall = cls._create_recall(**vals)
        recall.action_compute_scope()
        return recall

    @staticmethod
    def _by_lot(recall):
        return {line.lot_id.name: line for line in recall.line_ids}
