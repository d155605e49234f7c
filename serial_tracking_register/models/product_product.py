from odoo import models


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
