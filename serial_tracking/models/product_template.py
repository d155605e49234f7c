from odoo import api, fields, models
from odoo.exceptions import ValidationError

IDENTIFIER_TYPES = [
    ("free", "Free text"),
    ("imei", "IMEI"),
    ("vin", "VIN"),
    ("gtin_serial", "GTIN + serial (GS1 AI 21)"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_identifier_type = fields.Selection(
        IDENTIFIER_TYPES,
        string="Serial Format",
        default="free",
        required=True,
        tracking=True,
        help="Format every new serial number of this product must pass.\n"
        "IMEI: 15 digits with a Luhn check digit.\n"
        "VIN: 17 characters, no I/O/Q, check digit in position 9.\n"
        "GTIN + serial: the serial is the GS1 AI 21 value (1-20 characters); scanned "
        "GS1 codes must carry the product's barcode as GTIN.\n"
        "IMEI and VIN serials are unique across all products.",
    )
    serial_sale_capture = fields.Boolean(
        string="Capture Serials on Sales Orders",
        tracking=True,
        help="The salesperson chooses the exact units (serial numbers) on the sales order "
        "line before the order can be confirmed; the delivery then reserves and delivers "
        "exactly those units.",
    )
    serial_warranty_term_id = fields.Many2one(
        "serial.warranty.term",
        string="Warranty Term",
        tracking=True,
        check_company=True,
        help="Standard warranty given with each unit of this product. On a warranty "
        "extension service: the coverage that the extension adds to the serials it "
        "is sold for.",
    )
    serial_warranty_extension = fields.Boolean(
        string="Warranty Extension",
        help="This service extends the warranty of the serials chosen on the sales "
        "order line, by the warranty term of the service.",
    )

    @api.constrains("serial_identifier_type", "tracking", "barcode")
    def _check_serial_identifier_type(self):
        for template in self:
            if template.serial_identifier_type == "free":
                continue
            if template.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: a serial format (%(format)s) only makes "
                        "sense for products tracked by unique serial number.",
                        product=template.display_name,
                        format=dict(
                            self._fields["serial_identifier_type"]._description_selection(self.env)
                        )[template.serial_identifier_type],
                    )
                )

    @api.constrains("serial_sale_capture", "tracking")
    def _check_serial_sale_capture(self):
        wrong = self.filtered(lambda t: t.serial_sale_capture and t.tracking != "serial")
        if wrong:
            raise ValidationError(
                self.env._(
                    "Serials can only be captured on sales orders for products tracked by "
                    "unique serial number: %(products)s",
                    products=", ".join(wrong.mapped("display_name")),
                )
            )

    @api.constrains("serial_warranty_extension", "serial_warranty_term_id", "type")
    def _check_serial_warranty_extension(self):
        for template in self.filtered("serial_warranty_extension"):
            if template.type != "service" or not template.serial_warranty_term_id:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: a warranty extension is a service with a "
                        "warranty term (the coverage it adds).",
                        product=template.display_name,
                    )
                )
