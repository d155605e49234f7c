from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .stock_lot import DOWN_STEP

# Resolutions that make sense for a unit held in the house.
HOLD_RESOLUTIONS = ("inspected_ok", "repaired", "destroyed")


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    # Kept in this bridge rather than in core: a hold without manufacturing is a
    # quarantine of units already handled by core (serial_quarantine); what makes it a
    # campaign is a scope reaching into the units built from a flawed part.
    kind = fields.Selection(
        [("recall", "Recall"), ("hold", "Quality Hold")],
        default="recall",
        required=True,
        tracking=True,
        index=True,
        help="A quality hold blocks the units in scope that have not reached a customer "
        "and notifies nobody; each unit gets an inspection result.",
    )
    include_finished = fields.Boolean(
        string="Include Finished Units",
        default=True,
        help="The scope also takes every serial unit built, at any depth, from an "
        "affected lot or serial (lot-tracked components included).",
    )
    # Component batches (lot-tracked) may start the scope.
    product_ids = fields.Many2many(domain=[("tracking", "!=", "none")])
    in_production_count = fields.Integer(string="Built Into Units", compute="_compute_counts")
    via_count = fields.Integer(string="Through Components", compute="_compute_via_count")
    production_ids = fields.Many2many(
        "mrp.production",
        string="Open Manufacturing Orders",
        compute="_compute_held_documents",
        help="Open manufacturing orders that reserve an affected lot (draft), or whose "
        "reservation the opening undid.",
    )
    production_count = fields.Integer(string="Open MO Count", compute="_compute_held_documents")
    delivery_ids = fields.Many2many(
        "stock.picking",
        string="Pending Deliveries",
        compute="_compute_held_documents",
        help="Pending deliveries that reserve an affected unit (draft), or whose "
        "reservation the opening undid.",
    )
    delivery_count = fields.Integer(
        string="Pending Delivery Count", compute="_compute_held_documents"
    )
    unreserved_production_ids = fields.Many2many(
        "mrp.production",
        "serial_recall_unreserved_production_rel",
        "recall_id",
        "production_id",
        string="Manufacturing Orders Unreserved",
        readonly=True,
        copy=False,
    )
    unreserved_picking_ids = fields.Many2many(
        "stock.picking",
        "serial_recall_unreserved_picking_rel",
        "recall_id",
        "picking_id",
        string="Deliveries Unreserved",
        readonly=True,
        copy=False,
    )

    def _compute_counts(self):
        res = super()._compute_counts()
        if not self.ids:
            self.in_production_count = 0
            return res
        counts = dict(
            self.env["serial.recall.line"]._read_group(
                [("recall_id", "in", self.ids), ("location_kind", "=", "production")],
                ["recall_id"],
                ["__count"],
            )
        )
        for recall in self:
            recall.in_production_count = counts.get(recall, 0)
        return res

    def _compute_via_count(self):
        counts = dict(
            self.env["serial.recall.line"]._read_group(
                [("recall_id", "in", self.ids), ("via_lot_id", "!=", False)],
                ["recall_id"],
                ["__count"],
            )
        )
        for recall in self:
            recall.via_count = counts.get(recall, 0)

    @api.depends("state", "line_ids", "unreserved_production_ids", "unreserved_picking_ids")
    def _compute_held_documents(self):
        for recall in self:
            if recall.state == "draft":
                lines = recall.line_ids.lot_id._serial_open_reservations()
                productions = lines.move_id.raw_material_production_id
                pickings = lines.picking_id.filtered(
                    lambda picking: picking.picking_type_code == "outgoing"
                )
            else:
                productions = recall.unreserved_production_ids
                pickings = recall.unreserved_picking_ids
            recall.production_ids = productions
            recall.production_count = len(productions)
            recall.delivery_ids = pickings
            recall.delivery_count = len(pickings)

    @api.model
    def _system_fields(self):
        return super()._system_fields() | {"unreserved_production_ids", "unreserved_picking_ids"}

    @api.model
    def _scope_fields(self):
        return super()._scope_fields() + ["kind", "include_finished"]

    def _scope_tracking_condition(self):
        if self.include_finished:
            return SQL("pt.tracking <> 'none'")
        return super()._scope_tracking_condition()

    def _scope_flush(self):
        res = super()._scope_flush()
        self.env["stock.quant"].flush_model(["lot_id", "location_id", "quantity"])
        return res

    def _scope_genealogy_query(self):
        """``WITH RECURSIVE ... SELECT lot_id, via_id, batch_id``: the affected lots
        (criteria) and, when ``include_finished``, every lot built from them.

        Each row of ``genealogy`` is (affected lot, reached lot, reached lot holds
        several units, first batch-level link). ``UNION`` drops rows already found,
        so cycles end. A link is batch-level when it leaves a lot of several units
        produced together (a batch of boards: which board got the part is unknown),
        or an order that built several finished lots at once.
        """
        seeds = SQL("SELECT lot.id %s", self._scope_from_where())
        if not self.include_finished:
            return SQL(
                "SELECT seed.id AS lot_id, NULL::int AS via_id, NULL::int AS batch_id "
                "FROM (%s) seed",
                seeds,
            )
        return SQL(
            """
            WITH RECURSIVE genealogy(seed_id, lot_id, multi, batch_id) AS (
                SELECT seed.id, seed.id, FALSE, NULL::int FROM (%(seeds)s) seed
                UNION
                SELECT w.seed_id, e.lot_id, e.batch_produced,
                       COALESCE(
                           w.batch_id,
                           CASE WHEN w.multi OR e.shares_move THEN w.lot_id END
                       )
                  FROM genealogy w
                  %(step)s
            )
            SELECT DISTINCT ON (lot_id)
                   lot_id, NULLIF(seed_id, lot_id) AS via_id, batch_id
              FROM genealogy
          ORDER BY lot_id, seed_id = lot_id DESC, batch_id IS NULL DESC, seed_id
            """,
            seeds=seeds,
            step=SQL(DOWN_STEP),
        )

    def _scope_insert_query(self):
        """One line per affected serial unit (the affected lots themselves and what
        was built from them), plus affected batches still in stock, to block them."""
        self.ensure_one()
        now = fields.Datetime.now()
        conditions = [
            SQL("(lot.company_id IS NULL OR lot.company_id = %s)", self.company_id.id),
            SQL(
                """(pt.tracking = 'serial' OR (pt.tracking = 'lot' AND EXISTS (
                    SELECT 1 FROM stock_quant q
                      JOIN stock_location ql ON ql.id = q.location_id
                     WHERE q.lot_id = lot.id AND q.quantity > 0
                       AND ql.usage = 'internal')))"""
            ),
        ]
        if self.kind == "hold":
            # A hold stops what is still in the house; units at customers are a recall.
            conditions.append(SQL("lot.serial_state IS DISTINCT FROM 'delivered'"))
        return SQL(
            """
            INSERT INTO serial_recall_line (
                recall_id, company_id, lot_id, product_id, partner_id, location_kind,
                via_lot_id, via_batch_lot_id,
                state, blocking, open_done, to_contact,
                create_uid, create_date, write_uid, write_date
            )
            SELECT %(recall)s, %(company)s, lot.id, lot.product_id, lot.serial_owner_id,
                   CASE WHEN pt.tracking = 'lot' THEN 'stock'
                        WHEN lot.serial_state = 'in_stock' THEN 'stock'
                        WHEN lot.serial_state = 'delivered' THEN 'customer'
                        WHEN lot.serial_state = 'consumed' THEN 'production'
                        ELSE 'other' END,
                   scope.via_id, scope.batch_id,
                   'pending', FALSE, FALSE, FALSE,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM (%(genealogy)s) scope
              JOIN stock_lot lot ON lot.id = scope.lot_id
              JOIN product_product pp ON pp.id = lot.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE %(conditions)s
            ON CONFLICT DO NOTHING
            """,
            recall=self.id,
            company=self.company_id.id,
            uid=self.env.uid,
            now=now,
            genealogy=self._scope_genealogy_query(),
            conditions=SQL(" AND ").join(conditions),
        )

    def _notify_holders(self, lines):
        # A quality hold notifies nobody.
        return super()._notify_holders(lines.filtered(lambda line: line.recall_id.kind != "hold"))

    def _block_reason(self, line):
        if self.kind == "hold" and self.state == "open":
            return _("quality hold %(name)s: %(title)s", name=self.name, title=self.title)
        return super()._block_reason(line)

    def action_view_productions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("mrp.mrp_production_action")
        action.update(domain=[("id", "in", self.production_ids.ids)], context={"create": False})
        return action

    def action_view_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action.update(domain=[("id", "in", self.delivery_ids.ids)], context={"create": False})
        return action

    def action_view_via_lines(self):
        action = self.action_view_lines()
        action["domain"] = [("recall_id", "=", self.id), ("via_lot_id", "!=", False)]
        return action

    @api.model
    def action_create_from(self, model, record_ids):
        """Also from manufacturing orders; ``serial_recall_kind`` in the context
        (``hold``) makes it a quality hold."""
        if model == "mrp.production":
            if not isinstance(record_ids, list | tuple) or not all(
                isinstance(rid, int) for rid in record_ids
            ):
                raise UserError(_("Select the records to create a recall from."))
            productions = self.env[model].browse(record_ids).exists()
            lots = productions.move_finished_ids.move_line_ids.lot_id | productions.lot_producing_id
            if not lots:
                raise UserError(_("These manufacturing orders have no lot or serial number yet."))
            action = {
                "type": "ir.actions.act_window",
                "name": _("New Recall"),
                "res_model": "serial.recall",
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "current",
                "context": {
                    "default_lot_ids": lots.ids,
                    "default_product_ids": lots.product_id.ids,
                },
            }
        else:
            action = super().action_create_from(model, record_ids)
        if self.env.context.get("serial_recall_kind") == "hold":
            action["name"] = _("New Quality Hold")
            action["context"] = dict(action["context"], default_kind="hold")
        return action
