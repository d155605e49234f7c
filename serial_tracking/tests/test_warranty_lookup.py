from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyLookup(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._receive_numbered(cls.product, 1)
        cls._deliver(cls.lot, cls.customer)
        cls.gtin_product = cls._create_covered_product("Pump", cls.term_delivery)
        cls.gtin_product.write(
            {"barcode": "09506000134376", "serial_identifier_type": "gtin_serial"}
        )
        cls.pump = cls.env["stock.lot"].create(
            {"name": "PUMP-77", "product_id": cls.gtin_product.id}
        )

    def test_lookup_wizard_shows_everything(self):
        form = Form(self.env["serial.warranty.lookup"])
        form.code = f"  {self.lot.name}  "
        self.assertEqual(form.lot_id, self.lot)
        self.assertEqual(form.product_id, self.product)
        self.assertEqual(form.owner_id, self.customer)
        self.assertEqual(form.warranty_state, "active")
        self.assertEqual(form.warranty_end, self.lot.serial_warranty_end)
        wizard = form.save()
        self.assertEqual(wizard.warranty_ids, self.lot.serial_warranty_ids)
        self.assertEqual(wizard.ownership_ids, self.lot.serial_ownership_ids)
        action = wizard.action_open_unit()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.lot", self.lot.id))

    def test_lookup_screen_is_titled(self):
        wizard = self.env["serial.warranty.lookup"].create({"code": self.lot.name})
        # the breadcrumb and the browser tab read this, not "serial.warranty.lookup,1"
        self.assertEqual(wizard.display_name, "Warranty Lookup")

    def test_lookup_alerts_stolen_unit(self):
        action = self.lot.action_serial_report_loss()  # the unit form's button
        report = Form(self.env[action["res_model"]].with_context(**action["context"]))
        report.loss_state = "stolen"
        report.date = date(2026, 3, 5)
        report.reference = "POL-2026-9"
        report.save().action_confirm()
        form = Form(self.env["serial.warranty.lookup"].with_user(self.stock_user))
        form.code = self.lot.name
        self.assertEqual(form.loss_state, "stolen")
        self.assertEqual(form.loss_info, "Reported stolen on 03/05/2026. Reference: POL-2026-9")
        form.code = self.pump.name
        self.assertEqual(form.loss_state, "none")
        self.assertFalse(form.loss_info)

    def test_lookup_alerts_quarantined_unit(self):
        self.lot.write({"serial_quarantine": True, "serial_quarantine_reason": "Swollen battery"})
        form = Form(self.env["serial.warranty.lookup"].with_user(self.stock_user))
        form.code = self.lot.name
        self.assertTrue(form.quarantine)
        self.assertEqual(form.quarantine_reason, "Swollen battery")
        self.assertEqual(form.loss_state, "none")

    def test_lookup_gs1_and_case(self):
        Lot = self.env["stock.lot"]
        self.assertEqual(Lot._serial_warranty_lookup("(01)09506000134376(21)PUMP-77"), self.pump)
        self.assertEqual(Lot._serial_warranty_lookup("0109506000134376\x1d21PUMP-77"), self.pump)
        self.assertEqual(Lot._serial_warranty_lookup("pump-77"), self.pump)

    def test_unknown_and_bad_codes(self):
        Lot = self.env["stock.lot"]
        with self.assertRaisesRegex(UserError, "No unit with serial number NOPE-1"):
            Lot._serial_warranty_lookup("NOPE-1")
        with self.assertRaisesRegex(UserError, "no serial number"):
            Lot._serial_warranty_lookup("(01)09506000134376")
        with self.assertRaisesRegex(UserError, "Cannot read"):
            Lot._serial_warranty_lookup("(01)09506000134353(21)X")
        form = Form(self.env["serial.warranty.lookup"])
        form.code = "NOPE-1"
        self.assertFalse(form.lot_id)
        self.assertIn("NOPE-1", form.error)
        with self.assertRaisesRegex(UserError, "NOPE-1"):
            form.save().action_open_unit()

    def test_lookup_is_a_few_indexed_queries(self):
        Lot = self.env["stock.lot"].with_user(self.stock_user)
        Lot.serial_warranty_info(self.lot.name)  # warm the access caches
        self.env.invalidate_all()
        # The user's companies and the record rules' companies, the unit (its product
        # and owner checked against their rules in the same statement), its coverages.
        with self.assertQueryCount(4):
            info = Lot.serial_warranty_info(self.lot.name)
        self.assertEqual(info["serial"], self.lot.name)
        self.assertEqual(info["product"], self.product.display_name)
        self.assertEqual(info["owner"], self.customer.display_name)
        self.assertEqual(info["warranty_state"], "active")
        self.assertEqual(info["warranty_end"], self.lot.serial_warranty_end)
        coverage = self.lot.serial_warranty_ids
        self.assertEqual(
            info["coverages"],
            [
                {
                    "term": "2 years from delivery",
                    "customer": self.customer.display_name,
                    "date_start": coverage.date_start,
                    "date_end": coverage.date_end,
                    "state": "active",
                    "origin": "standard",
                }
            ],
        )
        with self.assertQueryCount(3):  # exact spelling (none), any case, coverages
            self.assertEqual(Lot.serial_warranty_info(self.lot.name.lower())["lot_id"], self.lot.id)
        with self.assertRaisesRegex(UserError, "No unit"):
            Lot.serial_warranty_info("NOPE-1")
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'stock_lot_serial_name_index'"
        )
        self.assertIn("btree (name)", self.env.cr.fetchone()[0])

    def test_certificate_prints(self):
        report = self.env.ref("serial_tracking.action_report_warranty_certificate")
        html, __ = report._render_qweb_html(report.report_name, self.lot.ids)
        self.assertIn(self.lot.name, str(html))
        self.assertIn("2 years from delivery", str(html))
        picking_report = self.env.ref("serial_tracking.action_report_picking_warranty_certificate")
        picking = self.lot.serial_warranty_ids.picking_id
        html, __ = picking_report._render_qweb_html(picking_report.report_name, picking.ids)
        self.assertIn(self.lot.name, str(html))
