from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialOnlyControls(SerialTrackingCase):
    """Unit controls (status, ownership, theft registry) are for serial numbers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.drawers = cls.env["product.product"].create(
            {"name": "Drawer", "is_storable": True, "tracking": "lot"}
        )
        cls.batch = cls.env["stock.lot"].create(
            {"name": "DRAWERS-80", "product_id": cls.drawers.id}
        )
        cls.unit = cls._receive_units(cls.product_free, ["CTRL-1"])

    def test_a_lot_of_many_units_cannot_be_reported_stolen(self):
        with self.assertRaisesRegex(UserError, "DRAWERS-80"):
            self.batch._serial_report_loss("stolen", fields.Date.today(), "POL-1")
        self.assertEqual(self.batch.serial_loss_state, "none")

    def test_form_shows_unit_controls_for_serials_only(self):
        self.assertEqual(self.batch.serial_product_tracking, "lot")
        self.assertEqual(self.unit.serial_product_tracking, "serial")
        arch = etree.fromstring(self.env["stock.lot"].get_view(view_type="form")["arch"])
        guarded = [
            arch.xpath("//header")[0],
            arch.xpath("//button[@name='action_serial_view_ownership']")[0],
            arch.xpath("//page[@name='serial_ownership']")[0],
        ]
        for node in guarded:
            self.assertIn("serial_product_tracking != 'serial'", node.get("invisible"), node.tag)

    def test_smart_buttons_count(self):
        self.assertEqual(self.unit.serial_ownership_count, 0)
        self._deliver(self.unit, self.customer)
        self.unit.invalidate_recordset()
        self.assertEqual(self.unit.serial_ownership_count, 1)
        self.assertEqual(self.unit.serial_warranty_count, 0)
        self.assertEqual(self.unit.serial_recall_count, 0)
