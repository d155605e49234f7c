import io

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.serial_tracking.tests.common import SerialTourCase

from .common import GenealogyCase


@tagged("post_install", "-at_install")
class TestGenealogyTourPdf(SerialTourCase, GenealogyCase):
    def test_recall_tour_from_component_lot(self):
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Tour Cell Lots",
                "res_model": "stock.lot",
                "view_mode": "list,form",
                "domain": [("id", "=", self.cell_a.id)],
            }
        )
        self.start_tour(
            f"/odoo/action-{action.id}", "serial_tracking_mrp_genealogy_tour", login="admin"
        )
        recall = self.env["serial.recall"].search([("title", "=", "Tour: cells may swell")])
        self.assertEqual(recall.state, "open")
        self.assertEqual(
            recall.line_ids.filtered("via_lot_id").lot_id,
            self.bat[1] | self.bat[2] | self.ph1 | self.ph["PH-2"] | self.kit1,
        )
        self.assertTrue(self.kit1.serial_blocked)

    def test_genealogy_pdf(self):
        """Rendered by wkhtmltopdf, read back: the tree down to the bought parts."""
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        self.env["ir.asset"].create(
            {
                "name": "serial_tracking: report text in a system font",
                "bundle": "web.report_assets_common",
                "path": "serial_tracking/static/tests/report_system_font.css",
            }
        )
        report = self.env.ref("serial_tracking_mrp.action_report_serial_genealogy")
        report = report.with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(report.report_name, self.kit1.ids)
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        for expected in ("KIT-1", "PH-1", "BAT-1", "CELL-A", "CHIP-A", self.vendor.name):
            self.assertIn(expected, text)
