from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class SerialUnitsPortal(CustomerPortal):
    """The units a customer owns, and owner-to-owner transfers.

    Portal users have no access to the unit models: every read goes through sudo, but
    only after the domain has been restricted to the units whose current owner is the
    user's commercial partner. Anything else answers 404, whatever the id.
    """

    _units_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "serial_unit_count" in counters:
            values["serial_unit_count"] = (
                request.env["stock.lot"].sudo().search_count(self._serial_units_domain())
            )
        return values

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _serial_owner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _serial_units_domain(self):
        return [("serial_owner_id", "=", self._serial_owner().id)]

    def _serial_owned_unit(self, lot_id):
        """The unit ``lot_id`` if the user's commercial partner owns it now, else 404."""
        lot = (
            request.env["stock.lot"]
            .sudo()
            .search([("id", "=", lot_id)] + self._serial_units_domain(), limit=1)
        )
        if not lot:
            raise NotFound()
        return lot

    def _serial_open_recall_lines(self, lots):
        return lots.serial_recall_line_ids.filtered(
            lambda line: line.recall_id.state == "open" and line.state != "resolved"
        )

    def _serial_unit_values(self, lot, **extra):
        owner = self._serial_owner()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "serial_unit",
                "lot": lot,
                # Only the periods of the user's own company: never other owners' names.
                "periods": lot.serial_ownership_ids.filtered(
                    lambda period: period.partner_id.commercial_partner_id == owner
                ),
                "coverages": lot.serial_warranty_ids.filtered(
                    lambda coverage: coverage.state != "void"
                ).sorted("date_start"),
                "recall_lines": self._serial_open_recall_lines(lot),
                "transfers": lot.serial_transfer_request_ids.filtered(
                    lambda req: req.from_partner_id == owner
                ),
                "transfer_problem": lot._serial_transfer_problem(),
                "error": False,
                "form": {},
            }
        )
        values.update(extra)
        return values

    # ------------------------------------------------------------------
    # My units
    # ------------------------------------------------------------------

    @http.route(["/my/units", "/my/units/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_serial_units(self, page=1, **kw):
        Lot = request.env["stock.lot"].sudo()
        domain = self._serial_units_domain()
        pager = portal_pager(
            url="/my/units",
            total=Lot.search_count(domain),
            page=page,
            step=self._units_per_page,
        )
        lots = Lot.search(
            domain, order="name, id", limit=self._units_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "serial_units",
                "lots": lots,
                "recall_lines": self._serial_open_recall_lines(lots),
                "pager": pager,
                "default_url": "/my/units",
            }
        )
        return request.render("serial_tracking.portal_my_serial_units", values)

    @http.route(["/my/units/<int:lot_id>"], type="http", auth="user", website=True)
    def portal_my_serial_unit(self, lot_id, **kw):
        lot = self._serial_owned_unit(lot_id)
        values = self._serial_unit_values(lot, message=kw.get("message"))
        return request.render("serial_tracking.portal_my_serial_unit", values)

    @http.route(["/my/units/<int:lot_id>/certificate"], type="http", auth="user", website=True)
    def portal_my_serial_unit_certificate(self, lot_id, **kw):
        lot = self._serial_owned_unit(lot_id)
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "serial_tracking.action_report_warranty_certificate",
                lot.ids,
                data={"serial_portal": True},
            )
        )
        filename = request.env._("Warranty - %(serial)s", serial=lot.name)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(f"{filename}.pdf")),
            ],
        )

    @http.route(
        ["/my/units/<int:lot_id>/transfer"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_serial_unit_transfer(self, lot_id, to_name="", to_email="", **kw):
        lot = self._serial_owned_unit(lot_id)
        Request = request.env["serial.transfer.request"].sudo()
        try:
            with request.env.cr.savepoint():
                transfer = Request.create(
                    {
                        "lot_id": lot.id,
                        "from_partner_id": self._serial_owner().id,
                        "requested_by_id": request.env.user.id,
                        "to_name": to_name,
                        "to_email": to_email,
                    }
                )
        except (UserError, ValidationError) as error:
            values = self._serial_unit_values(
                lot, error=error.args[0], form={"to_name": to_name, "to_email": to_email}
            )
            return request.render("serial_tracking.portal_my_serial_unit", values)
        transfer._serial_send("serial_tracking.mail_template_transfer_request", detached=True)
        return request.redirect(f"/my/units/{lot.id}?{url_encode({'message': 'transfer_sent'})}")

    @http.route(
        ["/my/units/<int:lot_id>/transfer/<int:request_id>/cancel"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_serial_unit_transfer_cancel(self, lot_id, request_id, **kw):
        lot = self._serial_owned_unit(lot_id)
        transfer = lot.serial_transfer_request_ids.filtered(
            lambda req: req.id == request_id and req.from_partner_id == self._serial_owner()
        )
        if not transfer:
            raise NotFound()
        transfer.action_cancel()
        return request.redirect(
            f"/my/units/{lot.id}?{url_encode({'message': 'transfer_cancelled'})}"
        )

    # ------------------------------------------------------------------
    # The recipient's side: the tokenised link
    # ------------------------------------------------------------------

    def _serial_transfer_from_token(self, request_id, access_token):
        """The request ``request_id`` if ``access_token`` is its token, else 404.

        A wrong token and an unknown id answer the same, so a guess learns nothing.
        """
        transfer = request.env["serial.transfer.request"].sudo().browse(request_id).exists()
        if not (
            transfer
            and access_token
            and isinstance(access_token, str)
            and consteq(transfer.access_token or "", access_token)
        ):
            raise NotFound()
        return transfer

    def _serial_transfer_values(self, transfer, access_token, **extra):
        values = {
            "transfer": transfer,
            "access_token": access_token,
            "problem": transfer._serial_open_problem(),
            "is_public": request.env.user._is_public(),
            "login_url": "/web/login?" + url_encode({"redirect": transfer._serial_accept_url()}),
            "done": False,
        }
        values.update(extra)
        return values

    @http.route(["/serial/transfer/<int:request_id>"], type="http", auth="public", website=True)
    def serial_transfer_page(self, request_id, access_token=None, **kw):
        transfer = self._serial_transfer_from_token(request_id, access_token)
        values = self._serial_transfer_values(transfer, access_token)
        return request.render("serial_tracking.serial_transfer_accept_page", values)

    @http.route(
        ["/serial/transfer/<int:request_id>/accept"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def serial_transfer_accept(self, request_id, access_token=None, **kw):
        transfer = self._serial_transfer_from_token(request_id, access_token)
        partner = request.env.user.partner_id
        problem = transfer._serial_open_problem() or transfer.lot_id._serial_transfer_problem()
        if problem and transfer.state == "pending" and not transfer._serial_open_problem():
            # The unit was blocked after the offer: both sides learn why.
            transfer._serial_notify_refused(problem)
        if not problem:
            try:
                with request.env.cr.savepoint():
                    transfer.action_accept(partner)
            except UserError as error:
                problem = error.args[0]
        values = self._serial_transfer_values(
            transfer, access_token, problem=problem, done=not problem
        )
        return request.render("serial_tracking.serial_transfer_accept_page", values)

    @http.route(
        ["/serial/transfer/<int:request_id>/signup"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def serial_transfer_signup(self, request_id, access_token=None, **kw):
        """Create an account for the recipient, then come back to accept.

        A new contact is always created: reusing one found by email would hand the
        holder of the link the portal of somebody else's contact.
        """
        transfer = self._serial_transfer_from_token(request_id, access_token)
        if transfer._serial_open_problem() or not request.env.user._is_public():
            return request.redirect(transfer._serial_accept_url())
        Users = request.env["res.users"].sudo()
        if Users.search_count([("login", "=ilike", transfer.to_email)], limit=1):
            return request.redirect(
                "/web/login?" + url_encode({"redirect": transfer._serial_accept_url()})
            )
        partner = transfer.signup_partner_id
        if not partner or partner.with_context(active_test=False).user_ids:
            partner = (
                request.env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": transfer.to_name,
                        "email": transfer.to_email,
                        "lang": transfer.from_partner_id.lang,
                    }
                )
            )
            transfer.signup_partner_id = partner
        url = partner.with_context(signup_valid=True, relative_url=True)._get_signup_url_for_action(
            url=transfer._serial_accept_url()
        )[partner.id]
        return request.redirect(url)
