from odoo.tests import tagged

from odoo.addons.serial_tracking.tests.common import SerialTourCase

from .common import IMEIS, PosSerialCase


@tagged("post_install", "-at_install")
class TestPosTour(SerialTourCase, PosSerialCase):
    """The till in Chromium: a stolen unit refused, good ones sold, ownership recorded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot_by_name = {lot.name: lot for lot in cls.lots}
        cls.phone.serial_warranty_term_id = cls.env["serial.warranty.term"].create(
            {"name": "2 years", "duration": 2, "duration_unit": "year"}
        )
        cls.lot_by_name[IMEIS[1]]._serial_report_loss("stolen", cls.env.cr.now().date())
        cls.config.with_user(cls.pos_user).open_ui()
        cls.config.current_session_id.set_opening_control(0, None)

    def _start(self, tour):
        self.start_tour(f"/pos/ui?config_id={self.config.id}", tour, login=self.pos_user.login)

    def test_refuse_stolen_then_sell(self):
        self._start("serial_tracking_pos_refuse_and_sell")
        order = self.config.current_session_id.order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.lines.pack_lot_ids.mapped("lot_name"), [IMEIS[0]])
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(self.lot_by_name[IMEIS[0]].serial_state, "delivered")

    def test_sell_to_customer_records_ownership(self):
        self._start("serial_tracking_pos_sell_to_customer")
        lot = self.lot_by_name[IMEIS[3]]
        self.assertEqual(lot.serial_owner_id, self.customer)
        self.assertEqual(lot.serial_ownership_ids.picking_id.pos_order_id.partner_id, self.customer)
