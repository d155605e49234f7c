from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from .serial_recall import HOLD_RESOLUTIONS


class SerialRecallLine(models.Model):
    _inherit = "serial.recall.line"

    location_kind = fields.Selection(
        selection_add=[("production", "Built Into Another Unit"), ("other",)],
        ondelete={"production": "set default"},
    )
    via_lot_id = fields.Many2one(
        "stock.lot",
        string="Via Component",
        readonly=True,
        help="The affected component lot through which this unit is in scope; empty "
        "when the unit itself is in scope.",
    )
    via_batch_lot_id = fields.Many2one(
        "stock.lot",
        string="Via Batch",
        readonly=True,
        help="Set when the link is batch-level: the unit was built from this batch (or "
        "by an order building several units at once), so it may or may not hold the "
        "affected part itself.",
    )
    via_label = fields.Char(string="Via", compute="_compute_via_label")
    recall_kind = fields.Selection(related="recall_id.kind", string="Campaign Kind")

    @api.depends("via_lot_id", "via_batch_lot_id")
    def _compute_via_label(self):
        for line in self:
            if line.via_batch_lot_id:
                line.via_label = _(
                    "%(lot)s, via batch %(batch)s",
                    lot=line.via_lot_id.name,
                    batch=line.via_batch_lot_id.name,
                )
            elif line.via_lot_id:
                line.via_label = line.via_lot_id.name
            else:
                line.via_label = False

    def _unreserve_blocked_units(self):
        """Remember, per campaign, the open manufacturing orders and deliveries that
        lose their reservation of an affected lot (listed on the campaign)."""
        reserved = self.lot_id._serial_open_reservations()
        for recall, lines in self.grouped("recall_id").items():
            held = reserved.filtered(lambda ml, lots=lines.lot_id: ml.lot_id in lots)
            pickings = held.picking_id.filtered(
                lambda picking: picking.picking_type_code == "outgoing"
            )
            productions = held.move_id.raw_material_production_id
            if pickings or productions:
                recall.sudo().write(
                    {
                        "unreserved_picking_ids": [Command.link(p.id) for p in pickings],
                        "unreserved_production_ids": [Command.link(p.id) for p in productions],
                    }
                )
        return super()._unreserve_blocked_units()

    def _resolve(self, resolution, date=None, note=False):
        """Quality holds take an inspection result: inspected OK or repaired releases
        the unit at once, destroyed scraps what is in stock."""
        holds = self.filtered(lambda line: line.recall_id.kind == "hold")
        if holds and resolution not in HOLD_RESOLUTIONS:
            raise UserError(
                _(
                    "A quality hold takes an inspection result: %(allowed)s, not %(resolution)s.",
                    allowed=", ".join(self._resolution_label(r) for r in HOLD_RESOLUTIONS),
                    resolution=self._resolution_label(resolution),
                )
            )
        res = super()._resolve(resolution, date=date, note=note)
        open_holds = holds.filtered(lambda line: line.recall_id.state == "open")
        if open_holds and resolution == "destroyed":
            open_holds._scrap_held_units()
        elif open_holds and resolution != "destroyed":
            open_holds._release_units()
        return res

    def _scrap_held_units(self):
        """Scrap the units of ``self`` still in stock (destroyed after inspection)."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.lot_id.ids),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ]
            )
        )
        scraps = (
            self.env["stock.scrap"]
            .sudo()
            .create(
                [
                    {
                        "product_id": quant.product_id.id,
                        "lot_id": quant.lot_id.id,
                        "scrap_qty": quant.quantity,
                        "product_uom_id": quant.product_id.uom_id.id,
                        "location_id": quant.location_id.id,
                        "company_id": quant.company_id.id,
                        "origin": self.recall_id[:1].name,
                    }
                    for quant in quants
                ]
            )
        )
        for scrap in scraps:
            scrap.action_validate()
        return scraps
