from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_pos_new_allowed = fields.Boolean(
        string="New Serials at the Till",
        help="The Point of Sale accepts serial numbers of this product that are not in "
        "the shop's stock (units sold before they are received, made to order): they are "
        "created when the order is synchronised. Their format is still checked.",
    )
