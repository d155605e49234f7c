from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class SerialRecallPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "serial_recall_count" in counters:
            # The tile counts campaigns: one recall of ten units is one recall.
            values["serial_recall_count"] = len(self._serial_recall_lines().recall_id)
        return values

    def _serial_recall_lines(self):
        """Open recall lines of the units the portal user's company owns.

        Read with sudo (customers have no access to recall models) but strictly
        restricted to the units whose current owner is the user's commercial partner.
        """
        partner = request.env.user.partner_id.commercial_partner_id
        return (
            request.env["serial.recall.line"]
            .sudo()
            .search(
                [
                    ("lot_id.serial_owner_id", "=", partner.id),
                    ("recall_id.state", "=", "open"),
                    ("state", "!=", "resolved"),
                ]
            )
        )

    @http.route(["/my/recalls"], type="http", auth="user", website=True)
    def portal_my_serial_recalls(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"lines": self._serial_recall_lines(), "page_name": "serial_recalls"})
        return request.render("serial_tracking.portal_my_serial_recalls", values)
