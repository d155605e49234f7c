from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RecallCase, SerialTrackingCase, WarrantyCase


@tagged("post_install", "-at_install")
class TestQuarantinePerWarehouse(RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_2 = cls.env["stock.warehouse"].create(
            {"name": "Second Shop", "code": "SH2", "company_id": cls.company.id}
        )
        cls.wh2_lots = cls._receive_units(
            cls.widget, ["WH2-1", "WH2-2"], picking_type=cls.warehouse_2.in_type_id
        )

    def test_each_warehouse_quarantines_its_own_units(self):
        recall = self._create_recall(
            product_ids=[Command.set(self.widget.ids)],
            quarantine_location_id=self.quarantine.id,
        )
        recall.action_compute_scope()
        recall.action_open()
        internal = recall.picking_ids.filtered(lambda p: p.picking_type_code == "internal")
        self.assertEqual(len(internal), 2)
        by_warehouse = {p.picking_type_id.warehouse_id: p for p in internal}
        first, second = by_warehouse[self.warehouse], by_warehouse[self.warehouse_2]
        self.assertEqual(first.location_dest_id, self.quarantine)
        self.assertEqual(second.picking_type_id, self.warehouse_2.int_type_id)
        self.assertEqual(second.location_dest_id.warehouse_id, self.warehouse_2)
        self.assertEqual(second.location_dest_id.name, "Quarantine")
        self.assertEqual(second.move_line_ids.lot_id, self.wh2_lots)
        self.assertNotIn(self.wh2_lots[0], first.move_line_ids.lot_id)
        internal.button_validate()
        for lot in self.wh2_lots:
            location = lot.quant_ids.filtered(lambda q: q.quantity > 0).location_id
            self.assertEqual(location.warehouse_id, self.warehouse_2)
            self.assertEqual(location, second.location_dest_id)
        # A second campaign reuses the warehouse's quarantine location.
        self.assertEqual(recall._quarantine_location(self.warehouse_2), second.location_dest_id)


@tagged("post_install", "-at_install")
class TestOwnershipSearch(RecallCase):
    def test_current_ownership_with_every_operator(self):
        Ownership = self.env["serial.ownership"]
        lot = self.w["W1"]
        base = [("lot_id", "=", lot.id)]
        current = Ownership.search(base + [("is_current", "=", True)])
        self.assertEqual(current.partner_id, self.customer)
        for domain, expected in (
            ([("is_current", "!=", False)], current),
            ([("is_current", "in", [True])], current),
            ([("is_current", "not in", [False])], current),
            ([("is_current", "in", [True, False])], lot.serial_ownership_ids),
            ([("is_current", "not in", [True, False])], Ownership),
            ([("is_current", "!=", True)], lot.serial_ownership_ids - current),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(Ownership.search(base + domain), expected)
        with self.assertRaisesRegex(UserError, "operator"):
            Ownership.search([("is_current", "like", "x")])


@tagged("post_install", "-at_install")
class TestBlockingFollowsTheCampaign(RecallCase):
    def test_units_blocked_ahead_of_the_batches_follow_the_campaign(self):
        self.env["ir.config_parameter"].set_param("serial_tracking.recall_sync_limit", "1")
        recall = self._create_recall(product_ids=[Command.set(self.gadget.ids)])
        recall.action_compute_scope()
        recall.action_open()
        self.assertEqual(recall.process_state, "running")  # batches still to come
        lot = self.g["G2"]
        self.assertTrue(lot.serial_blocked)
        self.assertIn("Battery may overheat", lot.serial_block_reason)
        # The reason names the campaign: it follows a new title, and is searchable.
        recall.title = "Cells may swell"
        self.assertIn("Cells may swell", lot.serial_block_reason)
        Lot = self.env["stock.lot"]
        found = Lot.search([("serial_block_reason", "ilike", "Cells may swell")])
        self.assertEqual(found, self.g_lots)
        recall.action_cancel()
        self.assertFalse(lot.serial_blocked)
        self.assertFalse(Lot.search([("id", "in", self.g_lots.ids), ("serial_blocked", "=", True)]))


@tagged("post_install", "-at_install")
class TestKeyboardWedgeFnc1(SerialTrackingCase):
    """Scanners typing FNC1 as configured in the company's GS1 nomenclature."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.nomenclature_id = cls.env.ref(
            "barcodes_gs1_nomenclature.default_gs1_nomenclature"
        )
        cls.company.nomenclature_id.gs1_separator_fnc1 = r"(Alt029|#|\x1D)"

    def test_lookup_and_capture_honour_the_separator(self):
        Lot = self.env["stock.lot"]
        pump = Lot.create({"name": "GS-77", "product_id": self.product_gtin.id})
        ring = Lot.create({"name": "SN#12", "product_id": self.product_free.id})
        for code in ("010400638133393121GS-77#10B7", "010400638133393121GS-77Alt02910B7"):
            with self.subTest(code=code):
                self.assertEqual(Lot._serial_warranty_lookup(code), pump)
        # A plain serial with the separator character is not GS1 data.
        self.assertEqual(Lot._serial_warranty_lookup("SN#12"), ring)
        lots = self._receive_with_capture(self.product_gtin, ["010400638133393121GS-78#10B8"])
        self.assertEqual(lots.mapped("name"), ["GS-78"])


@tagged("post_install", "-at_install")
class TestCampaignNotes(RecallCase):
    def test_manager_without_email_runs_a_campaign(self):
        manager = self._create_user(
            "recall_manager_no_email", "stock.group_stock_manager", email=False
        )
        self.assertFalse(manager.email)
        self.company.email = "recalls@company.example"
        recall = self._create_recall(product_ids=[Command.set(self.gadget.ids)]).with_user(manager)
        recall.action_compute_scope()
        recall.action_open()
        recall.line_ids.filtered(lambda line: line.location_kind == "stock")._resolve(
            "inspected_ok"
        )
        notice = recall.message_ids.filtered("partner_ids")
        self.assertEqual(notice.partner_ids, self.customer)
        self.assertEqual(notice.author_id, self.company.partner_id)
        recall.action_cancel()
        self.assertEqual(recall.state, "cancelled")


@tagged("post_install", "-at_install")
class TestFoundByName(RecallCase):
    def test_campaigns_units_coverage_and_ownership_found_by_serial_or_title(self):
        recall = self._create_recall(
            product_ids=[Command.set(self.gadget.ids)], title="Hinge may crack"
        )
        recall.action_compute_scope()
        found = self.env["serial.recall"].name_search("Hinge may")
        self.assertEqual([rid for rid, __ in found], recall.ids)
        line = recall.line_ids.filtered(lambda ln: ln.lot_id == self.g["G2"])
        found = self.env["serial.recall.line"].name_search("G2")
        self.assertEqual([rid for rid, __ in found], line.ids)
        held_lot = self.w["W3"]
        found = self.env["serial.ownership"].name_search("W3")
        self.assertEqual(
            [rid for rid, __ in found], held_lot.serial_ownership_ids.ids, "found by serial"
        )
        term = self.env["serial.warranty.term"].create({"name": "Hinge care", "duration": 1})
        Warranty = self.env["serial.warranty"]
        coverage = Warranty._serial_create(
            [Warranty._serial_prepare_vals(term, self.widget, date(2026, 1, 1), lot=held_lot)]
        )
        self.assertEqual([rid for rid, __ in Warranty.name_search("W3")], coverage.ids)
        self.assertEqual([rid for rid, __ in Warranty.name_search("Hinge care")], coverage.ids)


@tagged("post_install", "-at_install")
class TestRecallWindowTimeZone(RecallCase):
    def test_receipt_dates_are_days_of_the_company_calendar(self):
        self.company.partner_id.tz = "America/New_York"
        # 03:00 UTC on March 1st is still February 28th, 22:00, in New York.
        late = self._receive_units(self.gadget, ["G-LATE"], self.vendor_2, datetime(2026, 3, 1, 3))
        recall = self._create_recall(
            product_ids=[Command.set(self.gadget.ids)],
            receipt_date_from=date(2026, 2, 28),
            receipt_date_to=date(2026, 2, 28),
        )
        recall.action_compute_scope()
        self.assertEqual(recall.line_ids.lot_id, late)
        recall.write({"receipt_date_from": date(2026, 3, 1), "receipt_date_to": date(2026, 3, 1)})
        recall.action_compute_scope()
        self.assertFalse(recall.line_ids)

    def test_users_get_an_access_error_for_manager_actions(self):
        recall = self._create_recall(product_ids=[Command.set(self.gadget.ids)])
        with self.assertRaises(AccessError):
            recall.with_user(self.stock_user).action_compute_scope()


@tagged("post_install", "-at_install")
class TestLookupRespectsRecordRules(WarrantyCase):
    def test_names_the_user_may_not_read_are_not_given(self):
        lot = self._receive_numbered(self.product, 1, prefix="RULE")
        self._deliver(lot, self.customer)
        Lot = self.env["stock.lot"].with_user(self.stock_user)
        info = Lot.serial_warranty_info(lot.name)
        self.assertEqual(info["owner"], self.customer.display_name)
        self.assertEqual(info["coverages"][0]["customer"], self.customer.display_name)
        # The customer becomes another company's contact: the desk no longer reads it.
        self.customer.company_id = self.env["res.company"].create({"name": "Other Co"})
        self.env.invalidate_all()
        info = Lot.serial_warranty_info(lot.name)
        self.assertFalse(info["owner"])
        self.assertFalse(info["coverages"][0]["customer"])
        self.assertEqual(info["product"], self.product.display_name)
        self.assertEqual(info["coverages"][0]["term"], "2 years from delivery")
