from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestCaptureCompany(SerialTrackingCase):
    """The capture wizard checks serials against the company the lots will really get."""

    def _receipt_in(self, company, product):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        picking_type = warehouse.in_type_id.with_env(env)
        picking = env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": self.vendor.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _wizard(self, move):
        action = move.action_serial_capture()
        return move.env[action["res_model"]].with_context(**action["context"]).create({})

    def test_expected_company_is_the_stored_one(self):
        branch = self.env["res.company"].create({"name": "Branch", "parent_id": self.company.id})
        self.env.user.company_ids |= branch
        own = self._create_serial_product("Company Ring", "free", company_id=self.company.id)
        shared = self._create_serial_product("Shared Ring", "free")
        for company, product in (
            (self.company, own),
            (branch, own),  # a branch receives its parent's product: the branch's unit
            (self.company, shared),  # shared product: shared unit
        ):
            with self.subTest(company=company.name, product=product.name):
                picking = self._receipt_in(company, product)
                move = picking.move_ids
                expected = self._wizard(move)._lot_company()
                serial = f"CC-{company.id}-{product.id}"
                self._capture(move, serial)
                picking.button_validate()
                lot = picking.move_line_ids.lot_id
                self.assertEqual(lot.name, serial)
                self.assertEqual(lot.company_id, expected)
                # The same serial again, for the same product and company: refused at
                # capture, before anything is written.
                again = self._receipt_in(company, product)
                with self.assertRaisesRegex(ValidationError, serial):
                    self._capture(again.move_ids, serial)
                self.assertFalse(again.move_line_ids.filtered("lot_name"))
