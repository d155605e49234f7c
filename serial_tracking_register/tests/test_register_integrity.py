import psycopg2

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RegisterCase


@tagged("post_install", "-at_install")
class TestRegisterIntegrity(RegisterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._receive_units(cls.pistol, ["I-1", "I-2", "I-3"], vendor=cls.dealer)
        cls.entries = cls.Entry.search([("lot_id", "in", cls.lots.ids)], order="sequence")

    def test_sql_update_and_delete_refused(self):
        entry = self.entries[0]
        for query in (
            "UPDATE serial_register_entry SET serial = 'FORGED' WHERE id = %s",
            "DELETE FROM serial_register_entry WHERE id = %s",
        ):
            with self.assertRaisesRegex(psycopg2.Error, "append-only"), mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    self.env.cr.execute(query, [entry.id])
        self.env.cr.execute("SELECT serial FROM serial_register_entry WHERE id = %s", [entry.id])
        self.assertEqual(self.env.cr.fetchone()[0], "I-1")

    def test_orm_write_unlink_create_refused(self):
        entry = self.entries[0]
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            entry.write({"serial": "FORGED"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            entry.unlink()
        with self.assertRaisesRegex(UserError, "written by the system"):
            self.Entry.sudo().create({"serial": "X"})

    def test_tampering_found_by_verification(self):
        self.assertTrue(self.Entry.action_verify_integrity())
        tampered = self.entries[1]
        self.env.cr.execute(
            "ALTER TABLE serial_register_entry DISABLE TRIGGER serial_register_entry_immutable_trg"
        )
        self.env.cr.execute(
            "UPDATE serial_register_entry SET serial = 'FORGED' WHERE id = %s", [tampered.id]
        )
        self.env.cr.execute(
            "ALTER TABLE serial_register_entry ENABLE TRIGGER serial_register_entry_immutable_trg"
        )
        with self.assertRaisesRegex(UserError, f"line {tampered.sequence} does not match"):
            self.Entry.action_verify_integrity()

    def test_correction_keeps_original(self):
        original = self.entries[0]
        with self.assertRaisesRegex(UserError, "reason"):
            original.action_correct({"caliber": "9x19"}, "  ")
        with self.assertRaisesRegex(UserError, "cannot be corrected: hash"):
            original.action_correct({"hash": "0"}, "why not")
        correction = original.with_user(self.officer).action_correct(
            {"caliber": "9x19 Parabellum"}, "Caliber mistyped"
        )
        self.assertEqual(correction.entry_type, "correction")
        self.assertEqual(correction.corrects_entry_id, original)
        self.assertEqual(correction.reason, "Caliber mistyped")
        self.assertEqual(correction.caliber, "9x19 Parabellum")
        self.assertEqual(correction.serial, "I-1")
        self.assertEqual(correction.side, "acquisition")
        self.assertEqual(correction.sequence, self.entries[-1].sequence + 1)
        original.invalidate_recordset()
        self.assertEqual(original.caliber, "9mm Luger")
        self.assertTrue(original.is_corrected)
        self.assertEqual(
            self.Entry.search([("lot_id", "in", self.lots.ids), ("is_corrected", "=", True)]),
            original,
        )
        self.assertTrue(self.Entry.action_verify_integrity())

    def test_correct_wizard(self):
        original = self.entries[2]
        action = original.with_user(self.officer).action_open_correct_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.officer)
            .with_context(**action["context"])
            .create({"reason": "Wrong model"})
        )
        self.assertEqual(wizard.serial, "I-3")
        wizard.model = "P9 Compact"
        result = wizard.action_confirm()
        correction = self.Entry.browse(result["res_id"])
        self.assertEqual(correction.model, "P9 Compact")
        self.assertEqual(correction.corrects_entry_id, original)

    def test_each_company_has_its_own_book(self):
        other = self.env["res.company"].create({"name": "Second Store"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)])
        self.env.user.company_ids |= other
        lots = (
            self.env["stock.lot"]
            .with_company(other)
            .create({"name": "O-1", "product_id": self.rifle.id, "company_id": other.id})
        )
        picking = (
            self.env["stock.picking"]
            .with_company(other)
            .create(
                {
                    "picking_type_id": warehouse.in_type_id.id,
                    "partner_id": self.vendor.id,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "rifle",
                                "product_id": self.rifle.id,
                                "product_uom_qty": 1,
                                "product_uom": self.rifle.uom_id.id,
                                "location_id": self.supplier_location.id,
                                "location_dest_id": warehouse.lot_stock_id.id,
                                "company_id": other.id,
                            },
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            dict(picking.move_ids._prepare_move_line_vals(quantity=1), lot_id=lots.id, picked=True)
        )
        picking.button_validate()
        entry = self.Entry.search([("lot_id", "=", lots.id)])
        self.assertEqual(entry.company_id, other)
        self.assertEqual(entry.sequence, 1)
        self.assertTrue(self.Entry.with_company(other).action_verify_integrity())
