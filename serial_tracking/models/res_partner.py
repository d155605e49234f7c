from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        res = super().write(vals)
        # The time zone of a company decides its "today" for warranty states.
        if "tz" in vals and self.sudo().ref_company_ids:
            self.env.registry.clear_cache()  # res.company._serial_timezones
        return res
