from odoo import Command, api, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def action_serial_create_hold(self):
        return (
            self.env["serial.recall"]
            .with_context(serial_recall_kind="hold")
            .action_create_from("mrp.production", self.ids)
        )

    @api.model
    def _serial_demo_genealogy(self):
        """Demo data: phones built from a battery lot and a serial board, one by a
        single order and three by batch production, then a quality hold and a recall
        on the battery lot. Built through real orders (called from demo XML)."""
        ref = self.env.ref
        company = self.env.company
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        battery = ref("serial_tracking_mrp.demo_product_battery").product_variant_id
        board = ref("serial_tracking_mrp.demo_product_board").product_variant_id
        phone = ref("serial_tracking_mrp.demo_product_phone").product_variant_id
        Lot = self.env["stock.lot"]
        bat_lots = Lot.create(
            [{"name": name, "product_id": battery.id} for name in ("BATL-2026-01", "BATL-2026-02")]
        )
        boards = Lot.create([{"name": f"BRD-{i:04d}", "product_id": board.id} for i in range(1, 5)])
        quants = self.env["stock.quant"].with_context(inventory_mode=True)
        quants.create(
            [
                {
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "inventory_quantity": 20 if lot.product_id == battery else 1,
                }
                for lot in bat_lots | boards
            ]
        ).action_apply_inventory()
        bom = ref("serial_tracking_mrp.demo_bom_phone")

        single = self.create({"product_id": phone.id, "bom_id": bom.id, "product_qty": 1})
        single.action_confirm()
        single.lot_producing_id = Lot.create({"name": "PHX-0001", "product_id": phone.id})
        single.qty_producing = 1
        single._set_qty_producing(False)
        for move in single.move_raw_ids:
            move.move_line_ids.unlink()
            lot = bat_lots[0] if move.product_id == battery else boards[0]
            self.env["stock.move.line"].create(
                dict(move._prepare_move_line_vals(quantity=1), lot_id=lot.id)
            )
            move.picked = True
        single.button_mark_done()

        batch = self.create({"product_id": phone.id, "bom_id": bom.id, "product_qty": 3})
        batch.action_confirm()
        rows = [
            ("PHX-0002", "BATL-2026-01;1", "BRD-0002"),
            ("PHX-0003", "BATL-2026-02;1", "BRD-0003"),
            ("PHX-0004", "BATL-2026-01;1", "BRD-0004"),
        ]
        # The wizard reads one component per order line, in the order's line order.
        column = {battery: 1, board: 2}
        texts = [
            ",".join([row[0]] + [row[column[move.product_id]] for move in batch.move_raw_ids])
            for row in rows
        ]
        self.env["mrp.batch.produce"].create(
            {"production_id": batch.id, "production_text": "\n".join(texts)}
        ).action_done()

        Recall = self.env["serial.recall"]
        hold = Recall.create(
            {
                "kind": "hold",
                "title": "Battery lot BATL-2026-01: swelling cells",
                "reason": "Cells of lot BATL-2026-01 swell under charge.",
                "lot_ids": [Command.set(bat_lots[0].ids)],
            }
        )
        hold.action_compute_scope()
        hold.action_open()
        recall = Recall.create(
            {
                "title": "Phones with a BATL-2026-01 battery",
                "reason": "The battery may swell and crack the back cover.",
                "instructions": "Stop charging the phone and bring it to a shop.",
                "action_required": "replace",
                "lot_ids": [Command.set(bat_lots[0].ids)],
            }
        )
        recall.action_compute_scope()
        return True
