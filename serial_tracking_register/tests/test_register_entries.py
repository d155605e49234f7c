from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RegisterCase


@tagged("post_install", "-at_install")
class TestRegisterEntries(RegisterCase):
    def test_receipt_writes_acquisitions_with_snapshots(self):
        lots = self._receive_units(self.rifle, ["R-1", "R-2"], vendor=self.dealer)
        entries = self._entries(lots)
        self.assertEqual(entries.mapped("entry_type"), ["acquisition", "acquisition"])
        self.assertEqual(entries.mapped("event"), ["receipt", "receipt"])
        entry = entries[0]
        self.assertEqual(entry.partner_id, self.dealer)
        self.assertEqual(entry.partner_name, "Frontier Sporting")
        self.assertEqual(entry.license_number, "9-98-765-01-4D-00042")
        self.assertEqual(entry.manufacturer, "Ridgeline Arms Co.")
        self.assertEqual(entry.importer, "Atlantic Imports LLC")
        self.assertEqual(entry.model, "Test R308 model")
        self.assertEqual(entry.firearm_type, "Rifle")
        self.assertEqual(entry.caliber, ".308 Winchester")
        self.assertEqual(set(entries.mapped("serial")), {"R-1", "R-2"})
        self.assertEqual(entries[1].sequence, entries[0].sequence + 1)
        self.assertTrue(entry.hash and len(entry.hash) == 64)

        # Later edits of the partner or the product do not rewrite history.
        self.dealer.write({"name": "Renamed Dealer", "serial_license_number": "X"})
        self.rifle.serial_firearm_caliber = "7.62x51"
        entry.invalidate_recordset()
        self.assertEqual(entry.partner_name, "Frontier Sporting")
        self.assertEqual(entry.license_number, "9-98-765-01-4D-00042")
        self.assertEqual(entry.caliber, ".308 Winchester")

    def test_delivery_needs_form_4473_for_non_licensee(self):
        lots = self._receive_units(self.pistol, ["P-1"])
        picking = self._create_picking(self.picking_type_out, self.pistol, 1, self.customer)
        self.assertTrue(picking.serial_register_needs_ref)
        with self.assertRaisesRegex(UserError, "Form 4473 transaction number.*" + picking.name):
            self._validate_picking(picking, lots)
        self.assertFalse(self._entries(lots, entry_type="disposition"))
        picking.serial_transaction_ref = "4473-0042"
        self._validate_picking(picking, lots)
        entry = self._entries(lots, entry_type="disposition")
        self.assertEqual(entry.event, "delivery")
        self.assertEqual(entry.transaction_ref, "4473-0042")
        self.assertEqual(entry.partner_name, "Alice Martin")
        self.assertIn("12 Maple Street", entry.partner_address)
        self.assertEqual(entry.picking_id, picking)

    def test_delivery_to_licensee_needs_no_4473(self):
        lots = self._receive_units(self.pistol, ["P-2"])
        picking = self._create_picking(self.picking_type_out, self.pistol, 1, self.dealer)
        self.assertFalse(picking.serial_register_needs_ref)
        self._validate_picking(picking, lots)
        entry = self._entries(lots, entry_type="disposition")
        self.assertEqual(entry.license_number, "9-98-765-01-4D-00042")
        self.assertFalse(entry.transaction_ref)

    def test_other_products_need_no_4473_and_write_nothing(self):
        lots = self._receive_units(self.product_free, ["RING-1"])
        self._deliver(lots)
        self.assertFalse(self._entries(lots))

    def test_internal_transfer_writes_nothing(self):
        lots = self._receive_units(self.pistol, ["P-3"])
        shelf = self.env["stock.location"].create(
            {"name": "Safe", "usage": "internal", "location_id": self.stock_location.id}
        )
        self._move_units(
            lots, self.warehouse.int_type_id, location=self.stock_location, location_dest=shelf
        )
        self.assertEqual(len(self._entries(lots)), 1)

    def test_return_to_vendor_scrap_and_customer_return(self):
        lots = self._receive_units(self.rifle, ["R-3", "R-4", "R-5"])
        r3, r4, r5 = lots
        self._move_units(
            r3, self.picking_type_out, self.vendor, self.stock_location, self.supplier_location
        )
        self.assertEqual(self._entries(r3, entry_type="disposition").event, "vendor_return")
        scrap = self.env["stock.scrap"].create(
            {"product_id": self.rifle.id, "lot_id": r4.id, "scrap_qty": 1}
        )
        scrap.action_validate()
        entry = self._entries(r4, entry_type="disposition")
        self.assertEqual(entry.event, "scrap")
        self.assertFalse(entry.partner_id)
        delivery = self._sell_units(r5)
        self._return_with_wizard(delivery)
        events = self._entries(r5).mapped("event")
        self.assertEqual(events, ["receipt", "delivery", "customer_return"])

    def test_firearm_product_setup(self):
        with self.assertRaisesRegex(ValidationError, "track it by unique serial"):
            self.env["product.product"].create(
                {
                    "name": "Untracked gun",
                    "is_storable": True,
                    "serial_register_kind": "firearm",
                    "serial_firearm_type": "rifle",
                }
            )
        with self.assertRaisesRegex(ValidationError, "set its type"):
            self._create_serial_product("No type", serial_register_kind="firearm")
        form = Form(self.env["product.template"])
        form.name = "Form gun"
        form.is_storable = True
        form.tracking = "serial"
        form.serial_register_kind = "firearm"
        form.serial_firearm_type = "shotgun"
        form.serial_firearm_caliber = "12 gauge"
        self.assertEqual(form.save().serial_firearm_caliber, "12 gauge")
