import uuid
from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, email_normalize, format_datetime

from ..tools import guard

TRANSFER_STATES = [
    ("pending", "Pending"),
    ("accepted", "Accepted"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
]


class SerialTransferRequest(models.Model):
    """An owner's offer to hand a unit over to someone else (second-hand sale, gift).

    Created by the owner from the customer portal; the recipient accepts it through the
    tokenised link emailed to them. Only the flows write it, as superuser, after their
    own checks: staff read the requests and managers may cancel them.
    """

    _name = "serial.transfer.request"
    _description = "Serial Unit Transfer Request"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _rec_name = "lot_id"
    _rec_names_search = ["lot_id.name", "to_name", "to_email"]

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    product_id = fields.Many2one(related="lot_id.product_id", store=True, precompute=True)
    # The unit's company, or for a unit shared by all companies the one that was asked.
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    from_partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The owner who offers the unit (commercial entity).",
    )
    requested_by_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    to_name = fields.Char(string="Recipient", required=True, readonly=True)
    to_email = fields.Char(string="Recipient Email", required=True, readonly=True)
    to_partner_id = fields.Many2one(
        "res.partner",
        string="New Owner",
        readonly=True,
        ondelete="set null",
        help="Who accepted the transfer.",
    )
    refusal_notified = fields.Boolean(readonly=True, copy=False)
    # The contact made for a recipient who signs up from the link (made once).
    signup_partner_id = fields.Many2one("res.partner", readonly=True, ondelete="set null")
    state = fields.Selection(
        TRANSFER_STATES,
        string="Status",
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    # Whoever holds the token may accept: staff never need to see it.
    access_token = fields.Char(
        copy=False, readonly=True, groups="base.group_system", default=lambda self: uuid.uuid4().hex
    )
    date_expire = fields.Datetime(string="Expires On", required=True, readonly=True)
    date_done = fields.Datetime(string="Closed On", readonly=True)
    close_reason = fields.Char(string="Closing Note", readonly=True)

    def init(self):
        # At most one open offer per unit, whatever the number of concurrent requests.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS serial_transfer_request_pending_uniq"
                " ON serial_transfer_request (lot_id) WHERE state = 'pending'"
            )
        )

    def _system_fields(self):
        """Fields only the transfer flows write (as superuser)."""
        return {
            "lot_id",
            "from_partner_id",
            "requested_by_id",
            "to_name",
            "to_email",
            "to_partner_id",
            "signup_partner_id",
            "refusal_notified",
            "state",
            "access_token",
            "date_expire",
            "date_done",
            "close_reason",
        }

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Transfer requests are made by the owner of the unit from the customer portal."
                )
            )
        lots = self.env["stock.lot"].browse(
            [vals["lot_id"] for vals in vals_list if vals.get("lot_id")]
        )
        self._serial_lock_units(lots)
        for vals in vals_list:
            self._serial_check_new_request(vals)
        try:
            with self.env.cr.savepoint():
                records = super().create(vals_list)
                records.flush_recordset()
        except UniqueViolation:
            # A concurrent offer won the race (the lot lock does not hide it from
            # this transaction's snapshot): the database index decided.
            raise UserError(self._serial_pending_message()) from None
        for record in records:
            # The unit's readers may not read requests: no recipient named here.
            record.lot_id._message_log(
                body=self.env._(
                    "The owner offered the unit to a new owner (transfer request valid "
                    "until %(date)s).",
                    date=format_datetime(self.env, record.date_expire),
                )
            )
        return records

    @api.model
    def _serial_lock_units(self, lots):
        """Serialize offers, acceptances and other changes of hands of the same units.

        An update, not a mere ``FOR UPDATE``: under REPEATABLE READ only a write makes a
        concurrent transaction that writes the unit (a delivery writing its owner) fail
        and be retried, after which it sees the offer and cancels it.
        """
        if lots.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE stock_lot SET write_date = write_date WHERE id IN %s",
                    tuple(lots.ids),
                )
            )

    @api.model
    def _serial_check_new_request(self, vals):
        """Refuse, in the owner's words, an offer that cannot be made."""
        lot = self.env["stock.lot"].browse(vals.get("lot_id")).exists()
        owner = self.env["res.partner"].browse(vals.get("from_partner_id")).exists()
        if not lot or not owner:
            raise ValidationError(self.env._("A transfer request needs a unit and its owner."))
        if lot.serial_owner_id.commercial_partner_id != owner.commercial_partner_id:
            raise UserError(
                self.env._("Only the current owner of a unit can offer it to someone else.")
            )
        problem = lot._serial_transfer_problem()
        if problem:
            raise UserError(problem)
        name = " ".join((vals.get("to_name") or "").split())
        email = email_normalize(vals.get("to_email") or "")
        if not name:
            raise ValidationError(self.env._("Give the name of the new owner."))
        if len(name) > 128:
            raise ValidationError(
                self.env._("The name of the new owner is too long (128 characters at most).")
            )
        if not email:
            raise ValidationError(
                self.env._(
                    "%(email)s is not a valid email address: the new owner receives the "
                    "link to accept the transfer by email.",
                    email=vals.get("to_email") or self.env._("(empty)"),
                )
            )
        vals.update(to_name=name, to_email=email, from_partner_id=owner.commercial_partner_id.id)
        vals.setdefault("date_expire", self._serial_expiry_date(lot))
        vals.setdefault("company_id", (lot.company_id or self.env.company).id)
        pending = self.search_count([("lot_id", "=", lot.id), ("state", "=", "pending")], limit=1)
        if pending:
            raise UserError(self._serial_pending_message())
        # Each offer emails an address the owner chooses, signed by the company.
        since = fields.Datetime.now() - timedelta(days=1)
        recent = self.search_count(
            [("from_partner_id", "=", vals["from_partner_id"]), ("create_date", ">=", since)]
        )
        if recent >= self._serial_daily_offer_limit():
            raise UserError(
                self.env._(
                    "You have offered %(count)s units for transfer in the last 24 hours: "
                    "try again tomorrow, or contact us.",
                    count=recent,
                )
            )

    @api.model
    def _serial_daily_offer_limit(self):
        return 20

    def _serial_pending_message(self):
        return self.env._(
            "A transfer of this unit is already waiting for its recipient: cancel it "
            "before you offer the unit to someone else."
        )

    @api.model
    def _serial_expiry_date(self, lot):
        days = (lot.company_id or self.env.company).serial_transfer_expiry_days
        return fields.Datetime.now() + timedelta(days=days)

    # ------------------------------------------------------------------
    # Acceptance and closing
    # ------------------------------------------------------------------

    def _serial_accept_url(self):
        """The recipient's link. It carries the token: for the flows only (superuser),
        never for staff rendering a template or a preview."""
        self.ensure_one()
        if not self.env.su:
            raise AccessError(self.env._("Only the recipient of a transfer gets its link."))
        return f"/serial/transfer/{self.id}?access_token={self.access_token}"

    def _serial_open_problem(self):
        """Why this request cannot be accepted now (translated text), or False."""
        self.ensure_one()
        if self.state == "accepted":
            return self.env._("This transfer has already been accepted.")
        if self.state == "cancelled":
            return self.env._("The owner cancelled this transfer.")
        if self.state == "expired" or self.date_expire < fields.Datetime.now():
            return self.env._(
                "This transfer request expired on %(date)s. Ask the owner for a new one.",
                date=format_datetime(self.env, self.date_expire),
            )
        return False

    def action_accept(self, partner):
        """Make ``partner`` (their commercial entity) the owner of the unit.

        Closes the offering owner's period and opens the recipient's with origin
        ``transfer``; transferable coverage follows, the rest is voided (see
        ``stock.lot._serial_transfer_ownership``). Called by the acceptance page once
        the token is checked, or by a Serial Tracking manager.
        """
        self.ensure_one()
        self._serial_check_manager()
        request = self.sudo()
        request._serial_lock_units(request.lot_id)
        request.invalidate_recordset()
        partner = partner.commercial_partner_id
        problem = request._serial_open_problem() or request.lot_id._serial_transfer_problem()
        if not problem and request.lot_id.serial_owner_id != request.from_partner_id:
            problem = self.env._("The unit no longer belongs to the person who offered it.")
        if not problem and partner == request.from_partner_id:
            problem = self.env._("You already own this unit.")
        if problem:
            raise UserError(problem)
        # Accepted first: the ownership change cancels the other offers of the unit.
        request.write(
            {"state": "accepted", "to_partner_id": partner.id, "date_done": fields.Datetime.now()}
        )
        request.lot_id._serial_transfer_ownership(
            {request.lot_id.id: partner},
            "transfer",
            note=self.env._("Transfer request accepted by %(name)s", name=partner.display_name),
        )
        request._serial_send("serial_tracking.mail_template_transfer_accepted")
        return True

    def action_cancel(self):
        """Withdraw pending offers (the owner from the portal, or a manager)."""
        self._serial_check_manager()
        self._serial_lock_units(self.sudo().lot_id)
        pending = self.sudo().filtered(lambda r: r.state == "pending")
        pending.write(
            {
                "state": "cancelled",
                "date_done": fields.Datetime.now(),
                "close_reason": self.env._("Cancelled by %(user)s", user=self.env.user.name),
            }
        )
        return True

    def _serial_check_manager(self):
        if self.env.su:
            return
        if not self.env.user.has_group("serial_tracking.group_serial_tracking_manager"):
            raise AccessError(
                self.env._("Only a Serial Tracking manager can accept or cancel a transfer.")
            )
        self.check_access("write")  # their companies' requests only

    def _serial_close_for_units(self, lots, reason):
        """Cancel the pending offers of units that changed hands in another way."""
        pending = self.sudo().search([("lot_id", "in", lots.ids), ("state", "=", "pending")])
        pending.write(
            {"state": "cancelled", "date_done": fields.Datetime.now(), "close_reason": reason}
        )
        return pending

    @api.model
    def _cron_expire(self):
        """Close the pending offers whose time is up (daily)."""
        due = self.sudo().search(
            [("state", "=", "pending"), ("date_expire", "<", fields.Datetime.now())]
        )
        due.write({"state": "expired", "date_done": fields.Datetime.now()})
        return due

    def _serial_send(self, template_xmlid, detached=False):
        """Email ``template_xmlid`` for each request. ``detached`` mails are kept off the
        request's thread, where its readers would find them (the offer carries the
        recipient's token)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        email_values = {"model": False, "res_id": False} if detached else None
        if template:
            for record in self:
                template.sudo().send_mail(
                    record.id,
                    email_values=email_values,
                    email_layout_xmlid="mail.mail_notification_light",
                )

    def _serial_notify_refused(self, problem):
        """Tell the owner, once, why their offer could not be accepted (the page tells
        the recipient each time)."""
        self.ensure_one()
        if self.sudo().refusal_notified:
            return
        self.sudo().refusal_notified = True
        self.sudo().with_context(serial_transfer_problem=problem)._serial_send(
            "serial_tracking.mail_template_transfer_refused"
        )
        self.sudo().message_post(body=problem, message_type="comment", subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Write guard
    # ------------------------------------------------------------------

    def write(self, vals):
        guard.check_write(self, vals, self._system_fields())
        return super().write(vals)
