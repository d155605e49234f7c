from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

# Longest inputs kept: a serial (or a scanned GS1 string) and the "where" text.
MAX_SERIAL_LENGTH = 120
MAX_WHERE_LENGTH = 200


class SerialPublicCheck(http.Controller):
    """Public stolen check: anyone (a pawnshop, a second-hand buyer) asks whether a
    serial was reported stolen or lost. The answer is one of four words, never who
    owns the unit, what it is or when anything happened."""

    def _serial_check(self, serial, where):
        """``(status, answer)``: the HTTP status and either the public status of
        ``serial`` (see ``stock.lot._serial_public_status``) or ``{"error", "message"}``.
        """
        ip = request.httprequest.remote_addr
        if not request.env["serial.check.rate"].sudo()._serial_take_slot(ip):
            return 429, {
                "error": "rate_limited",
                "message": request.env._(
                    "Too many checks from your address: try again in an hour."
                ),
            }
        serial = (serial or "").strip()
        if len(serial) > MAX_SERIAL_LENGTH:
            return 400, {
                "error": "invalid",
                "message": request.env._("This is too long to be a serial number."),
            }
        Lot = request.env["stock.lot"]
        try:
            Lot._serial_parse_lookup_code(serial)
        except UserError as error:
            return 400, {"error": "invalid", "message": str(error)}
        where = (where or "").strip()[:MAX_WHERE_LENGTH]
        return 200, Lot._serial_public_status(serial, ip=ip, where=where)

    @http.route(
        "/serial/check",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def serial_public_check(self, serial=None, where=None, **kw):
        values = {"serial": "", "where": "", "answer": {}, "error": False}
        status = 200
        if request.httprequest.method == "POST":
            status, answer = self._serial_check(serial, where)
            values.update(
                serial=(serial or "")[:MAX_SERIAL_LENGTH],
                where=(where or "")[:MAX_WHERE_LENGTH],
                answer=answer if status == 200 else {},
                error=answer.get("message") if status != 200 else False,
            )
        return request.render("serial_tracking.serial_public_check", values, status=status)

    @http.route(
        "/serial/check/json",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
    )
    def serial_public_check_json(self, serial=None, where=None, **kw):
        """Same answer for integrators: ``serial`` and ``where`` as query or form
        parameters, or as a JSON object body. No session, hence no CSRF token."""
        if not serial and request.httprequest.mimetype == "application/json":
            try:
                data = request.get_json_data()
            except ValueError:
                data = None
            if isinstance(data, dict):
                serial, where = data.get("serial"), data.get("where")
        if serial is not None and not isinstance(serial, str):
            serial = ""
        if where is not None and not isinstance(where, str):
            where = ""
        status, answer = self._serial_check(serial, where)
        headers = [("Cache-Control", "no-store")]
        if status == 429:
            headers.append(("Retry-After", "3600"))
        return request.make_json_response(answer, headers=headers, status=status)
