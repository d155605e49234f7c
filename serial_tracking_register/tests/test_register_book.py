import csv
import io
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.serial_tracking.tests.common import SerialTourCase
from odoo.addons.serial_tracking.tests.test_reports_pdf import pdf_text

from .common import RegisterCase


@tagged("post_install", "-at_install")
class TestRegisterBook(RegisterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._receive_units(cls.rifle, ["B-1", "B-2"], vendor=cls.dealer)
        cls._sell_units(cls.lots[0], ref="4473-0100")
        original = cls.Entry.search([("lot_id", "=", cls.lots[1].id)])
        cls.correction = original.action_correct({"caliber": "7.62x51"}, "Caliber")

    def _csv(self, **vals):
        # The rifle's lines only: demo data, if any, has its own products.
        vals["product_ids"] = [(6, 0, self.rifle.ids)]
        wizard = self.env["serial.register.book.wizard"].with_user(self.stock_user).create(vals)
        return list(csv.DictReader(io.StringIO(wizard._serial_book_csv().decode())))

    def test_csv_views(self):
        rows = self._csv(view="both")
        self.assertEqual(len(rows), 4)
        delivery = rows[2]
        self.assertEqual(delivery["Serial Number"], "B-1")
        self.assertEqual(delivery["Disposed To: Name"], "Alice Martin")
        self.assertEqual(delivery["Address, License or Form 4473"], "4473-0100")
        self.assertFalse(delivery["Acquired From: Name"])
        receipt = rows[0]
        self.assertEqual(receipt["Address or License"], "9-98-765-01-4D-00042")
        self.assertEqual(receipt["Type of Firearm"], "Rifle")
        correction = rows[3]
        self.assertEqual(correction["Caliber or Gauge"], "7.62x51")
        self.assertEqual(correction["Acquired From: Name"], "Frontier Sporting")
        self.assertEqual(int(correction["Corrects"]), self.correction.corrects_entry_id.sequence)
        self.assertEqual(len(self._csv(view="originals")), 3)
        self.assertEqual([r["Type"] for r in self._csv(view="corrections")], ["Correction"])
        tomorrow = fields.Date.today() + timedelta(days=1)
        self.assertEqual(self._csv(date_from=tomorrow), [])
        with self.assertRaisesRegex(UserError, "start date"):
            self._csv(date_from=tomorrow, date_to=fields.Date.today())

    def test_export_csv_attachment(self):
        wizard = (
            self.env["serial.register.book.wizard"]
            .with_user(self.stock_user)
            .create({"product_ids": [(6, 0, self.rifle.ids)]})
        )
        action = wizard.action_export_csv()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", wizard._name), ("res_id", "=", wizard.id)]
        )
        self.assertIn(str(attachment.id), action["url"])
        self.assertIn(b"B-2", attachment.raw)

    def test_search_and_group_by_month(self):
        Entry = self.Entry.with_user(self.stock_user)
        self.assertEqual(len(Entry.search([("serial", "=", "B-1")])), 2)
        self.assertEqual(len(Entry.search([("license_number", "=", "9-98-765-01-4D-00042")])), 3)
        groups = Entry.read_group(
            [("product_id", "=", self.rifle.id)], ["sequence:count"], ["date:month"]
        )
        self.assertEqual(sum(g["date_count"] for g in groups), 4)

    def test_opening_entries(self):
        old = self._receive_units(self.product_free, ["OLD-1"])
        self.product_free.product_tmpl_id.write(
            {"serial_register_kind": "firearm", "serial_firearm_type": "other"}
        )
        wizard = (
            self.env["serial.register.opening.wizard"]
            .with_user(self.officer)
            .create({"date": datetime(2026, 1, 1)})
        )
        self.assertEqual(wizard.lot_ids, old, "units already in the book are left out")
        wizard.action_confirm()
        entry = self._entries(old)
        self.assertEqual(entry.event, "opening")
        self.assertEqual(entry.date, datetime(2026, 1, 1))
        self.assertEqual(entry.reason, "Opening balance")
        with self.assertRaisesRegex(UserError, "already has a book line"):
            self.env["serial.register.opening.wizard"].with_user(self.officer).create(
                {}
            ).action_confirm()
        wizard = self.env["serial.register.opening.wizard"].with_user(self.officer).create({})
        with self.assertRaisesRegex(UserError, "Only Register Officers"):
            wizard.with_user(self.stock_user).action_confirm()

    def test_deadline_check(self):
        # A product made a firearm after its receipt: its move has no line yet.
        late = self._receive_units(self.product_imei, ["352099001761481"])
        self.product_imei.product_tmpl_id.write(
            {"serial_register_kind": "firearm", "serial_firearm_type": "other"}
        )
        self.Entry._cron_check_deadlines()
        activity = late.activity_ids
        self.assertEqual(len(activity), 1)
        receipt_day = late.create_date.date()
        self.assertGreater(activity.date_deadline, receipt_day)
        self.assertLessEqual(activity.date_deadline, receipt_day + timedelta(days=3))
        self.Entry._cron_check_deadlines()
        self.assertEqual(len(late.activity_ids), 1, "one activity per unit")
        self.assertFalse(self.lots.activity_ids, "units in the book are fine")


@tagged("post_install", "-at_install")
class TestRegisterPdfTour(SerialTourCase, RegisterCase):
    def test_bound_book_pdf(self):
        lots = self._receive_units(self.pistol, ["PDF-1"], vendor=self.dealer)
        self._sell_units(lots, ref="4473-PDF")
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        self.env["ir.asset"].create(
            {
                "name": "serial_tracking: report text in a system font",
                "bundle": "web.report_assets_common",
                "path": "serial_tracking/static/tests/report_system_font.css",
            }
        )
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        wizard = self.env["serial.register.book.wizard"].create({})
        report = self.env.ref(
            "serial_tracking_register.action_report_serial_register_book"
        ).with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(report.report_name, wizard.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        self.assertIn("PDF-1", text)
        self.assertIn("4473-PDF", text)
        self.assertIn("Frontier Sporting", text)
        self.assertEqual(report.paperformat_id.orientation, "Landscape")
        self.assertEqual(wizard.action_print()["report_name"], report.report_name)

    def test_tour_delivery_to_book(self):
        lots = self._receive_units(self.pistol, ["TOUR-P-1"])
        picking = self._create_picking(self.picking_type_out, self.pistol, 1, self.customer)
        picking.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            dict(picking.move_ids._prepare_move_line_vals(quantity=1), lot_id=lots.id, picked=True)
        )
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "serial_register_tour",
            login="admin",
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._entries(lots, entry_type="disposition").transaction_ref, "4473-TOUR")
