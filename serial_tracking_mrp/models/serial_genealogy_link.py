from odoo import api, fields, models
from odoo.tools import SQL


class SerialGenealogyLink(models.Model):
    """A lot consumed by a done manufacturing order, and a lot that order produced.

    Derived from the order's done move lines, and rebuilt whenever they change
    (order done, component line added or corrected, unbuild). A genealogy walk then
    reads one index per level instead of joining four tables of stock moves.
    """

    _name = "serial.genealogy.link"
    _description = "Genealogy Link"
    _log_access = False

    production_id = fields.Many2one(
        "mrp.production", string="Manufacturing Order", required=True, ondelete="cascade"
    )
    component_lot_id = fields.Many2one("stock.lot", required=True, ondelete="cascade")
    lot_id = fields.Many2one(
        "stock.lot", string="Built Lot", required=True, ondelete="cascade", index=True
    )
    quantity = fields.Float(
        digits="Product Unit of Measure",
        help="Quantity of the component lot the order consumed.",
    )
    batch_produced = fields.Boolean(
        help="The order produced the built lot in a quantity above one (a batch)."
    )
    shares_move = fields.Boolean(
        help="The order's finished move also produced other lots: which of them holds "
        "the component is unknown."
    )

    _sql_constraints = [
        (
            "link_unique",
            "UNIQUE(production_id, component_lot_id, lot_id)",
            "A manufacturing order links a component lot to a built lot once.",
        ),
    ]

    def init(self):
        # The walk down reads this index alone: the lots a component went into, and
        # how exactly.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS serial_genealogy_link_component_index
                ON serial_genealogy_link (component_lot_id)
                INCLUDE (lot_id, batch_produced, shares_move)
            """
        )

    @api.model
    def _flush_sources(self):
        self.env["stock.move.line"].flush_model(["lot_id", "state", "move_id", "quantity"])
        self.env["stock.move"].flush_model(
            ["production_id", "raw_material_production_id", "state", "scrapped"]
        )
        self.env["mrp.unbuild"].flush_model(["state", "lot_id", "mo_id"])

    @api.model
    def _refresh(self, productions=None):
        """Rebuild the links of ``productions`` (of every order when None) from their
        done move lines, in two statements whatever their number.

        Scrap moves that Odoo tags with an order are not part of it, nor are lines
        corrected down to zero. Finished lots taken apart by a done unbuild of the order
        (or of no order in particular) no longer hold the order's components.
        """
        if productions is not None and not productions:
            return
        self._flush_sources()
        cr = self.env.cr
        if productions is None:
            cr.execute("DELETE FROM serial_genealogy_link")
            consumed = produced = SQL("TRUE")
        else:
            ids = sorted(productions.ids)
            # A real update of the orders' rows: a concurrent refresh of the same orders
            # then fails to serialize and is retried, instead of committing links
            # computed from a snapshot that misses the other's changes.
            cr.execute(
                SQL("UPDATE mrp_production SET write_date = write_date WHERE id = ANY(%s)", ids)
            )
            cr.execute(SQL("DELETE FROM serial_genealogy_link WHERE production_id = ANY(%s)", ids))
            consumed = SQL("cm.raw_material_production_id = ANY(%s)", ids)
            produced = SQL("fm.production_id = ANY(%s)", ids)
        cr.execute(
            SQL(
                """
                WITH consumed AS (
                    SELECT cm.raw_material_production_id AS production_id, cml.lot_id,
                           SUM(cml.quantity) AS quantity
                      FROM stock_move cm
                      JOIN stock_move_line cml ON cml.move_id = cm.id
                       AND cml.state = 'done' AND cml.lot_id IS NOT NULL
                       AND cml.quantity > 0
                     WHERE cm.raw_material_production_id IS NOT NULL AND cm.scrapped IS NOT TRUE
                       AND %(consumed)s
                  GROUP BY 1, 2
                ), produced AS (
                    SELECT fm.production_id, fml.lot_id,
                           bool_or(fml.quantity > 1) AS batch_produced,
                           bool_or(EXISTS (
                               SELECT 1 FROM stock_move_line other
                                WHERE other.move_id = fm.id AND other.state = 'done'
                                  AND other.quantity > 0 AND other.lot_id <> fml.lot_id
                           )) AS shares_move
                      FROM stock_move fm
                      JOIN stock_move_line fml ON fml.move_id = fm.id
                       AND fml.state = 'done' AND fml.lot_id IS NOT NULL
                       AND fml.quantity > 0
                     WHERE fm.production_id IS NOT NULL AND fm.state = 'done'
                       AND fm.scrapped IS NOT TRUE AND %(produced)s
                       AND NOT EXISTS (
                            SELECT 1 FROM mrp_unbuild u
                             WHERE u.state = 'done' AND u.lot_id = fml.lot_id
                               AND (u.mo_id = fm.production_id OR u.mo_id IS NULL)
                       )
                  GROUP BY 1, 2
                )
                INSERT INTO serial_genealogy_link (
                    production_id, component_lot_id, lot_id, quantity,
                    batch_produced, shares_move
                )
                SELECT c.production_id, c.lot_id, p.lot_id, c.quantity,
                       p.batch_produced, p.shares_move
                  FROM consumed c
                  JOIN produced p ON p.production_id = c.production_id
                 WHERE p.lot_id <> c.lot_id
                ON CONFLICT DO NOTHING
                """,
                consumed=consumed,
                produced=produced,
            )
        )
        self.invalidate_model()

    @api.model
    def _refresh_for_moves(self, moves):
        """Rebuild the links of the orders ``moves`` consume into or produce for."""
        self._refresh(moves.raw_material_production_id | moves.production_id)

    @api.model
    def _productions_of_lots(self, lots):
        """The done orders that produced ``lots``."""
        if not lots:
            return self.env["mrp.production"]
        self._flush_sources()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT fm.production_id
                  FROM stock_move_line fml
                  JOIN stock_move fm ON fm.id = fml.move_id
                 WHERE fml.lot_id = ANY(%s) AND fml.state = 'done'
                   AND fm.production_id IS NOT NULL
                """,
                lots.ids,
            )
        )
        return self.env["mrp.production"].browse(row[0] for row in self.env.cr.fetchall())
