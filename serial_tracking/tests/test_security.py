from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCommon


@tagged("post_install", "-at_install")
class TestSecurity(SerialTrackingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Serial Co B"})
        cls.user_a = cls._user("clerk_a", cls.company, "stock.group_stock_user")
        cls.manager_a = cls._user("manager_a", cls.company, "stock.group_stock_manager")
        cls.portal = cls._user("portal_a", cls.company, "base.group_portal")
        Lot = cls.env["stock.lot"]
        cls.lot_a = Lot.create(
            {"name": "SEC-A", "product_id": cls.product_free.id, "company_id": cls.company.id}
        )
        cls.lot_b = Lot.create(
            {"name": "SEC-B", "product_id": cls.product_free.id, "company_id": cls.company_b.id}
        )
        cls.own_a = cls.lot_a._serial_transfer_ownership({cls.lot_a.id: cls.customer}, "sale")
        cls.own_b = cls.lot_b._serial_transfer_ownership({cls.lot_b.id: cls.customer}, "sale")

    @classmethod
    def _user(cls, login, company, group_xmlid):
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([cls.env.ref(group_xmlid).id])],
            }
        )

    def test_inventory_groups_imply_serial_groups(self):
        self.assertTrue(self.user_a.has_group("serial_tracking.group_serial_tracking_user"))
        self.assertFalse(self.user_a.has_group("serial_tracking.group_serial_tracking_manager"))
        self.assertTrue(self.manager_a.has_group("serial_tracking.group_serial_tracking_manager"))

    def test_other_company_ownership_is_invisible(self):
        Ownership = self.env["serial.ownership"].with_user(self.user_a)
        visible = Ownership.search([("lot_id.name", "in", ["SEC-A", "SEC-B"])])
        self.assertEqual(visible, self.own_a)
        with self.assertRaises(AccessError):
            self.own_b.with_user(self.user_a).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.own_b.with_user(self.manager_a).read(["partner_id"])

    def test_users_read_ownership_only_managers_edit(self):
        with self.assertRaises(AccessError):
            self.own_a.with_user(self.user_a).write({"note": "edited"})
        self.own_a.with_user(self.manager_a).write({"note": "checked"})
        self.assertEqual(self.own_a.note, "checked")

    def test_portal_user_has_no_access_to_ownership_records(self):
        with self.assertRaises(AccessError):
            self.env["serial.ownership"].with_user(self.portal).search([])

    def test_only_managers_clear_a_stolen_flag(self):
        lot = self.lot_a.with_user(self.user_a)
        wizard = Form(
            self.env["serial.loss.report.wizard"]
            .with_user(self.user_a)
            .with_context(default_lot_ids=lot.ids)
        )
        wizard.reference = "POL-9"
        wizard.save().action_confirm()
        self.assertEqual(self.lot_a.serial_loss_state, "stolen")
        with self.assertRaises(AccessError):
            self.env["serial.loss.clear.wizard"].with_user(self.user_a).create(
                {"lot_ids": [Command.set(lot.ids)], "reason": "found"}
            )
        with self.assertRaisesRegex(UserError, "Only Serial Tracking managers"):
            lot._serial_clear_loss("found")
        self.lot_a.with_user(self.manager_a)._serial_clear_loss("found in the back office")
        self.assertEqual(self.lot_a.serial_loss_state, "none")

    def test_every_model_has_access_rules_for_the_addon_groups(self):
        models = (
            self.env["ir.model"]
            .search([])
            .filtered(
                lambda m: (
                    "serial_tracking" in m.modules.split(", ")
                    and m.model not in ("res.company", "res.config.settings")
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
            self.lot_a.with_user(self.user_a).write({"serial_loss_state": "none"})
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.manager_a).write({"serial_loss_state": "none"})
        self.assertEqual(self.lot_a.serial_loss_state, "stolen")
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.user_a).write({"serial_quarantine": True})
        self.lot_a.with_user(self.manager_a).write(
            {"serial_quarantine": True, "serial_quarantine_reason": "inspection"}
        )
        self.assertTrue(self.lot_a.serial_quarantine)
