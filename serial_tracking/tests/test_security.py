from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSecurity(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Serial Co B"})
        Lot = cls.env["stock.lot"]
        cls.lot_a = Lot.create(
            {"name": "SEC-A", "product_id": cls.product_free.id, "company_id": cls.company.id}
        )
        cls.lot_b = Lot.create(
            {"name": "SEC-B", "product_id": cls.product_free.id, "company_id": cls.company_b.id}
        )
        cls.own_a = cls.lot_a._serial_transfer_ownership({cls.lot_a.id: cls.customer}, "sale")
        cls.own_b = cls.lot_b._serial_transfer_ownership({cls.lot_b.id: cls.customer}, "sale")

    def test_inventory_groups_imply_serial_groups(self):
        self.assertTrue(self.stock_user.has_group("serial_tracking.group_serial_tracking_user"))
        self.assertFalse(self.stock_user.has_group("serial_tracking.group_serial_tracking_manager"))
        self.assertTrue(
            self.stock_manager.has_group("serial_tracking.group_serial_tracking_manager")
        )

    def test_other_company_ownership_is_invisible(self):
        Ownership = self.env["serial.ownership"].with_user(self.stock_user)
        visible = Ownership.search([("lot_id.name", "in", ["SEC-A", "SEC-B"])])
        self.assertEqual(visible, self.own_a)
        with self.assertRaises(AccessError):
            self.own_b.with_user(self.stock_user).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.own_b.with_user(self.stock_manager).read(["partner_id"])

    def test_users_read_ownership_only_managers_edit(self):
        with self.assertRaises(AccessError):
            self.own_a.with_user(self.stock_user).write({"note": "edited"})
        self.own_a.with_user(self.stock_manager).write({"note": "checked"})
        self.assertEqual(self.own_a.note, "checked")

    def test_portal_user_has_no_access_to_ownership_records(self):
        with self.assertRaises(AccessError):
            self.env["serial.ownership"].with_user(self.portal_user).search([])

    def test_only_managers_clear_a_stolen_flag(self):
        lot = self.lot_a.with_user(self.stock_user)
        wizard = Form(
            self.env["serial.loss.report.wizard"]
            .with_user(self.stock_user)
            .with_context(default_lot_ids=lot.ids)
        )
        wizard.reference = "POL-9"
        wizard.save().action_confirm()
        self.assertEqual(self.lot_a.serial_loss_state, "stolen")
        with self.assertRaises(AccessError):
            self.env["serial.loss.clear.wizard"].with_user(self.stock_user).create(
                {"lot_ids": [Command.set(lot.ids)], "reason": "found"}
            )
        with self.assertRaisesRegex(UserError, "Only Serial Tracking managers"):
            lot._serial_clear_loss("found")
        self.lot_a.with_user(self.stock_manager)._serial_clear_loss("found in the back office")
        self.assertEqual(self.lot_a.serial_loss_state, "none")

    def test_every_model_has_access_rules_for_the_addon_groups(self):
        models = (
            self.env["ir.model"]
            .search([])
            .filtered(
                lambda m: (
                    "serial_tracking" in m.modules.split(", ")
                    and m.model not in ("res.company", "res.partner", "res.config.settings")
                    and not m.model.startswith(
                        ("stock.", "product.", "sale.", "repair.", "account.")
                    )
                )
            )
        )
        self.assertTrue(models)
        groups = self.env.ref("serial_tracking.group_serial_tracking_user") | self.env.ref(
            "serial_tracking.group_serial_tracking_manager"
        )
        for model in models:
            rows = self.env["ir.model.access"].search([("model_id", "=", model.id)])
            self.assertTrue(
                rows.group_id & groups, f"{model.model} has no access row for the addon groups"
            )

    def test_registry_and_quarantine_cannot_be_edited_directly(self):
        self.lot_a._serial_report_loss("stolen", "2026-01-01", "POL-3")
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.stock_user).write({"serial_loss_state": "none"})
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.stock_manager).write({"serial_loss_state": "none"})
        self.assertEqual(self.lot_a.serial_loss_state, "stolen")
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.stock_user).write({"serial_quarantine": True})
        self.lot_a.with_user(self.stock_manager).write(
            {"serial_quarantine": True, "serial_quarantine_reason": "inspection"}
        )
        self.assertTrue(self.lot_a.serial_quarantine)
