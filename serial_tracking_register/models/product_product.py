from odoo import api, models

from odoo.addons.serial_tracking.tools import identifiers


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _register_entry_values_firearm(self):
        """Snapshot of the firearm data a book line keeps (as it is today)."""
        self.ensure_one()
        selection = dict(
            self._fields["serial_firearm_type"]._description_selection(
                self.with_context(lang="en_US").env
            )
        )
        return {
            "manufacturer": self.serial_manufacturer_id.name or False,
            "importer": self.serial_importer_id.name or False,
            "model": self.serial_firearm_model or self.name,
            "firearm_type": selection.get(self.serial_firearm_type) or False,
            "caliber": self.serial_firearm_caliber or False,
        }

    # Template fields written through a variant bypass the template's write().
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["product.template"]._serial_normalize_udi_di_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self.env["product.template"]._serial_normalize_udi_di_vals(vals)
        return super().write(vals)

    def _serial_udi_di(self):
        """The product's UDI-DI as GTIN-14, or False.

        A template with several variants has no single DI: each variant's own GTIN
        barcode is its DI then.
        """
        self.ensure_one()
        if self.serial_register_kind != "medical_device":
            return False
        if self.serial_udi_di:
            return self.serial_udi_di
        try:
            return identifiers.normalize_gtin14(self.barcode) if self.barcode else False
        except ValueError:
            return False

    def _register_entry_values_medical_device(self):
        """Snapshot of the device data every register entry of the unit keeps."""
        self.ensure_one()
        return {
            "manufacturer": self.serial_manufacturer_id.name or False,
            "model": self.default_code or self.name,
        }
