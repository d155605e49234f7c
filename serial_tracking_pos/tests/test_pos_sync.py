from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BAD_IMEI, IMEIS, PosSerialCase


@tagged("post_install", "-at_install")
class TestPosSync(PosSerialCase):
    """Orders synchronised from the till: serials checked again, paid orders kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.env["serial.warranty.term"].create(
            {"name": "2 years", "duration": 2, "duration_unit": "year"}
        )
        cls.phone.serial_warranty_term_id = cls.term
        cls.lot_by_name = {lot.name: lot for lot in cls.lots}

    def setUp(self):
        super().setUp()
        self.session = self._open_session()

    def _activities(self, record):
        return self.env["mail.activity"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def assertHeld(self, order, text):
        """``order`` is paid, its picking waits, says ``text`` and a manager acts."""
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.amount_paid, order.amount_total)
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertNotEqual(picking.state, "done")
        bodies = " ".join(picking.message_ids.mapped("body"))
        self.assertIn(text, bodies)
        activity = self._activities(picking)
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("serial_tracking.group_serial_tracking_manager"))
        self.assertIn(text, str(activity.note))
        return picking

    # Valid serials ----------------------------------------------------------------------

    def test_valid_serial_sold_with_customer(self):
        lot = self.lot_by_name[IMEIS[0]]
        order = self._sync(self.session, [(self.phone, [IMEIS[0]])], self.customer_contact)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, lot)
        # Ownership for the commercial partner, coverage from the sale.
        self.assertEqual(lot.serial_owner_id, self.customer)
        self.assertEqual(lot.serial_ownership_ids.picking_id, order.picking_ids)
        self.assertEqual(lot.serial_state, "delivered")
        coverage = lot.serial_warranty_ids
        self.assertEqual(coverage.partner_id, self.customer)
        self.assertEqual(coverage.state, "active")
        self.assertEqual(lot.serial_warranty_end, fields.Date.today() + timedelta(days=730))
        self.assertFalse(self._activities(order.picking_ids))

    def test_sale_without_customer_gives_coverage_without_owner(self):
        lot = self.lot_by_name[IMEIS[1]]
        order = self._sync(self.session, [(self.phone, [IMEIS[1]])])
        self.assertEqual(order.picking_ids.state, "done")
        self.assertFalse(lot.serial_owner_id)
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(len(lot.serial_warranty_ids), 1)
        self.assertFalse(lot.serial_warranty_ids.partner_id)
        self.assertEqual(lot.serial_warranty_state, "active")

    def test_sync_as_pos_user(self):
        """A cashier without inventory rights syncs good and bad orders alike."""
        good = self._sync(self.session, [(self.phone, [IMEIS[2]])], user=self.pos_user)
        self.assertEqual(good.picking_ids.state, "done")
        bad = self._sync(self.session, [(self.phone, [BAD_IMEI])], user=self.pos_user)
        self.assertHeld(bad, "wrong IMEI check digit")

    # Refused serials: the order is kept, the picking waits --------------------------------

    def test_wrong_check_digit_held(self):
        order = self._sync(self.session, [(self.phone, [BAD_IMEI])], self.customer)
        picking = self.assertHeld(order, "wrong IMEI check digit")
        self.assertIn(BAD_IMEI, " ".join(picking.message_ids.mapped("body")))
        self.assertFalse(self.env["stock.lot"].search([("name", "=", BAD_IMEI)]))

    def test_held_picking_fixed_by_a_manager(self):
        """The manager corrects the serial on the held picking and validates it."""
        lot = self.lot_by_name[IMEIS[2]]
        order = self._sync(self.session, [(self.phone, [BAD_IMEI])], self.customer)
        picking = self.assertHeld(order, "wrong IMEI check digit").with_user(self.serial_manager)
        picking.move_line_ids.write({"lot_id": lot.id, "lot_name": False})
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(lot.serial_owner_id, self.customer)
        self.assertEqual(lot.serial_warranty_ids.partner_id, self.customer)

    def test_serial_not_in_shop_held(self):
        order = self._sync(self.session, [(self.phone, [IMEIS[5]])], self.customer)
        self.assertHeld(order, "not in this shop")
        self.assertFalse(self.env["stock.lot"].search([("name", "=", IMEIS[5])]))

    def test_stolen_unit_held(self):
        lot = self.lot_by_name[IMEIS[1]]
        lot._serial_report_loss("stolen", date.today(), reference="PD-1")
        order = self._sync(self.session, [(self.phone, [IMEIS[1]])], self.customer)
        self.assertHeld(order, "reported stolen")
        self.assertFalse(lot.serial_owner_id)

    def test_quarantined_unit_held_only_its_line(self):
        lot = self.lot_by_name[IMEIS[2]]
        lot.write({"serial_quarantine": True, "serial_quarantine_reason": "water damage"})
        order = self._sync(
            self.session, [(self.phone, [IMEIS[2]]), (self.product_free, ["RING-1"])]
        )
        picking = self.assertHeld(order, "quarantine: water damage")
        self.assertFalse(lot.serial_owner_id)
        self.assertEqual(lot.serial_state, "in_stock")
        # Validating it by hand still refuses the blocked unit.
        with self.assertRaisesRegex(Exception, "blocked"):
            picking.button_validate()

    def test_context_cannot_switch_off_the_blocked_unit_check(self):
        # The synchronisation holds refused lines without checking them again; a
        # client sending the same markers in its context gets no such favour.
        lot = self.lot_by_name[IMEIS[2]]
        lot._serial_report_loss("stolen", date.today())
        picking = self.assertHeld(
            self._sync(self.session, [(self.phone, [IMEIS[2]])], self.customer), "stolen"
        )
        forged = {"serial_pos_held_line_ids": (picking.pos_order_id.lines.id,)}
        picking = picking.with_user(self.serial_manager).with_context(**forged)
        with self.assertRaisesRegex(UserError, "blocked"):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(lot.serial_owner_id)
        stock = lot.quant_ids.filtered(lambda quant: quant.quantity > 0)
        self.assertNotIn("customer", stock.location_id.mapped("usage"))

    def test_offline_order_checked_at_sync(self):
        """Sold offline two days ago, the unit was reported stolen since."""
        lot = self.lot_by_name[IMEIS[3]]
        lot._serial_report_loss("stolen", date.today())
        sold_on = datetime.now() - timedelta(days=2)
        order = self._sync(self.session, [(self.phone, [IMEIS[3]])], self.customer, date=sold_on)
        self.assertEqual(order.date_order.date(), sold_on.date())
        self.assertHeld(order, "reported stolen")

    def test_offline_order_coverage_from_sale_date(self):
        self.term.start_trigger = "sale"
        lot = self.lot_by_name[IMEIS[0]]
        sold_on = datetime.now() - timedelta(days=3)
        order = self._sync(self.session, [(self.phone, [IMEIS[0]])], self.customer, date=sold_on)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(lot.serial_warranty_ids.date_start, sold_on.date())

    def test_new_serial_allowed_by_product(self):
        self.phone.serial_pos_new_allowed = True
        order = self._sync(self.session, [(self.phone, [IMEIS[5]])], self.customer)
        self.assertEqual(order.picking_ids.state, "done")
        lot = self.env["stock.lot"].search([("name", "=", IMEIS[5])])
        self.assertEqual(lot.serial_owner_id, self.customer)
        # The format still applies.
        bad = self._sync(self.session, [(self.phone, [BAD_IMEI])], self.customer)
        self.assertHeld(bad, "wrong IMEI check digit")

    def test_unexpected_picking_error_keeps_the_order(self):
        """Whatever else fails when moving the stock, the paid order is saved."""

        # A test double's message, never shown to a user: not a term to translate.
        failure = "Boom: the stock could not move"

        def fail(*args, **kwargs):
            raise UserError(failure)

        Picking = type(self.env["stock.picking"])
        with patch.object(Picking, "_create_picking_from_pos_order_lines", fail):
            order = self._sync(self.session, [(self.phone, [IMEIS[0]])], self.customer)
        self.assertEqual(order.state, "paid")
        self.assertFalse(order.picking_ids)
        self.assertIn("Boom", " ".join(order.message_ids.mapped("body")))
        activity = self._activities(self.session)
        self.assertIn("Boom", str(activity.note))
        self._close(self.session)
        self.assertEqual(self.session.state, "closed")

    def test_sync_check_has_no_query_per_serial(self):
        rings = [f"RING-{i:02d}" for i in range(10)]
        self._receive_units(self.product_free, rings)
        small = self._sync(self.session, [(self.product_free, rings[:2])])
        large = self._sync(self.session, [(self.product_free, rings[2:])])
        Picking = self.env["stock.picking"]
        counts = []
        for order in (small, large):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            problems = Picking._serial_pos_line_problems(order.lines, self.config.picking_type_id)
            counts.append(self.env.cr.sql_log_count - before)
            # Sold since: the check now finds them out of the shop's stock.
            self.assertEqual(len(problems[order.lines]), len(order.lines.pack_lot_ids))
        self.assertGreater(counts[0], 0)
        self.assertEqual(counts[0], counts[1])

    # Refunds ---------------------------------------------------------------------------

    def test_refund_ends_ownership_and_voids_coverage(self):
        lot = self.lot_by_name[IMEIS[0]]
        sale = self._sync(self.session, [(self.phone, [IMEIS[0]])], self.customer)
        self.assertEqual(lot.serial_owner_id, self.customer)
        refund = self._sync(self.session, [(self.phone, [IMEIS[0]])], self.customer, refund_of=sale)
        self.assertEqual(refund.picking_ids.state, "done")
        self.assertFalse(lot.serial_owner_id)
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertEqual(lot.serial_warranty_ids.state, "void")
        self.assertEqual(lot.serial_ownership_ids.sorted("id")[0].end_reason, "return")

    def test_refund_keeps_transferable_coverage(self):
        self.term.transferable = True
        lot = self.lot_by_name[IMEIS[1]]
        sale = self._sync(self.session, [(self.phone, [IMEIS[1]])], self.customer)
        self._sync(self.session, [(self.phone, [IMEIS[1]])], self.customer, refund_of=sale)
        self.assertFalse(lot.serial_owner_id)
        self.assertEqual(lot.serial_warranty_ids.state, "active")

    def test_refund_of_unknown_serial_held(self):
        sale = self._sync(self.session, [(self.phone, [IMEIS[0]])], self.customer)
        refund = self._sync(
            self.session, [(self.phone, ["000000000000000"])], self.customer, refund_of=sale
        )
        self.assertHeld(refund, "unknown serial number")

    # Session closing -------------------------------------------------------------------

    def test_session_closes_with_problem_order(self):
        good = self._sync(self.session, [(self.phone, [IMEIS[0]])], self.customer)
        bad = self._sync(self.session, [(self.phone, [BAD_IMEI])], self.customer)
        held = self.assertHeld(bad, "wrong IMEI check digit")
        self._close(self.session)
        self.assertEqual(self.session.state, "closed")
        self.assertEqual(good.state, "done")
        self.assertEqual(bad.state, "done")
        self.assertNotEqual(held.state, "done")
        # The manager sees it in their activities.
        manager = self._activities(held).user_id
        self.assertIn(
            held,
            self.env["stock.picking"]
            .with_user(manager)
            .search([("activity_user_id", "=", manager.id)]),
        )


@tagged("post_install", "-at_install")
class TestPosSyncAtClosing(PosSerialCase):
    """Stock updated at the session closing: one picking for many orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.point_of_sale_update_stock_quantities = "closing"
        cls.term = cls.env["serial.warranty.term"].create(
            {"name": "1 year", "duration": 1, "duration_unit": "year"}
        )
        cls.phone.serial_warranty_term_id = cls.term

    def test_closing_records_owners_and_holds_problems(self):
        session = self._open_session()
        self.assertTrue(session.update_stock_at_closing)
        lots = {lot.name: lot for lot in self.lots}
        self._sync(session, [(self.phone, [IMEIS[0]])], self.customer)
        self._sync(session, [(self.phone, [IMEIS[1]])], self.customer_2)
        self._sync(session, [(self.phone, [IMEIS[2]])])
        self.assertFalse(session.picking_ids)
        self._close(session)
        self.assertEqual(session.state, "closed")
        self.assertEqual(session.picking_ids.state, "done")
        self.assertEqual(lots[IMEIS[0]].serial_owner_id, self.customer)
        self.assertEqual(lots[IMEIS[1]].serial_owner_id, self.customer_2)
        self.assertFalse(lots[IMEIS[2]].serial_owner_id)
        self.assertEqual(lots[IMEIS[2]].serial_warranty_state, "active")
        self.assertEqual(lots[IMEIS[1]].serial_warranty_ids.partner_id, self.customer_2)

    def test_closing_with_blocked_unit(self):
        session = self._open_session()
        lot = self.lots.filtered(lambda lot: lot.name == IMEIS[3])
        self._sync(session, [(self.phone, [IMEIS[3]])], self.customer)
        lot._serial_report_loss("stolen", date.today())
        self._close(session)
        self.assertEqual(session.state, "closed")
        picking = session.picking_ids
        self.assertNotEqual(picking.state, "done")
        self.assertIn("reported stolen", " ".join(picking.message_ids.mapped("body")))
        self.assertFalse(lot.serial_owner_id)
