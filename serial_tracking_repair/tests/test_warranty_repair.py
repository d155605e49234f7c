from freezegun import freeze_time

from odoo.tests import Form, tagged

from odoo.addons.serial_tracking.tests.common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyRepair(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.covered, cls.uncovered = cls._receive_numbered(cls.product, 2)
        with freeze_time("2026-01-15 10:00:00"):
            cls._deliver(cls.covered, cls.customer)  # covered until 2028-01-14

    def _repair_form(self, lot, when="2026-06-01 10:00:00"):
        form = Form(self.env["repair.order"].with_context(tracking_disable=False))
        form.product_id = self.product
        form.schedule_date = when
        form.lot_id = lot
        form.partner_id = self.customer
        return form

    def test_under_warranty_from_coverage(self):
        form = self._repair_form(self.covered)
        self.assertTrue(form.under_warranty)
        self.assertEqual(form.serial_warranty_state, "active")
        form.lot_id = self.uncovered
        self.assertFalse(form.under_warranty)
        form.lot_id = self.covered
        self.assertTrue(form.under_warranty)
        repair = form.save()
        self.assertTrue(repair.under_warranty)

    def test_repair_date_after_coverage(self):
        form = self._repair_form(self.covered, when="2030-01-15 10:00:00")
        self.assertFalse(form.under_warranty)

    def test_user_may_override_and_it_is_tracked(self):
        form = self._repair_form(self.covered)
        repair = form.save()
        self.assertTrue(repair.under_warranty)
        # end of the creating request: tracking starts with the next one
        self.env.flush_all()
        self.env.cr.precommit.run()
        with Form(repair) as edit:
            edit.under_warranty = False
        self.assertFalse(repair.under_warranty)
        self.env.flush_all()
        self.env.cr.precommit.run()
        repair.invalidate_recordset(["message_ids"])
        tracked = repair.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "under_warranty"
        )
        self.assertTrue(tracked, "the change of under_warranty is tracked")

    def test_unit_in_repair_state(self):
        repair = self._repair_form(self.uncovered).save()
        self.assertEqual(self.uncovered.serial_state, "in_stock")
        repair.action_validate()
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(self.uncovered.serial_state, "in_repair")
        repair.action_repair_start()
        self.assertEqual(self.uncovered.serial_state, "in_repair")
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(self.uncovered.serial_state, "in_stock")

    def test_cancelled_repair_gives_the_unit_back(self):
        repair = self._repair_form(self.uncovered).save()
        repair.action_validate()
        self.assertEqual(self.uncovered.serial_state, "in_repair")
        repair.action_repair_cancel()
        self.assertEqual(self.uncovered.serial_state, "in_stock")
