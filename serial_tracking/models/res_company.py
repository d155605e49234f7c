from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_vin_lenient = fields.Boolean(
        string="Accept VINs without a valid check digit",
        help="Vehicles built outside North America do not always carry a check digit in "
        "position 9. When set, a VIN that fails only the check digit is accepted.",
    )
