import base64
import datetime

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal

MAX_PROOF_SIZE = 10 * 1024 * 1024
PROOF_MIMETYPES = ("application/pdf", "image/jpeg", "image/png")


class SerialRegistrationPortal(CustomerPortal):
    """/serial/register: a customer registers a unit bought elsewhere.

    Customers have no access to ``serial.registration``: the controller reads and
    creates their own registrations as superuser, after checking who they are.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "serial_registration_count" in counters:
            values["serial_registration_count"] = (
                request.env["serial.registration"]
                .sudo()
                .search_count(self._serial_registration_domain())
            )
        return values

    def _serial_registration_domain(self):
        """The registrations the logged-in user made (never anybody else's)."""
        return [("partner_id", "=", request.env.user.partner_id.id)]

    def _serial_registration_values(self, **values):
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "serial_registration",
            "registrations": request.env["serial.registration"]
            .sudo()
            .search(self._serial_registration_domain()),
            "today": fields.Date.context_today(request.env.user),
            "error": False,
            "submitted": False,
            "serial": "",
            "purchase_date": "",
            **values,
        }
        return values

    @http.route("/serial/register", type="http", auth="user", methods=["GET"], website=True)
    def serial_register_form(self, submitted=None, serial=None, **kw):
        # ``serial`` prefills the form (a link or a QR code on the unit's packaging).
        values = self._serial_registration_values(
            submitted=bool(submitted), serial=(serial or "")[:120]
        )
        return request.render("serial_tracking.portal_serial_register", values)

    @http.route("/serial/register", type="http", auth="user", methods=["POST"], website=True)
    def serial_register_submit(self, serial=None, purchase_date=None, proof=None, **kw):
        user = request.env.user
        if not (user._is_portal() or user._is_internal()):
            raise request.not_found()
        try:
            vals = self._serial_registration_check(serial, purchase_date, proof)
        except UserError as error:
            values = self._serial_registration_values(
                error=str(error), serial=(serial or "")[:120], purchase_date=purchase_date or ""
            )
            return request.render("serial_tracking.portal_serial_register", values, status=400)
        registration = (
            request.env["serial.registration"]
            .sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(vals)
        )
        registration._serial_send_decision(
            "serial_tracking.mail_template_serial_registration_received"
        )
        return request.redirect("/serial/register?submitted=1")

    def _serial_registration_check(self, serial, purchase_date, proof):
        """Values of the registration the form describes; ``UserError`` when it is
        incomplete or wrong, in words the customer understands."""
        env = request.env
        Lot = env["stock.lot"]
        serial = (serial or "").strip()
        if len(serial) > 120:
            raise UserError(env._("This is too long to be a serial number."))
        serial, _gtin = Lot._serial_parse_lookup_code(serial)
        try:
            date = fields.Date.to_date(purchase_date) if purchase_date else None
        except ValueError:
            date = None
        if not date:
            raise UserError(env._("Give the date of purchase."))
        if date > fields.Date.context_today(env.user) or date < datetime.date(1950, 1, 1):
            raise UserError(env._("The date of purchase must be a past date, not in the future."))
        if not proof or not getattr(proof, "filename", None):
            raise UserError(env._("Attach a proof of purchase (receipt or invoice)."))
        data = proof.read(MAX_PROOF_SIZE + 1)
        if len(data) > MAX_PROOF_SIZE:
            raise UserError(env._("The proof of purchase is larger than 10 MB."))
        if not data or guess_mimetype(data) not in PROOF_MIMETYPES:
            raise UserError(env._("The proof of purchase must be a PDF, JPEG or PNG file."))
        partner = env.user.partner_id
        lots = Lot._serial_public_lots(serial)
        lot = lots if len(lots) == 1 else Lot.browse()
        if lot and lot.serial_owner_id.commercial_partner_id == partner.commercial_partner_id:
            raise UserError(env._("This unit is already registered to you."))
        pending = (
            env["serial.registration"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("serial_name", "=", lot.name or serial),
                    ("state", "=", "pending"),
                ]
            )
        )
        if pending:
            raise UserError(
                env._("You already registered this serial number: we are reviewing it.")
            )
        return {
            "serial_name": lot.name or serial,
            "lot_id": lot.id,
            "partner_id": partner.id,
            "purchase_date": date,
            "proof": base64.b64encode(data),
            "proof_filename": (proof.filename or "proof")[-100:],
            "company_id": (lot.company_id or env.user.company_id).id,
        }
