"""What an RPC client with restricted rights must not be able to do (outside audit).

Every test acts as a restricted user (inventory user, salesperson, another company's
user) the way an XML-RPC or JSON-RPC client would: plain ``write``/``create`` calls
and public methods, with whatever context it likes.
"""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SerialTrackingCase

IMEI_A = "490154203237518"
IMEI_B = "352099001761481"


@tagged("post_install", "-at_install")
class TestSecurityAudit(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Audit Co B"})
        cls.seller_2 = cls._create_user("audit_seller_2", "sales_team.group_sale_salesman")
        cls.clerk_b = cls._create_user("audit_clerk_b", "stock.group_stock_user", cls.company_b)
        # Units of company A (a product of its own): invisible to company B.
        cls.phone = cls._create_serial_product("Audit Phone", "imei", company_id=cls.company.id)
        cls.lots = cls._receive_units(cls.phone, [IMEI_A, IMEI_B])
        cls.stolen = cls.lots.filtered(lambda lot: lot.name == IMEI_A)
        cls.free = cls.lots - cls.stolen
        cls.stolen._serial_report_loss("stolen", "2026-11-02", "POL-SECRET-77")
        cls.sale_product = cls._create_serial_product(
            "Audit Camera", serial_sale_capture=True, company_id=cls.company.id
        )
        cls.cameras = cls._receive_units(cls.sale_product, ["AUD-CAM-1", "AUD-CAM-2"])
        cls.lot_b = (
            cls.env["stock.lot"]
            .with_company(cls.company_b)
            .create(
                {
                    "name": "B-SECRET-SERIAL",
                    "product_id": cls.product_free.id,
                    "company_id": cls.company_b.id,
                }
            )
        )

    def _quotation(self, user, lots=None):
        """A quotation for one camera created by ``user``, with ``lots`` captured."""
        line = {"serial_lot_ids": [Command.set(lots.ids if lots else [])]}
        return self._sell([(self.sale_product, 1, line)], confirm=False, user=user)

    # 1. computed and state fields ------------------------------------------------------

    def test_blocked_unit_cannot_be_unblocked_by_writing_fields(self):
        for user in (self.stock_user, self.stock_manager):
            for vals in (
                {"serial_blocked": False, "serial_block_reason": False},
                {"serial_block_reason": "fine"},
                {"serial_state": "delivered"},
                {"serial_owner_id": self.customer.id},
                {"serial_warranty_state": "active"},
                {"serial_sale_line_ids": [Command.clear()]},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    self.stolen.with_user(user).write(vals)
        self.stolen.invalidate_recordset()
        self.assertTrue(self.stolen.serial_blocked)
        self.assertIn("stolen", self.stolen.serial_block_reason)
        self.assertEqual(self.stolen.serial_state, "lost", "written off when reported")
        with self.assertRaisesRegex(UserError, IMEI_A):
            self._deliver(self.stolen)

    def test_nobody_creates_a_unit_with_an_owner_or_a_status(self):
        Lot = self.env["stock.lot"].with_user(self.stock_user)
        for vals in (
            {"serial_owner_id": self.customer.id},
            {"serial_state": "in_stock"},
            {"serial_loss_state": "lost"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Lot.create({"name": "AUD-NEW", "product_id": self.product_free.id, **vals})
        lot = Lot.create({"name": "AUD-NEW", "product_id": self.product_free.id})
        self.assertEqual((lot.serial_state, lot.serial_loss_state), ("new", "none"))

    def test_computed_columns_given_at_creation_are_ignored(self):
        # They are filled before the INSERT (precomputed): from the unit's own values,
        # never from what the client sends.
        given = {
            "serial_blocked": True,
            "serial_unique_key": "P|0|0|forged",
            "serial_warranty_start": "2020-01-01",
            "serial_warranty_end": "2099-12-31",
            "serial_warranty_gapped": True,
        }
        lot = (
            self.env["stock.lot"]
            .with_user(self.stock_manager)
            .create({"name": "AUD-FORGED", "product_id": self.product_free.id, **given})
        )
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT serial_blocked, serial_unique_key, serial_warranty_start,"
            " serial_warranty_end, serial_warranty_gapped FROM stock_lot WHERE id = %s",
            [lot.id],
        )
        self.assertEqual(
            self.env.cr.fetchone(),
            (False, f"P|{self.product_free.id}|0|AUD-FORGED", None, None, False),
        )
        self.assertEqual(lot.serial_warranty_state, "none")
        with self.assertRaisesRegex(ValidationError, "AUD-FORGED"):
            self.env["stock.lot"].with_user(self.stock_manager).create(
                {"name": "AUD-FORGED", "product_id": self.product_free.id}
            )

    def test_units_created_blocked_by_the_system_are_blocked(self):
        Lot = self.env["stock.lot"].sudo()
        stolen = Lot.create(
            {"name": "AUD-SYS-1", "product_id": self.product_free.id, "serial_loss_state": "stolen"}
        )
        held = Lot.create(
            {"name": "AUD-SYS-2", "product_id": self.product_free.id, "serial_quarantine": True}
        )
        plain = Lot.create({"name": "AUD-SYS-3", "product_id": self.product_free.id})
        recall = self.env["serial.recall"].create(
            {
                "title": "Cells overheat",
                "reason": "Defective batch.",
                "product_ids": [Command.set(self.product_free.ids)],
            }
        )
        recalled = Lot.create(
            {
                "name": "AUD-SYS-4",
                "product_id": self.product_free.id,
                "serial_recall_line_ids": [
                    Command.create(
                        {
                            "recall_id": recall.id,
                            "product_id": self.product_free.id,
                            "blocking": True,
                        }
                    )
                ],
            }
        )
        self.assertEqual(
            (stolen + held + plain + recalled).mapped("serial_blocked"), [True, True, False, True]
        )
        with self.assertRaisesRegex(UserError, "AUD-SYS-2"):
            self._deliver(held)

    def test_computed_states_of_warranty_and_order_lines_are_not_writable(self):
        term = self.env["serial.warranty.term"].create({"name": "1 year", "duration": 1})
        coverage = self.env["serial.warranty"]._serial_create(
            [
                self.env["serial.warranty"]._serial_prepare_vals(
                    term, self.phone, fields.Date.today(), lot=self.free
                )
            ]
        )
        with self.assertRaises(AccessError):
            coverage.with_user(self.stock_manager).write({"state": "expired"})
        self.assertEqual(coverage.state, "active")
        order = self._quotation(self.salesman, self.cameras[0])
        with self.assertRaises(AccessError):
            order.order_line.with_user(self.salesman).write(
                {"serial_open_lot_ids": [Command.clear()]}
            )
        self.assertEqual(order.order_line.serial_open_lot_ids, self.cameras[0])
        ownership = self.free._serial_transfer_ownership({self.free.id: self.customer}, "sale")
        with self.assertRaises(AccessError):
            ownership.with_user(self.stock_manager).write({"company_id": self.company_b.id})

    # 2. theft registry: groups, not context keys -------------------------------------

    def test_context_key_does_not_clear_the_theft_flag(self):
        lot = self.stolen.with_user(self.stock_user).with_context(serial_loss_registry=True)
        with self.assertRaises(AccessError):
            lot.write({"serial_loss_state": "none"})
        with self.assertRaises(AccessError):
            lot._serial_clear_loss("found it")
        self.assertEqual(self.stolen.serial_loss_state, "stolen")
        with self.assertRaises(AccessError):
            self.free.with_user(self.salesman)._serial_report_loss("lost", "2026-11-03")
        self.assertEqual(self.free.serial_loss_state, "none")
        self.stolen.with_user(self.stock_manager)._serial_clear_loss("recovered by the police")
        self.assertEqual(self.stolen.serial_loss_state, "none")
        self.assertFalse(self.stolen.serial_blocked)

    def test_other_company_user_cannot_report_our_units(self):
        with self.assertRaises(AccessError):
            self.free.with_user(self.clerk_b)._serial_report_loss("stolen", "2026-11-03")
        self.assertEqual(self.free.serial_loss_state, "none")

    # 3. voiding warranties ------------------------------------------------------------

    def test_only_managers_void_a_warranty(self):
        term = self.env["serial.warranty.term"].create({"name": "2 years", "duration": 2})
        coverage = self.env["serial.warranty"]._serial_create(
            [
                self.env["serial.warranty"]._serial_prepare_vals(
                    term, self.phone, fields.Date.today(), lot=self.free
                )
            ]
        )
        for user in (self.salesman, self.stock_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                coverage.with_user(user).action_void()
        self.assertEqual(coverage.state, "active")
        # RPC gets a marshallable answer.
        self.assertIs(coverage.with_user(self.stock_manager).action_void(), True)
        self.assertEqual(coverage.state, "void")

    # 4. a unit held by one open order line -------------------------------------------

    def test_held_unit_is_named_to_a_salesperson_without_access_to_that_order(self):
        held = self._quotation(self.seller_2, self.cameras[0])
        with self.assertRaises(AccessError):
            held.with_user(self.salesman).read(["name"])
        with self.assertRaisesRegex(ValidationError, f"already captured on {held.name}"):
            self._quotation(self.salesman, self.cameras[0])
        mine = self._quotation(self.salesman)
        with self.assertRaisesRegex(ValidationError, f"already captured on {held.name}"):
            mine.order_line.with_user(self.salesman).write(
                {"serial_lot_ids": [Command.link(self.cameras[0].id)]}
            )

    def test_a_client_context_key_does_not_skip_the_line_checks(self):
        held = self._quotation(self.seller_2, self.cameras[0])
        mine = self._quotation(self.salesman)
        line = mine.order_line.with_user(self.salesman).with_context(serial_defer_line_check=True)
        with self.assertRaisesRegex(ValidationError, f"already captured on {held.name}"):
            line.write({"serial_lot_ids": [Command.link(self.cameras[0].id)]})
        with self.assertRaisesRegex(ValidationError, "blocked"):
            self.cameras[1]._serial_report_loss("stolen", "2026-11-03")
            line.write({"serial_lot_ids": [Command.link(self.cameras[1].id)]})

    def test_database_holds_a_unit_for_one_open_line_only(self):
        self._quotation(self.salesman, self.cameras[0])
        other = self._quotation(self.salesman)
        relation = other.order_line._fields["serial_open_lot_ids"].relation
        # Behind the Python checks (as a concurrent transaction is): the index refuses.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(Exception, "unique|duplicate"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                f"INSERT INTO {relation} (line_id, lot_id) VALUES (%s, %s)",  # noqa: S608
                [other.order_line.id, self.cameras[0].id],
            )

    # 5. lookup wizard across companies ------------------------------------------------

    def test_lookup_wizard_refuses_another_company_unit(self):
        Lookup = self.env["serial.warranty.lookup"].with_user(self.clerk_b)
        with self.assertRaises(AccessError):
            Lookup.create({"lot_id": self.free.id})
        wizard = Lookup.create({"code": IMEI_B})
        self.assertFalse(wizard.lot_id)
        self.assertFalse(wizard.product_id)
        self.assertIn("No unit", wizard.error)

    # 6. error messages do not reveal other companies' records -------------------------

    def test_errors_name_no_unit_of_another_company(self):
        order = self._quotation(self.salesman)
        with self.assertRaises(ValidationError) as err:
            order.order_line.with_user(self.salesman).write(
                {"serial_lot_ids": [Command.set(self.lot_b.ids)]}
            )
        message = str(err.exception)
        self.assertIn("another company", message)
        self.assertNotIn("B-SECRET-SERIAL", message)
        self.assertNotIn("Audit Co B", message)

    def test_duplicate_of_another_company_stolen_unit_hides_the_report(self):
        Lot = self.env["stock.lot"].with_user(self.clerk_b).with_company(self.company_b)
        with self.assertRaises(ValidationError) as err:
            Lot.create(
                {
                    "name": IMEI_A,
                    "product_id": self.product_imei_2.id,
                    "company_id": self.company_b.id,
                }
            )
        message = str(err.exception)
        self.assertIn("another company", message)
        self.assertNotIn("POL-SECRET-77", message)
        self.assertNotIn("stolen", message)

    # 7. validation cannot be skipped, serials are normalised --------------------------

    def test_context_key_does_not_skip_serial_validation(self):
        Lot = (
            self.env["stock.lot"]
            .with_user(self.stock_user)
            .with_context(serial_skip_validation=True)
        )
        with self.assertRaisesRegex(ValidationError, "NOT-AN-IMEI"):
            Lot.create({"name": "NOT-AN-IMEI", "product_id": self.product_imei.id})
        with self.assertRaisesRegex(ValidationError, "invisible"):
            Lot.create({"name": "RING\u200b42", "product_id": self.product_free.id})
        with self.assertRaisesRegex(ValidationError, "IMEI"):
            self.free.with_user(self.stock_user).with_context(serial_skip_validation=True).write(
                {"name": "123"}
            )

    # 8. lookups match exactly ---------------------------------------------------------

    def test_lookup_wildcards_are_literal(self):
        Lot = self.env["stock.lot"].with_user(self.stock_user)
        for code in ("%", "_" * 15, "3569380356438%"):
            with self.subTest(code=code), self.assertRaisesRegex(UserError, "No unit"):
                Lot.serial_warranty_info(code)
            with self.subTest(code=code), self.assertRaisesRegex(UserError, "No unit"):
                Lot._serial_warranty_lookup(code)
        self.assertEqual(Lot.serial_warranty_info("aud-cam-1")["lot_id"], self.cameras[0].id)

    # 9. bounded warranty durations ----------------------------------------------------

    def test_warranty_duration_is_bounded(self):
        Term = self.env["serial.warranty.term"].with_user(self.stock_manager)
        for duration, unit in ((100_000, "year"), (2**31, "day"), (1201, "month"), (0, "year")):
            with self.subTest(duration=duration), self.assertRaisesRegex(ValidationError, "100"):
                Term.create({"name": "Forever", "duration": duration, "duration_unit": unit})
        term = Term.create({"name": "A century", "duration": 100, "duration_unit": "year"})
        with self.assertRaisesRegex(ValidationError, "between 1 and 36525"):
            term.write({"duration": 40000, "duration_unit": "day"})
        self.assertEqual(term._serial_date_end(fields.Date.to_date("2026-01-01")).year, 2125)

    # 10. bad input gets a message, not a traceback ------------------------------------

    def test_bad_input_gets_a_clear_error(self):
        Recall = self.env["serial.recall"].with_user(self.stock_manager)
        with self.assertRaisesRegex(ValidationError, "at most 100 characters"):
            Recall.create({"title": "Huge", "serial_from": "SN1", "serial_to": "SN" + "9" * 4300})
        for model in ("res.partner", "no.such.model"):
            with self.subTest(model=model), self.assertRaisesRegex(UserError, "cannot be created"):
                Recall.action_create_from(model, [1])
        Lot = self.env["stock.lot"].with_user(self.stock_user)
        with self.assertRaisesRegex(UserError, "string"):
            Lot.serial_warranty_info(12345)
        with self.assertRaisesRegex(UserError, "control or invisible"):
            Lot.serial_warranty_info("AUD\x00CAM")
        with self.assertRaisesRegex(UserError, "control or invisible"):
            self.env["serial.warranty.lookup"].with_user(self.stock_user).create({"code": "A\x00B"})
        wizard = (
            self.env["serial.warranty.lookup"].with_user(self.stock_user).create({"code": "A\x01B"})
        )
        self.assertIn("control or invisible", wizard.error)
        delivery = self._create_picking(self.picking_type_out, self.sale_product, 1, self.customer)
        with self.assertRaisesRegex(UserError, "control or invisible"):
            self._capture(delivery.move_ids, "AUD-CAM-1\x00")
        with self.assertRaisesRegex(ValidationError, "line 1: .*control or invisible"):
            self._capture(delivery.move_ids, "AUD-CAM-1\x01")

    # 11. recall lines change through their flows only ---------------------------------

    def test_recall_lines_change_through_the_wizards_only(self):
        recall = self.env["serial.recall"].create(
            {"title": "Audit recall", "lot_ids": [Command.set(self.cameras.ids)]}
        )
        recall.action_compute_scope()
        recall.action_open()
        line = recall.line_ids[:1].with_user(self.stock_user)
        for vals in (
            {"state": "resolved", "resolution": "repaired"},
            {"blocking": False},
            {"date_resolved": "2026-11-03"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                line.write(vals)
        self.assertEqual(line.state, "pending")
        line.write({"note": "customer called"})
        recall.action_cancel()
        with self.assertRaisesRegex(UserError, "not open|closed|cancel"):
            line._resolve("repaired")
        self.assertEqual(line.state, "pending")

    def test_resolving_through_the_wizard_still_works_for_users(self):
        recall = self.env["serial.recall"].create(
            {"title": "Audit recall 2", "lot_ids": [Command.set(self.cameras.ids)]}
        )
        recall.action_compute_scope()
        recall.action_open()
        action = recall.line_ids.with_user(self.stock_user).action_resolve_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.stock_user)
            .with_context(**action["context"])
        )
        wizard.resolution = "inspected_ok"
        wizard.save().action_confirm()
        self.assertEqual(set(recall.line_ids.mapped("state")), {"resolved"})
