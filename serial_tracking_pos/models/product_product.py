from odoo import api, fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    # The till prints the end of the standard warranty under each serial of the
    # receipt: it only needs the term's length, not the term.
    serial_pos_warranty_duration = fields.Integer(
        related="serial_warranty_term_id.duration", string="Warranty Duration"
    )
    serial_pos_warranty_unit = fields.Selection(
        related="serial_warranty_term_id.duration_unit", string="Warranty Duration Unit"
    )

    @api.model
    def _load_pos_data_fields(self, config_id):
        return [
            *super()._load_pos_data_fields(config_id),
            "serial_pos_warranty_duration",
            "serial_pos_warranty_unit",
        ]
