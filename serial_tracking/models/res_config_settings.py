from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_vin_lenient = fields.Boolean(
        related="company_id.serial_vin_lenient",
        readonly=False,
    )
