from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..tools import guard

LINE_STATES = [
    ("pending", "Pending"),
    ("notified", "Notified"),
    ("returned", "Returned"),
    ("resolved", "Resolved"),
    ("unreachable", "Unreachable"),
]

RESOLUTIONS = [
    ("repaired", "Repaired"),
    ("replaced", "Replaced"),
    ("refunded", "Refunded"),
    ("destroyed", "Destroyed"),
    ("inspected_ok", "Inspected OK"),
]

# Resolutions after which a unit may be sold again once the campaign is closed.
RELEASING_RESOLUTIONS = ("repaired", "replaced", "inspected_ok")


class SerialRecallLine(models.Model):
    # Few indexes on purpose: a campaign inserts its lines in bulk (100,000+), and
    # every lookup goes through the campaign (unique key below) or the unit (lot_id).
    _name = "serial.recall.line"
    _description = "Recall Campaign Unit"
    _order = "recall_id desc, partner_id, product_id, lot_id"
    _rec_name = "lot_id"
    _rec_names_search = ["lot_id.name", "recall_id.name"]
    _check_company_auto = True

    recall_id = fields.Many2one(
        "serial.recall",
        string="Campaign",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    recall_state = fields.Selection(related="recall_id.state", string="Campaign Status")
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        readonly=True,
        help="The customer holding the unit when the scope was computed.",
    )
    location_kind = fields.Selection(
        [("stock", "In Stock"), ("customer", "At Customer"), ("other", "Other")],
        string="Where",
        required=True,
        default="other",
        readonly=True,
    )
    state = fields.Selection(
        LINE_STATES,
        string="Status",
        required=True,
        default="pending",
        readonly=True,
        group_expand=True,  # kanban columns in the order of the unit's progress
    )
    resolution = fields.Selection(RESOLUTIONS, readonly=True)
    date_resolved = fields.Date(readonly=True)
    date_notified = fields.Datetime(readonly=True)
    note = fields.Text()
    blocking = fields.Boolean(
        readonly=True,
        help="The campaign blocks this unit: set when the campaign opens, cleared when "
        "it is cancelled or when it closes on a releasing resolution.",
    )
    open_done = fields.Boolean(
        string="Opened",
        readonly=True,
        help="Technical: the opening (block, unreserve, notify) was done for this unit. "
        "Makes the background opening resumable without duplicates.",
    )
    to_contact = fields.Boolean(
        string="To Contact Another Way",
        readonly=True,
        help="The holder has no email address: reach them by phone or mail.",
    )
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return", readonly=True, check_company=True
    )
    lot_state = fields.Selection(related="lot_id.serial_state", string="Unit Status")
    lot_owner_id = fields.Many2one(related="lot_id.serial_owner_id", string="Current Owner")

    _sql_constraints = [
        (
            "recall_lot_uniq",
            "unique(recall_id, lot_id)",
            "A unit appears only once in a campaign.",
        ),
    ]

    @api.depends("recall_id", "lot_id")
    def _compute_display_name(self):
        # The serial first: tags and lists cut long names at the end.
        for line in self:
            line.display_name = f"{line.lot_id.name} ({line.recall_id.name})"

    @api.model
    def _system_fields(self):
        """Set by the campaign and its wizards only; a person may edit the note."""
        return set(self._fields) - {"note"} - set(models.MAGIC_COLUMNS)

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(
            self, vals_list, {"state", "resolution", "date_resolved", "blocking", "open_done"}
        )
        return super().create(vals_list)

    def write(self, vals):
        guard.check_write(self, vals, self._system_fields())
        return super().write(vals)

    def _state_label(self):
        """Label of the line's state, in the user's language."""
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _sudo_write(self, vals):
        """Write what the flow decided, once the user's access to ``self`` is checked."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_resolve_wizard(self):
        return self._open_wizard("serial.recall.resolve.wizard", _("Resolve Units"))

    def action_return_wizard(self):
        return self._open_wizard("serial.recall.return.wizard", _("Register Returns"))

    def action_release_wizard(self):
        return self._open_wizard("serial.recall.resolve.wizard", _("Release Units"), mode="release")

    def action_mark_unreachable(self):
        self._check_open_campaign()
        done = self.filtered(lambda line: line.state == "resolved")
        if done:
            raise UserError(
                _(
                    "These units are already resolved:\n%(lines)s",
                    lines=self.env["serial.recall"]._format_lines(done),
                )
            )
        self._sudo_write({"state": "unreachable"})
        self._log_on_campaigns(_("Marked unreachable"))
        return True

    def _open_wizard(self, model, title, mode=None):
        context = {"default_line_ids": self.ids}
        if mode:
            context["default_mode"] = mode
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _resolve(self, resolution, date=None, note=False):
        """Resolve the units of ``self``.

        Lines of open campaigns; a Serial Tracking manager may also resolve the units
        a closed campaign left unresolved (a forced close): a releasing resolution then
        releases the unit at once, since the campaign will not close again.
        """
        if resolution not in dict(RESOLUTIONS):
            raise UserError(_("Unknown resolution %(resolution)s.", resolution=resolution))
        late = self._check_workable_campaign()
        resolved = late.filtered(lambda line: line.state == "resolved")
        if resolved:
            raise UserError(
                _(
                    "The campaign of these units is closed and they are already resolved; "
                    "release them if they may be sold again:\n%(lines)s",
                    lines=self.env["serial.recall"]._format_lines(resolved),
                )
            )
        vals = {
            "state": "resolved",
            "resolution": resolution,
            "date_resolved": date or fields.Date.context_today(self),
        }
        if note:
            vals["note"] = note
        self._sudo_write(vals)
        label = self._resolution_label(resolution)
        self._log_on_campaigns(_("Resolved as %(resolution)s", resolution=label))
        if late:
            late._log_on_units(
                lambda line: self.env._(
                    "Recall %(recall)s (closed): resolved as %(resolution)s by %(user)s.",
                    recall=line.recall_id.name,
                    resolution=label,
                    user=self.env.user.name,
                )
            )
            if resolution in RELEASING_RESOLUTIONS:
                late._release_units()
        return True

    def _release(self, reason):
        """Release units a closed campaign keeps blocked (managers), saying why.

        For a unit that stays blocked after the campaign closed, because it was never
        resolved (forced close) or was resolved as destroyed or refunded and later
        found fit for sale.
        """
        if not (reason or "").strip():
            raise UserError(_("Say why the units are released."))
        self.env["serial.recall"]._check_manager()
        self._check_workable_campaign()
        still_open = self.filtered(lambda line: line.recall_id.state == "open")
        if still_open:
            raise UserError(
                _(
                    "Units are released when their campaign closes; while it is open, "
                    "resolve them:\n%(lines)s",
                    lines=self.env["serial.recall"]._format_lines(still_open),
                )
            )
        not_blocked = self.filtered(lambda line: not line.blocking)
        if not_blocked:
            raise UserError(
                _(
                    "These units are not blocked by their campaign:\n%(lines)s",
                    lines=self.env["serial.recall"]._format_lines(not_blocked),
                )
            )
        self._release_units()
        self._log_on_campaigns(
            _("Released by %(user)s (%(reason)s)", user=self.env.user.name, reason=reason)
        )
        self._log_on_units(
            lambda line: self.env._(
                "Released from recall %(recall)s (closed) by %(user)s: %(reason)s",
                recall=line.recall_id.name,
                user=self.env.user.name,
                reason=reason,
            )
        )
        return True

    def _release_units(self):
        # Callers checked that the user is a Serial Tracking manager: waiting deliveries
        # then reserve the released units, whatever the manager's Inventory rights.
        blocking = self.filtered("blocking").sudo()
        blocking.write({"blocking": False})
        blocking._reserve_released_units()

    def _resolution_label(self, resolution):
        return dict(self._fields["resolution"]._description_selection(self.env))[resolution]

    def _log_on_units(self, message):
        """Log ``message(line)`` in the chatter of each line's unit."""
        self.lot_id.sudo()._message_log_batch({line.lot_id.id: message(line) for line in self})

    def _check_workable_campaign(self):
        """Refuse lines whose campaign does not let them be worked on; return the lines
        of closed campaigns (managers only), worked on after the campaign ended."""
        if not self:
            raise UserError(_("Select the units first."))
        closed = self.filtered(lambda line: line.recall_id.state == "closed")
        if closed:
            self.env["serial.recall"]._check_manager()
        wrong = self.filtered(lambda line: line.recall_id.state not in ("open", "closed"))
        if wrong:
            wrong._check_open_campaign()
        return closed

    def _check_open_campaign(self):
        if not self:
            raise UserError(_("Select the units first."))
        closed = self.filtered(lambda line: line.recall_id.state != "open")
        if closed:
            raise UserError(
                _(
                    "Units can only be worked on while their campaign is open:\n%(lines)s",
                    lines="\n".join(
                        self.env._(
                            " - %(serial)s: campaign %(recall)s is %(state)s",
                            serial=line.lot_id.name,
                            recall=line.recall_id.name,
                            state=line.recall_id._state_label().lower(),
                        )
                        for line in closed
                    ),
                )
            )

    def _log_on_campaigns(self, action):
        for recall, lines in self.grouped("recall_id").items():
            recall._message_log(
                body=Markup("%s: %s") % (action, ", ".join(lines.lot_id.mapped("name")))
            )

    def _unreserve_blocked_units(self):
        """Undo the reservations of the units of ``self`` on pending deliveries.

        The moves are then reserved again, which skips blocked units, and a note is
        posted on each picking concerned.
        """
        recall_by_lot = {line.lot_id: line.recall_id for line in self}
        blocked_usages = self.env["stock.move.line"]._serial_blocked_dest_usages()
        self.lot_id._serial_unreserve(
            lambda lots: self.env._(
                "Reservation undone for recalled units: %(lines)s",
                lines=", ".join(f"{lot.name} ({recall_by_lot[lot].name})" for lot in lots),
            ),
            domain=[
                "|",
                ("picking_code", "=", "outgoing"),
                ("location_dest_id.usage", "in", blocked_usages),
            ],
        )

    def _reserve_released_units(self):
        """Let the moves waiting for stock reserve the units of ``self`` once released.

        Opening the campaign took these units out of the deliveries that had reserved
        them; as when stock arrives (``stock.move._trigger_assign``), the moves waiting
        for their products where they are now get a chance to reserve them.
        """
        lots = self.lot_id.filtered(lambda lot: not lot.serial_blocked)
        if not lots or (
            self.env["ir.config_parameter"].sudo().get_param("stock.picking_no_auto_reserve")
        ):
            return
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", lots.ids),
                ("quantity", ">", 0),
                ("location_id.usage", "=", "internal"),
            ]
        )
        if not quants:
            return
        # Each product where its released units are, not every product everywhere.
        where = expression.OR(
            [
                ("product_id", "=", product.id),
                ("location_id", "parent_of", product_quants.location_id.ids),
            ]
            for product, product_quants in quants.grouped("product_id").items()
        )
        moves = self.env["stock.move"].search(
            expression.AND(
                [
                    where,
                    [
                        ("state", "in", ("confirmed", "partially_available")),
                        ("procure_method", "=", "make_to_stock"),
                        "|",
                        ("reservation_date", "<=", fields.Date.today()),
                        ("picking_type_id.reservation_method", "=", "at_confirm"),
                    ],
                ]
            ),
            order="priority desc, date asc, id asc",
        )
        moves._action_assign()

    def _register_returns(self, location_dest):
        """Create one return receipt per customer for the units of ``self``.

        The lines become ``returned``; the ownership ends when the receipt is validated
        (the foundation's return handling).
        """
        self._check_open_campaign()
        wrong = self.filtered(
            lambda line: (
                line.state not in ("pending", "notified", "unreachable")
                or line.lot_id.serial_state != "delivered"
            )
        )
        if wrong:
            raise UserError(
                _(
                    "Only units still at a customer can be returned:\n%(lines)s",
                    lines=self.env["serial.recall"]._format_lines(wrong),
                )
            )
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.lot_id.ids),
                    ("location_id.usage", "=", "customer"),
                    ("quantity", ">", 0),
                ]
            )
        )
        location_by_lot = {quant.lot_id: quant.location_id for quant in quants}
        warehouse = location_dest.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id[:1].id)], limit=1
        )
        picking_type = warehouse.in_type_id
        pickings = self.env["stock.picking"]
        for (recall, partner), lines in self.grouped(
            lambda line: (line.recall_id, line.lot_owner_id or line.partner_id)
        ).items():
            source = location_by_lot.get(lines[0].lot_id) or (
                partner.property_stock_customer or self.env.ref("stock.stock_location_customers")
            )
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": partner.id,
                    "location_id": source.id,
                    "location_dest_id": location_dest.id,
                    "origin": recall.name,
                    "serial_recall_id": recall.id,
                    "company_id": recall.company_id.id,
                }
            )
            for product, product_lines in lines.grouped("product_id").items():
                move = self.env["stock.move"].create(
                    {
                        "name": recall.name,
                        "picking_id": picking.id,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": len(product_lines),
                        "location_id": source.id,
                        "location_dest_id": location_dest.id,
                        "company_id": recall.company_id.id,
                    }
                )
                move._action_confirm(merge=False)
                move.move_line_ids.unlink()
                self.env["stock.move.line"].create(
                    [
                        {
                            "move_id": move.id,
                            "picking_id": picking.id,
                            "product_id": product.id,
                            "product_uom_id": product.uom_id.id,
                            "lot_id": line.lot_id.id,
                            "quantity": 1,
                            "location_id": location_by_lot.get(line.lot_id, source).id,
                            "location_dest_id": location_dest.id,
                        }
                        for line in product_lines
                    ]
                )
            lines._sudo_write({"state": "returned", "return_picking_id": picking.id})
            pickings |= picking
        self._log_on_campaigns(_("Return registered"))
        return pickings
