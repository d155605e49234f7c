from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL

# One step of the genealogy, from the lots of ``walk`` (alias ``w``, column
# ``lot_id``) down to the lots they went into (``e.lot_id``), or up to the lots they
# were built from (``e.component_lot_id``). See serial.genealogy.link.
DOWN_STEP = "JOIN serial_genealogy_link e ON e.component_lot_id = w.lot_id"
DOWN_TARGET = "e.lot_id"
UP_STEP = "JOIN serial_genealogy_link e ON e.lot_id = w.lot_id"
UP_TARGET = "e.component_lot_id"


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_component_lot_ids = fields.Many2many(
        "stock.lot",
        string="Built From",
        compute="_compute_serial_genealogy",
        help="Lots and serials consumed directly to build this unit.",
    )
    serial_parent_lot_ids = fields.Many2many(
        "stock.lot",
        string="Built Into",
        compute="_compute_serial_genealogy",
        help="Units this lot or serial was consumed into, directly.",
    )
    serial_component_count = fields.Integer(
        string="Components (All Levels)", compute="_compute_serial_genealogy_counts"
    )
    serial_parent_count = fields.Integer(
        string="Built Into (All Levels)", compute="_compute_serial_genealogy_counts"
    )

    def _compute_serial_genealogy(self):
        down = self._serial_direct_links("down")
        up = self._serial_direct_links("up")
        # Only what the user may see: record rules (companies) apply to the links.
        visible = set(
            self.search(
                [("id", "in", list({i for d in (down, up) for s in d.values() for i in s}))]
            ).ids
        )
        for lot in self:
            lot.serial_component_lot_ids = [i for i in up.get(lot.id, ()) if i in visible]
            lot.serial_parent_lot_ids = [i for i in down.get(lot.id, ()) if i in visible]

    def _compute_serial_genealogy_counts(self):
        for lot in self:
            if not lot.id:
                lot.serial_component_count = lot.serial_parent_count = 0
                continue
            lot.serial_component_count = len(lot._serial_genealogy_lots("up"))
            lot.serial_parent_count = len(lot._serial_genealogy_lots("down"))

    def _serial_direct_links(self, direction):
        """``{lot id: [linked lot ids]}``: one step down (built into) or up (built from)."""
        ids = [i for i in self.ids if i]
        if not ids:
            return {}
        step, target = self._serial_genealogy_step(direction)
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT w.lot_id, %s FROM (SELECT unnest(%s::int[]) AS lot_id) w %s",
                SQL(target),
                ids,
                SQL(step),
            )
        )
        links = defaultdict(list)
        for lot_id, linked_id in self.env.cr.fetchall():
            if linked_id != lot_id:
                links[lot_id].append(linked_id)
        return links

    def _serial_genealogy_lots(self, direction):
        """Every lot built from ``self`` (``down``) or ``self`` is built from (``up``),
        at any depth, that the user may see. ``UNION`` stops on cycles (a unit unbuilt
        then rebuilt into itself): a lot reached twice is not walked again."""
        if not self.ids:
            return self.browse()
        step, target = self._serial_genealogy_step(direction)
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE walk(lot_id) AS (
                    SELECT unnest(%(ids)s::int[])
                    UNION
                    SELECT %(target)s FROM walk w %(step)s
                )
                SELECT lot_id FROM walk WHERE lot_id <> ALL(%(ids)s::int[])
                """,
                ids=self.ids,
                target=SQL(target),
                step=SQL(step),
            )
        )
        return self.search([("id", "in", [row[0] for row in self.env.cr.fetchall()])])

    @api.model
    def _serial_genealogy_step(self, direction):
        """``(join, target column)`` of one step of the walk ``down`` or ``up``."""
        if direction == "down":
            return DOWN_STEP, DOWN_TARGET
        return UP_STEP, UP_TARGET

    def _serial_component_quantities(self):
        """``{component lot: quantity}`` consumed directly into the unit ``self``."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT component_lot_id, SUM(quantity) FROM serial_genealogy_link "
                "WHERE lot_id = %s GROUP BY component_lot_id",
                self.id,
            )
        )
        quantities = dict(self.env.cr.fetchall())
        lots = self.search([("id", "in", list(quantities))])
        return {lot: quantities[lot.id] for lot in lots if lot != self}

    def _serial_first_receipt(self):
        """The first done receipt line of the lot from a vendor (or an empty record)."""
        self.ensure_one()
        return self.env["stock.move.line"].search(
            [
                ("lot_id", "=", self.id),
                ("state", "=", "done"),
                ("location_id.usage", "=", "supplier"),
            ],
            order="date, id",
            limit=1,
        )

    def _serial_genealogy_tree(self, max_depth=20):
        """Rows of the unit's tree down to purchased parts, depth first:
        ``{"depth", "lot", "quantity", "vendor", "receipt_date"}`` (vendor and date on
        leaves). A lot already on the current branch is not expanded again (cycles)."""
        self.ensure_one()
        rows = []

        def walk(lot, quantity, depth, branch):
            components = (
                lot._serial_component_quantities()
                if lot.id not in branch and depth < max_depth
                else {}
            )
            row = {"depth": depth, "lot": lot, "quantity": quantity}
            if not components:
                receipt = lot._serial_first_receipt()
                row["vendor"] = receipt.picking_id.partner_id
                row["receipt_date"] = receipt.date
            rows.append(row)
            for component, qty in sorted(components.items(), key=lambda item: item[0].name):
                walk(component, qty, depth + 1, branch | {lot.id})

        walk(self, 1.0, 0, frozenset())
        return rows

    def action_serial_view_components(self):
        self.ensure_one()
        return self._serial_genealogy_action(
            self._serial_genealogy_lots("up"), _("Built From: %(lot)s", lot=self.name)
        )

    def action_serial_view_parents(self):
        self.ensure_one()
        return self._serial_genealogy_action(
            self._serial_genealogy_lots("down"), _("Built Into: %(lot)s", lot=self.name)
        )

    def _serial_genealogy_action(self, lots, name):
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_production_lot_form")
        action.update(
            name=name,
            domain=[("id", "in", lots.ids)],
            context={"create": False},
        )
        return action

    def _serial_open_reservations(self):
        """Move lines of open transfers and manufacturing orders holding ``self``."""
        if not self:
            return self.env["stock.move.line"]
        return self.env["stock.move.line"].search(
            [("lot_id", "in", self.ids), ("state", "not in", ("done", "cancel"))]
        )

    def _serial_unreserve(self, message, domain=()):
        """Also note on each open manufacturing order that loses a reservation."""
        lines = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", self.ids),
                ("state", "not in", ("done", "cancel")),
                ("move_id.raw_material_production_id", "!=", False),
                *domain,
            ]
        )
        by_production = {
            production: group.lot_id
            for production, group in lines.grouped(
                lambda ml: ml.move_id.raw_material_production_id
            ).items()
        }
        res = super()._serial_unreserve(message, domain=domain)
        for production, lots in by_production.items():
            production._message_log(body=message(lots))
        return res
