from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError

REGISTRATION_STATES = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class SerialRegistration(models.Model):
    _name = "serial.registration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Serial Unit Registration"
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["serial_name", "partner_id.name"]

    serial_name = fields.Char(
        string="Serial Number",
        required=True,
        index=True,
        tracking=True,
        help="The serial number as the customer typed or scanned it.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Unit",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('product_id.tracking', '=', 'serial')]",
        help="The unit the serial number designates. Empty when no unit matched: "
        "pick it before approving.",
    )
    product_id = fields.Many2one(related="lot_id.product_id", string="Product")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        help="Who claims the unit: approving makes their company the owner.",
    )
    purchase_date = fields.Date(
        required=True,
        tracking=True,
        help="Start of the ownership and, when the product's term starts at the sale or "
        "at the delivery, of the warranty.",
    )
    state = fields.Selection(
        REGISTRATION_STATES,
        required=True,
        default="pending",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    proof = fields.Binary(
        string="Proof of Purchase",
        attachment=True,
        help="Receipt or invoice of the purchase (PDF, JPEG or PNG).",
    )
    proof_filename = fields.Char()
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    has_owner = fields.Boolean(
        string="Owned by Someone Else",
        compute="_compute_has_owner",
        compute_sudo=True,
        help="The unit has a current owner other than the customer: only a Serial "
        "Tracking manager decides, and the customer is never told who it is.",
    )
    ownership_id = fields.Many2one("serial.ownership", readonly=True, copy=False)

    @api.depends("lot_id.serial_owner_id", "partner_id")
    def _compute_has_owner(self):
        for registration in self:
            owner = registration.lot_id.serial_owner_id.commercial_partner_id
            registration.has_owner = bool(owner) and (
                owner != registration.partner_id.commercial_partner_id
            )

    @api.depends("serial_name", "partner_id")
    def _compute_display_name(self):
        for registration in self:
            registration.display_name = (
                f"{registration.serial_name} - {registration.partner_id.display_name}"
            )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.serial_name = self.lot_id.name

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su and {"state", "ownership_id", "reject_reason"} & set(vals):
                raise AccessError(
                    self.env._("A registration is approved or rejected with its buttons.")
                )
            if vals.get("lot_id") and not vals.get("serial_name"):
                vals["serial_name"] = self.env["stock.lot"].browse(vals["lot_id"]).name
        registrations = super().create(vals_list)
        registrations._serial_notify_managers()
        return registrations

    def write(self, vals):
        if {"state", "ownership_id"} & set(vals) and not self.env.su:
            raise AccessError(
                self.env._("A registration is approved or rejected with its buttons.")
            )
        if "lot_id" in vals and self.filtered(lambda r: r.state != "pending"):
            raise UserError(self.env._("Only a pending registration can change unit."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_approve(self):
        """Make each customer's company the owner of the unit from the purchase date
        (origin ``registration``) and start the standard warranty when the product's
        term starts at the sale or the delivery."""
        self._serial_check_decision_rights()
        for registration in self:
            if not registration.lot_id:
                raise UserError(
                    self.env._(
                        "Registration %(name)s: choose the unit of serial %(serial)s first.",
                        name=registration.display_name,
                        serial=registration.serial_name,
                    )
                )
            lot = registration.lot_id
            if lot.serial_loss_state != "none":
                raise UserError(
                    self.env._(
                        "Serial %(serial)s is reported %(state)s: clear the report before "
                        "approving a registration.",
                        serial=lot.name,
                        state=lot._serial_loss_label(lot.serial_loss_state),
                    )
                )
            if (
                lot.serial_owner_id.commercial_partner_id
                == registration.partner_id.commercial_partner_id
            ):
                raise UserError(
                    self.env._(
                        "Serial %(serial)s already belongs to %(partner)s.",
                        serial=lot.name,
                        partner=registration.partner_id.commercial_partner_id.display_name,
                    )
                )
        for registration in self:
            registration._serial_approve()
        self._serial_send_decision("serial_tracking.mail_template_serial_registration_approved")
        return True

    def action_reject(self, reason):
        """Reject the pending registrations of ``self`` for ``reason`` (told to the
        customer)."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the customer a reason for the rejection."))
        self._serial_check_decision_rights()
        self.sudo().write({"state": "rejected", "reject_reason": reason})
        self._serial_send_decision("serial_tracking.mail_template_serial_registration_rejected")
        return True

    def action_open_reject_wizard(self):
        self._serial_check_decision_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Registration"),
            "res_model": "serial.registration.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_registration_ids": self.ids},
        }

    def action_view_unit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.lot",
            "res_id": self.lot_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _serial_check_decision_rights(self):
        """Serial Tracking users decide on units nobody else owns; a unit with another
        current owner (or reported stolen/lost) needs a manager."""
        user = self.env.user
        if not self.env.su and not user.has_group("serial_tracking.group_serial_tracking_user"):
            raise AccessError(
                self.env._("Only Serial Tracking users can approve or reject registrations.")
            )
        self.check_access("write")
        if not self.env.su and not user.has_group("serial_tracking.group_serial_tracking_manager"):
            if self.filtered("has_owner"):
                raise AccessError(
                    self.env._("This unit already has an owner: a Serial Tracking manager decides.")
                )
        done = self.filtered(lambda r: r.state != "pending")
        if done:
            raise UserError(
                self.env._(
                    "Only pending registrations can be decided: %(names)s",
                    names=", ".join(done.mapped("display_name")),
                )
            )

    def _serial_ownership_date(self):
        """When the registered ownership starts: the purchase date, unless the unit's
        history goes past it (then now, so that periods never overlap)."""
        self.ensure_one()
        company = self.lot_id.company_id or self.company_id
        start = company._serial_day_start_utc(self.purchase_date)
        history = self.env["serial.ownership"].sudo().search([("lot_id", "=", self.lot_id.id)])
        latest = max((own.date_end or own.date_start for own in history), default=None)
        if latest and latest >= start:
            return fields.Datetime.now()
        return start

    def _serial_approve(self):
        self.ensure_one()
        lot = self.lot_id
        had_owner = bool(lot.serial_owner_id)
        had_coverage = bool(
            self.env["serial.warranty"].sudo().search_count([("lot_id", "=", lot.id)], limit=1)
        )
        partner_by_lot = {lot.id: self.partner_id}
        ownership = lot._serial_transfer_ownership(
            partner_by_lot,
            "registration",
            date=self._serial_ownership_date(),
            note=self.env._("Registration %(name)s", name=self.display_name),
        )
        if had_owner:
            # The unit changed hands outside our books: coverage follows as in a transfer.
            lot._serial_warranty_on_ownership_change(partner_by_lot, "transfer")
        if not had_coverage:
            self._serial_start_warranty()
        self.sudo().write({"state": "approved", "ownership_id": ownership[:1].id})

    def _serial_start_warranty(self):
        """Standard coverage from the purchase date when the product's term starts at
        the sale or the delivery. Only for a unit that never had coverage: a unit
        sold second-hand keeps what its term gives a new owner (see transfers)."""
        lot = self.lot_id
        term = lot.product_id.serial_warranty_term_id
        if not term or term.start_trigger not in self._serial_warranty_triggers():
            return
        Warranty = self.env["serial.warranty"].sudo()
        coverage = Warranty._serial_create(
            [
                Warranty._serial_prepare_vals(
                    term,
                    lot.product_id,
                    self.purchase_date,
                    lot=lot,
                    partner=self.partner_id,
                    company=lot.company_id or self.company_id,
                )
            ]
        )
        coverage._serial_log_started()

    @api.model
    def _serial_warranty_triggers(self):
        """Term triggers whose coverage a registration starts (hook)."""
        return ("sale", "delivery")

    def _serial_send_decision(self, template_xmlid):
        """Email the customers the decision, from the registration's chatter."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for registration in self:
            registration.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=registration.partner_id.ids,
            )

    def _serial_notify_managers(self):
        """A unit owned by someone else (or reported stolen/lost) needs a manager:
        give each manager of the company an activity."""
        for registration in self.sudo():
            lot = registration.lot_id
            if not (registration.has_owner or lot.serial_loss_state not in (False, "none")):
                continue
            for user in self._serial_managers(registration.company_id):
                # Assigned by OdooBot: the customer's own address may be missing.
                registration.with_user(SUPERUSER_ID).activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._(
                        "Registration to decide: another owner, or reported stolen/lost"
                    ),
                )

    @api.model
    def _serial_managers(self, company=None):
        """Active internal Serial Tracking managers, of ``company`` when given."""
        group = self.env.ref("serial_tracking.group_serial_tracking_manager")
        users = group.sudo().users.filtered(lambda u: u.active and not u.share)
        if company:
            users = users.filtered(lambda u: company in u.company_ids)
        return users
