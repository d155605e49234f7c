from odoo import models


class MrpUnbuild(models.Model):
    _inherit = "mrp.unbuild"

    def action_unbuild(self):
        res = super().action_unbuild()
        # Odoo asks for the order of a unit built from tracked components, the only
        # units that have links.
        self.env["serial.genealogy.link"]._refresh(self.mo_id)
        return res
