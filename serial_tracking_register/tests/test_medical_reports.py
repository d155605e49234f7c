import csv
import io
from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.serial_tracking.tests.common import SerialTourCase
from odoo.addons.serial_tracking.tests.test_reports_pdf import pdf_text

from .test_medical_recall import MedicalCase


class MedicalReportCase(MedicalCase):
    """I1 implanted at the hospital in Jane Doe on 2 November 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit["I1"].write({"serial_udi_manufactured": date(2026, 1, 15)})
        cls.implant_entry = cls._append_entry(
            cls.unit["I1"],
            "implant",
            datetime(2026, 11, 2, 9),
            patient_name="Jane Doe",
            patient_phone="555-0100",
        )

    def _html(self, xmlid, records, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        html, __ = Report._render_qweb_html(xmlid, records.ids)
        return html.decode()


@tagged("post_install", "-at_install")
class TestMedicalReports(MedicalReportCase):
    def test_delivery_slip_shows_the_udi(self):
        # Serials on delivery slips is a setting of Inventory.
        self.stock_user.groups_id |= self.env.ref("stock.group_lot_on_delivery_slip")
        pump_delivery = self.deliveries.filtered(lambda p: p.product_id == self.pump)
        udi = self.unit["P1"].serial_udi
        self.assertEqual(udi, f"(01){self.pump_di}(10)LA(21)P1")
        html = self._html("stock.action_report_delivery", pump_delivery, self.stock_user)
        self.assertIn(udi, html)
        # Other products print no UDI.
        rings = self._receive_units(self.product_free, ["RING-1"])
        ring_delivery = self._deliver(rings)
        html = self._html("stock.action_report_delivery", ring_delivery, self.stock_user)
        self.assertIn("RING-1", html)
        self.assertNotIn('name="serial_udi"', html)

    def test_warranty_certificate_shows_the_udi(self):
        unit = self.unit["I1"]
        html = self._html("serial_tracking.action_report_warranty_certificate", unit)
        self.assertIn(f"(01){self.implant_di}(11)260115(10)LA(21)I1", html)

    def test_implant_card(self):
        unit = self.unit["I1"]
        html = self._html("serial_tracking_register.action_report_implant_card", unit, self.officer)
        for text in (
            "Hip Stem HS-32",
            "Model: <span>HS-32</span>",
            "Serial: <span>I1</span>",
            unit.serial_udi,
            "Meridian Medical Inc.",
            "200 Device Way",
            "https://meridian.example",
            "11/02/2026",
            "St. Anne Hospital",
            "1 Care Road",
            "Jane Doe",
            "data:image/png;base64,",  # the DataMatrix
        ):
            self.assertIn(text, html)
        self.assertNotIn("555-0100", html)
        # Without the officer group: a blank line instead of the patient.
        html = self._html(
            "serial_tracking_register.action_report_implant_card", unit, self.stock_user
        )
        self.assertIn("St. Anne Hospital", html)
        self.assertIn(unit.serial_udi, html)
        self.assertNotIn("Jane Doe", html)
        self.assertIn("Patient: <span>______", html)

    def test_implant_card_from_the_delivery(self):
        # Provided to the patient at delivery, no implant line (yet).
        unit = self.unit["I2"]
        self._append_entry(
            unit,
            "delivery",
            datetime(2026, 10, 30, 15),
            end_use="patient",
            date_provided=date(2026, 10, 29),
            patient_name="John Roe",
        )
        html = self._html("serial_tracking_register.action_report_implant_card", unit, self.officer)
        self.assertIn("10/29/2026", html)
        self.assertIn("St. Anne Hospital", html)
        self.assertIn("John Roe", html)
        html = self._html(
            "serial_tracking_register.action_report_implant_card", unit, self.stock_user
        )
        self.assertIn("10/29/2026", html)
        self.assertNotIn("John Roe", html)

    def test_implant_card_refuses_other_devices(self):
        with self.assertRaisesRegex(
            UserError, r"implantable devices only.*P1 \(\[IP-7\] Infusion Pump"
        ):
            self._html(
                "serial_tracking_register.action_report_implant_card",
                self.unit["P1"] | self.unit["I1"],
            )

    def test_medical_book_has_no_patient_data(self):
        for user in (self.stock_user, self.officer):
            wizard = (
                self.env["serial.register.book.wizard"]
                .with_user(user)
                .create({"register_kind": "medical_device", "product_ids": self.implant.ids})
            )
            text = wizard._serial_book_csv().decode()
            self.assertNotIn("Jane Doe", text)
            self.assertNotIn("555-0100", text)
            rows = list(csv.DictReader(io.StringIO(text)))
            implant = [row for row in rows if row["Number"] == str(self.implant_entry.sequence)]
            self.assertEqual(len(implant), 1)
            self.assertEqual(implant[0]["Event"], "Provided to Patient or Implanted")
            self.assertEqual(implant[0]["Date"], "2026-11-02")
            self.assertEqual(implant[0]["UDI"], self.unit["I1"].serial_udi)
            self.assertEqual(implant[0]["Model"], "HS-32")
            self.assertEqual(implant[0]["Provided To: Name"], "St. Anne Hospital")
            self.assertIn("1 Care Road", implant[0]["Provided To: Address"])
            self.assertFalse(implant[0]["Received From: Name"])
            self.assertNotIn("Caliber or Gauge", rows[0])
            html = self._html(
                "serial_tracking_register.action_report_serial_register_book", wizard, user
            )
            self.assertIn("Medical Device Register", html)
            self.assertIn(self.unit["I1"].serial_udi, html)
            self.assertNotIn("Jane Doe", html)


@tagged("post_install", "-at_install")
class TestMedicalReportsPdf(SerialTourCase, MedicalReportCase):
    """The implant card as a real PDF (wkhtmltopdf), see serial_tracking's
    test_reports_pdf."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        self.env["ir.asset"].create(
            {
                "name": "serial_tracking: report text in a system font",
                "bundle": "web.report_assets_common",
                "path": "serial_tracking/static/tests/report_system_font.css",
            }
        )

    def test_implant_card_pdf(self):
        report = (
            self.env.ref("serial_tracking_register.action_report_implant_card")
            .with_user(self.stock_user)
            .with_context(force_report_rendering=True)
        )
        pdf, kind = report._render_qweb_pdf(report.report_name, self.unit["I1"].ids)
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf)
        self.assertIn(self.unit["I1"].serial_udi, text)
        self.assertIn("St. Anne Hospital", text)
        self.assertIn("Meridian Medical Inc.", text)
        self.assertNotIn("Jane Doe", text)
