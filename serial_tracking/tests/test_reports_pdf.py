"""Every report of the addon rendered as a real PDF by wkhtmltopdf.

Odoo renders reports as HTML in test mode, so a broken layout would pass unnoticed.
``force_report_rendering`` runs wkhtmltopdf; it is an ``HttpCase`` so that wkhtmltopdf
fetches the report's assets from the test server (``report.url``). The text is read
back from the PDF with the PDF library Odoo ships.
"""

import io

from odoo import Command
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import SerialTourCase, WarrantyCase


def pdf_text(pdf):
    """The PDF's text, white space folded (words come out separated by tabs)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@tagged("post_install", "-at_install")
class TestReportsPdf(SerialTourCase, WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._receive_numbered(cls.product, 1, prefix="PDFU")
        cls.delivery = cls._deliver(cls.lot, cls.customer)

    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's assets from the test server.
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        # A system font, so that the PDF keeps its text (see the asset's comment).
        self.env["ir.asset"].create(
            {
                "name": "serial_tracking: report text in a system font",
                "bundle": "web.report_assets_common",
                "path": "serial_tracking/static/tests/report_system_font.css",
            }
        )

    def _pdf(self, xmlid, records):
        report = self.env.ref(xmlid).with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(report.report_name, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), f"{xmlid} did not render a PDF")
        return pdf_text(pdf)

    def test_warranty_certificates(self):
        text = self._pdf("serial_tracking.action_report_warranty_certificate", self.lot)
        self.assertIn(self.lot.name, text)
        self.assertIn("2 years from delivery", text)
        text = self._pdf(
            "serial_tracking.action_report_picking_warranty_certificate", self.delivery
        )
        self.assertIn(self.lot.name, text)

    def test_recall_notice_and_summary(self):
        recall = self.env["serial.recall"].create(
            {"title": "Charger may overheat", "lot_ids": [Command.set(self.lot.ids)]}
        )
        recall.action_compute_scope()
        recall.action_open()
        text = self._pdf("serial_tracking.action_report_serial_recall_notice", recall)
        self.assertIn(self.lot.name, text)
        self.assertIn("Charger may overheat", text)
        text = self._pdf("serial_tracking.action_report_serial_recall_summary", recall)
        self.assertIn(recall.name, text)
        self.assertIn(self.lot.name, text)

    def test_quotation_lists_its_serials(self):
        self.product.serial_sale_capture = True
        units = self._receive_numbered(self.product, 2, prefix="PDFS")
        order = self._sell(
            [(self.product, 2, {"serial_lot_ids": [Command.set(units.ids)]})], confirm=False
        )
        text = self._pdf("sale.action_report_saleorder", order)
        for unit in units:
            self.assertIn(unit.name, text)
