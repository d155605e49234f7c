from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.serial_tracking.tools.identifiers import GS


class SerialRegisterEntry(models.Model):
    _inherit = "serial.register.entry"

    @api.model
    def _serial_register_medical_demo(self, pump_id, implant_id, maker_id, hospital_id):
        """Demo: receive infusion pumps and hip implants by full UDI scans, once (a
        reinstall keeps the units and writes nothing twice)."""
        Product = self.env["product.product"]
        pump, implant = Product.browse(pump_id), Product.browse(implant_id)
        if self.env["stock.lot"].search_count([("product_id", "in", [pump_id, implant_id])]):
            return False
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        today = fields.Date.context_today(self)
        made = (today - timedelta(days=60)).strftime("%y%m%d")
        expires = (today + timedelta(days=5 * 365)).strftime("%y%m%d")
        # Pumps as printed on the label, implants as a scanner sends the DataMatrix.
        pump_scans = [
            f"(01){pump._serial_udi_di()}(11){made}(21)MIP-26-{n:04d}" for n in range(1, 4)
        ]
        implant_scans = [
            f"01{implant._serial_udi_di()}11{made}17{expires}10HS32-2611{GS}21HS-{n:06d}"
            for n in range(1, 4)
        ]
        receipt = self._serial_register_demo_receipt(
            warehouse, maker_id, [(pump, pump_scans), (implant, implant_scans)]
        )
        return receipt

    @api.model
    def _serial_register_demo_receipt(self, warehouse, partner_id, product_scans):
        """A receipt whose units are captured by scanning, as a user does."""
        picking_type = warehouse.in_type_id
        src = self.env.ref("stock.stock_location_suppliers")
        dest = picking_type.default_location_dest_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner_id,
                "location_id": src.id,
                "location_dest_id": dest.id,
                "origin": self.env._("Serial Tracking demo"),
                "move_ids": [
                    fields.Command.create(
                        {
                            "name": product.display_name,
                            "product_id": product.id,
                            "product_uom_qty": len(scans),
                            "product_uom": product.uom_id.id,
                            "location_id": src.id,
                            "location_dest_id": dest.id,
                        }
                    )
                    for product, scans in product_scans
                ],
            }
        )
        picking.action_confirm()
        Wizard = self.env["serial.capture.wizard"]
        for move, (_product, scans) in zip(picking.move_ids, product_scans, strict=True):
            Wizard.create({"move_id": move.id, "serials_text": "\n".join(scans)}).action_confirm()
        picking.button_validate()
        return picking
