from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    serial_license_number = fields.Char(
        string="License Number",
        tracking=True,
        help="Federal Firearms License (or other license) of a licensed partner: written "
        "in the register instead of an address, and no Form 4473 is needed to deliver "
        "firearms to it.",
    )

    def _serial_register_license(self):
        """The license of the partner, else of its company."""
        self.ensure_one()
        return self.serial_license_number or self.commercial_partner_id.serial_license_number

    def _serial_register_snapshot(self):
        """Name, address and license as a book line keeps them."""
        if not self:
            return {"partner_id": False}
        self.ensure_one()
        address = self._display_address(without_company=True) or ""
        return {
            "partner_id": self.id,
            "partner_name": self.display_name,
            "partner_address": ", ".join(part for part in address.splitlines() if part.strip())
            or False,
            "license_number": self._serial_register_license() or False,
        }
