from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_register_kind = fields.Selection(
        [("none", "None"), ("firearm", "Firearm"), ("medical_device", "Medical Device")],
        string="Register",
        default="none",
        required=True,
        tracking=True,
        help="Regulated goods whose every acquisition and disposition is written in the "
        "company's register (the firearms A&D book).",
    )
    serial_firearm_type = fields.Selection(
        [
            ("pistol", "Pistol"),
            ("revolver", "Revolver"),
            ("rifle", "Rifle"),
            ("shotgun", "Shotgun"),
            ("receiver", "Receiver/Frame"),
            ("other", "Other"),
        ],
        string="Firearm Type",
        tracking=True,
    )
    serial_firearm_caliber = fields.Char(string="Caliber or Gauge", tracking=True)
    serial_firearm_model = fields.Char(string="Firearm Model", tracking=True)
    serial_manufacturer_id = fields.Many2one(
        "res.partner",
        string="Manufacturer",
        tracking=True,
        help="Manufacturer written in the register (for a domestic firearm, also the "
        "maker marked on it).",
    )
    serial_importer_id = fields.Many2one(
        "res.partner",
        string="Importer",
        tracking=True,
        help="Importer of a foreign-made firearm, written in the register.",
    )

    @api.constrains("serial_register_kind", "tracking", "serial_firearm_type")
    def _check_serial_register(self):
        for template in self.filtered(lambda t: t.serial_register_kind != "none"):
            if template.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "%(product)s is kept in a register: track it by unique serial number.",
                        product=template.display_name,
                    )
                )
            if template.serial_register_kind == "firearm" and not template.serial_firearm_type:
                raise ValidationError(
                    self.env._(
                        "%(product)s is a firearm: set its type (pistol, rifle...).",
                        product=template.display_name,
                    )
                )

    @api.model
    def _serial_handgun_types(self):
        """Types reported as multiple sales of pistols and revolvers (Form 3310.4)."""
        return ("pistol", "revolver")
