from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..tools import guard


class SerialWarrantyLookup(models.TransientModel):
    _name = "serial.warranty.lookup"
    _description = "Warranty Lookup"

    code = fields.Char(
        string="Serial Number",
        help="Type or scan the serial number; GS1 codes (AI 21) are accepted.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Unit",
        compute="_compute_lot_id",
        store=True,
        readonly=False,
        compute_sudo=False,  # the lookup searches as the user: their units only
    )
    error = fields.Char(compute="_compute_lot_id", store=True, compute_sudo=False)
    # Read as the user: the unit's details follow the unit's access rules.
    product_id = fields.Many2one(related="lot_id.product_id", compute_sudo=False)
    owner_id = fields.Many2one(related="lot_id.serial_owner_id", string="Owner", compute_sudo=False)
    serial_state = fields.Selection(related="lot_id.serial_state", compute_sudo=False)
    warranty_state = fields.Selection(related="lot_id.serial_warranty_state", compute_sudo=False)
    warranty_end = fields.Date(related="lot_id.serial_warranty_end", compute_sudo=False)
    warranty_ids = fields.Many2many(
        "serial.warranty", compute="_compute_details", string="Coverage"
    )
    ownership_ids = fields.Many2many(
        "serial.ownership", compute="_compute_details", string="Ownership History"
    )
    recall_info = fields.Text(compute="_compute_details", string="Open Recalls")
    loss_state = fields.Selection(related="lot_id.serial_loss_state", compute_sudo=False)
    loss_info = fields.Char(
        compute="_compute_details",
        string="Theft/Loss Report",
        help="When and under which reference the unit was reported stolen or lost.",
    )
    quarantine = fields.Boolean(related="lot_id.serial_quarantine", compute_sudo=False)
    quarantine_reason = fields.Char(related="lot_id.serial_quarantine_reason", compute_sudo=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            guard.check_no_nul(self, vals, ["code"])
        return super().create(vals_list)

    def write(self, vals):
        guard.check_no_nul(self, vals, ["code"])
        return super().write(vals)

    # On the code: the screen gets its title as soon as it opens, not "New".
    @api.depends("code")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The screen's breadcrumb and title, never "serial.warranty.lookup,1".
        self.display_name = self.env._("Warranty Lookup")

    @api.depends("code")
    def _compute_lot_id(self):
        for wizard in self:
            wizard.error = False
            if not wizard.code:
                wizard.lot_id = False
                continue
            try:
                lots = self.env["stock.lot"]._serial_warranty_lookup(wizard.code)
            except UserError as error:
                wizard.lot_id = False
                wizard.error = error.args[0]
                continue
            wizard.lot_id = lots[:1]
            if len(lots) > 1:
                wizard.error = self.env._(
                    "%(count)s units carry this serial number (%(products)s): showing "
                    "the first one; scan the GS1 code to tell them apart.",
                    count=len(lots),
                    products=", ".join(lots.product_id.mapped("display_name")),
                )

    @api.constrains("lot_id")
    def _check_lot_readable(self):
        """A unit given by id (RPC) must be one the user may read."""
        lots = self.lot_id
        if lots and lots != lots._filtered_access("read"):
            raise AccessError(self.env._("You cannot look up units of another company."))

    @api.depends("lot_id")
    def _compute_details(self):
        for wizard in self:
            lot = wizard.lot_id
            wizard.warranty_ids = lot.serial_warranty_ids
            wizard.ownership_ids = lot.serial_ownership_ids
            wizard.recall_info = wizard._serial_open_recalls()
            wizard.loss_info = wizard._serial_loss_info()

    def _serial_open_recalls(self):
        """Open recall campaigns hitting the unit, when recalls are installed."""
        if not self.lot_id or "serial.recall.line" not in self.env:
            return False
        lines = (
            self.env["serial.recall.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("recall_id.state", "=", "open"),
                    ("state", "!=", "resolved"),
                ]
            )
        )
        return (
            "\n".join(
                self.env._(
                    "%(recall)s %(title)s: %(state)s",
                    recall=line.recall_id.name,
                    title=line.recall_id.title,
                    state=line._state_label(),
                )
                for line in lines
            )
            or False
        )

    def _serial_loss_info(self):
        """The theft or loss report of the unit, in the reader's language."""
        lot = self.lot_id
        if not lot or lot.serial_loss_state == "none":
            return False
        info = self.env._(
            "Reported %(state)s on %(date)s.",
            state=lot._serial_loss_label(lot.serial_loss_state),
            date=format_date(self.env, lot.serial_loss_date),
        )
        if lot.serial_loss_reference:
            info += " " + self.env._("Reference: %(ref)s", ref=lot.serial_loss_reference)
        return info

    def action_open_unit(self):
        self.ensure_one()
        if not self.lot_id:
            raise UserError(self.error or self.env._("Type or scan a serial number first."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.lot",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": self.lot_id.id,
        }

    def action_print_certificate(self):
        self.ensure_one()
        if not self.lot_id:
            raise UserError(self.error or self.env._("Type or scan a serial number first."))
        return self.env.ref("serial_tracking.action_report_warranty_certificate").report_action(
            self.lot_id
        )
