from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestLifecycle(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._receive_units(cls.product_free, ["RING-1", "RING-2", "RING-3"])

    def test_new_unit_state(self):
        lot = self.env["stock.lot"].create({"name": "RING-NEW", "product_id": self.product_free.id})
        self.assertEqual(lot.serial_state, "new")
        self.assertEqual(set(self.lots.mapped("serial_state")), {"in_stock"})

    def test_delivery_opens_ownership_for_commercial_partner(self):
        lot = self.lots[0]
        picking = self._deliver(lot, self.customer_contact)
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.serial_owner_id, self.customer)
        ownership = lot.serial_ownership_ids
        self.assertEqual(len(ownership), 1)
        self.assertEqual(ownership.partner_id, self.customer)
        self.assertEqual(ownership.origin, "sale")
        self.assertEqual(ownership.picking_id, picking)
        self.assertFalse(ownership.date_end)
        # The Ownership tab tells a plain sale; no chatter line per delivered unit.
        self.assertFalse(lot.message_ids.filtered(lambda m: "Ownership:" in (m.body or "")))

    def test_return_closes_ownership_and_redelivery_opens_a_new_one(self):
        lot = self.lots[1]
        delivery = self._deliver(lot)
        sale_ownership = lot.serial_ownership_ids
        return_picking = self._return_with_wizard(delivery)
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertFalse(lot.serial_owner_id)
        self.assertTrue(sale_ownership.date_end)
        self.assertEqual(sale_ownership.end_reason, "return")
        back = lot.serial_ownership_ids - sale_ownership
        self.assertEqual(back.origin, "return")
        self.assertEqual(back.picking_id, return_picking)
        self.assertEqual(back.partner_id, self.company.partner_id)
        self.assertIn("Return", lot.message_ids[0].body)

        self._deliver(lot, self.customer_2)
        self.assertEqual(lot.serial_owner_id, self.customer_2)
        self.assertEqual(
            lot.serial_ownership_ids.filtered("is_current").partner_id, self.customer_2
        )
        self.assertEqual(len(lot.serial_ownership_ids), 3)
        self.assertEqual(
            self.env["serial.ownership"].search_count(
                [("lot_id", "=", lot.id), ("is_current", "=", True)]
            ),
            1,
        )

    def test_scrap(self):
        lot = self.lots[2]
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product_free.id,
                "lot_id": lot.id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(lot.serial_state, "scrapped")

    def test_report_stolen_blocks_reservation_and_delivery(self):
        stolen, other = self.lots[0], self.lots[1]
        action = stolen.action_serial_report_loss()  # the unit form's button
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.loss_state = "stolen"
        wizard.reference = "POL-2026-7"
        wizard.save().action_confirm()
        self.assertTrue(stolen.serial_blocked)
        self.assertEqual(stolen.serial_block_reason, "reported stolen")
        self.assertIn("POL-2026-7", stolen.message_ids[0].body)

        # Automatic reservation leaves the stolen unit alone.
        picking = self._create_picking(self.picking_type_out, self.product_free, 3, self.customer)
        picking.action_assign()
        reserved = picking.move_line_ids.lot_id
        self.assertNotIn(stolen, reserved)
        self.assertEqual(len(reserved), 2)
        self.assertIn(other, reserved)
        # Choosing it by hand is refused with the serial and the reason.
        with self.assertRaisesRegex(UserError, r"RING-1 \(Jewellery Ring\): reported stolen"):
            picking.move_line_ids[0].lot_id = stolen
        with self.assertRaisesRegex(UserError, "RING-1"):
            self._deliver(stolen)
        self.assertEqual(stolen.serial_state, "lost")

    def test_stolen_unit_returned_by_customer_is_stopped(self):
        lot = self.lots[0]
        delivery = self._deliver(lot)
        lot._serial_report_loss("lost", "2026-02-01")
        with self.assertRaisesRegex(UserError, "registered as stolen or lost"):
            self._return_with_wizard(delivery)
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.serial_owner_id, self.customer)

    def test_clearing_the_flag_needs_a_manager_and_a_reason(self):
        lot = self.lots[0]
        lot._serial_report_loss("stolen", "2026-01-01", "POL-1")
        with self.assertRaisesRegex(UserError, "Only Serial Tracking managers"):
            lot.with_user(self.stock_user)._serial_clear_loss("found it")
        with self.assertRaisesRegex(UserError, "reason"):
            lot._serial_clear_loss("  ")
        action = lot.action_serial_clear_loss()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Recovered by the police"
        wizard.save().action_confirm()
        self.assertEqual(lot.serial_loss_state, "none")
        self.assertFalse(lot.serial_blocked)
        self.assertIn("Recovered by the police", lot.message_ids[0].body)

    def test_quarantine_blocks(self):
        lot = self.lots[2]
        lot.write({"serial_quarantine": True, "serial_quarantine_reason": "water damage check"})
        self.assertTrue(lot.serial_blocked)
        self.assertEqual(lot.serial_block_reason, "quarantine: water damage check")
        with self.assertRaisesRegex(UserError, "water damage check"):
            self._deliver(lot)
        lot.serial_quarantine = False
        self.assertFalse(lot.serial_blocked)
        self._deliver(lot)
        self.assertEqual(lot.serial_state, "delivered")

    def test_unit_buttons_open_only_this_units_records(self):
        lot, other = self.lots[0], self.lots[1]
        self._deliver(lot | other)
        for method, model in (
            ("action_serial_view_ownership", "serial.ownership"),
            ("action_serial_view_warranties", "serial.warranty"),
            ("action_serial_view_recalls", "serial.recall.line"),
        ):
            action = getattr(lot, method)()
            self.assertEqual(action["res_model"], model)
            records = self.env[model].search(action["domain"])
            self.assertEqual(records.lot_id, lot if records else self.env["stock.lot"])
        ownership = self.env["serial.ownership"].search(
            lot.action_serial_view_ownership()["domain"]
        )
        self.assertEqual(ownership.partner_id, self.customer)
