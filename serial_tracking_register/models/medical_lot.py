from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # The production identifiers of a scanned UDI, carried to the unit created on
    # validation.
    serial_udi_lot = fields.Char(string="UDI Lot", size=20)
    serial_udi_manufactured = fields.Date(string="Manufacturing Date")
    serial_udi_expiry_code = fields.Char(string="UDI Expiry (AI 17)", size=6)

    def _prepare_new_lot_vals(self):
        vals = super()._prepare_new_lot_vals()
        if self.serial_udi_lot:
            vals["serial_udi_lot"] = self.serial_udi_lot
        if self.serial_udi_manufactured:
            vals["serial_udi_manufactured"] = self.serial_udi_manufactured
        if self.serial_udi_expiry_code:
            vals["serial_udi_expiry_code"] = self.serial_udi_expiry_code
            # The label's date wins over product_expiry's "received + N days".
            expiry = self.env["barcode.nomenclature"].gs1_date_to_date(self.serial_udi_expiry_code)
            vals["expiration_date"] = self.env["stock.lot"]._serial_udi_expiry_datetime(
                expiry, self.company_id
            )
        return vals
