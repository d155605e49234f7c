from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_medical_product import MedicalCase


@tagged("post_install", "-at_install")
class TestMedicalCapture(MedicalCase):
    def test_full_udi_scans_fill_the_unit(self):
        di = self.implant_di
        scans = [
            self._udi(di, "SN-HRI", "L100", "250115", "300131", form="hri"),
            self._udi(di, "SN-GS", "L101", "250216", "300228", form="gs"),
            self._udi(di, "SN-SEP", "L102", "250317", "300300", form="sep"),
            self._udi(di, "SN-D2", "L103", "250418", "300430", form="d2"),
        ]
        self.assertIn("\x1d21SN-GS", scans[1])
        self.assertIn("#21SN-SEP", scans[2])
        picking = self._create_picking(self.picking_type_in, self.implant, 4, self.vendor)
        done = self._capture(picking.move_ids, "\n".join(scans))
        self.assertEqual(done["params"]["type"], "success")
        line = picking.move_line_ids.filtered(lambda ml: ml.lot_name == "SN-GS")
        self.assertEqual(line.serial_udi_lot, "L101")
        self.assertEqual(line.serial_udi_manufactured, date(2025, 2, 16))
        self.assertEqual(line.serial_udi_expiry_code, "300228")
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        lots = {lot.name: lot for lot in picking.move_line_ids.lot_id}
        self.assertEqual(sorted(lots), ["SN-D2", "SN-GS", "SN-HRI", "SN-SEP"])
        expected = {
            "SN-HRI": ("L100", date(2025, 1, 15), datetime(2030, 1, 31, 23, 59, 59)),
            "SN-GS": ("L101", date(2025, 2, 16), datetime(2030, 2, 28, 23, 59, 59)),
            # Day 00: the last day of the month.
            "SN-SEP": ("L102", date(2025, 3, 17), datetime(2030, 3, 31, 23, 59, 59)),
            "SN-D2": ("L103", date(2025, 4, 18), datetime(2030, 4, 30, 23, 59, 59)),
        }
        for serial, (udi_lot, manufactured, expiry) in expected.items():
            lot = lots[serial]
            with self.subTest(serial=serial):
                self.assertEqual(lot.serial_udi_lot, udi_lot)
                self.assertEqual(lot.serial_udi_manufactured, manufactured)
                # AI 17 wins over product_expiry's "received + N days" (company in UTC).
                self.assertEqual(lot.expiration_date, expiry)
        # The human-readable UDI gives back what was scanned, day 00 included.
        self.assertEqual(lots["SN-HRI"].serial_udi, scans[0])
        self.assertEqual(
            lots["SN-SEP"].serial_udi, f"(01){di}(11)250317(17)300300(10)L102(21)SN-SEP"
        )
        self.assertEqual(lots["SN-GS"]._serial_udi_raw(), scans[1])

    def test_receiving_expired_units_warns(self):
        picking = self._create_picking(self.picking_type_in, self.implant, 2, self.vendor)
        scans = [
            self._udi(self.implant_di, "OLD-1", "L1", "240101", "250131"),
            self._udi(self.implant_di, "NEW-1", "L1", "240101", "491231"),
        ]
        done = self._capture(picking.move_ids, "\n".join(scans))
        self.assertEqual(done["params"]["type"], "warning")
        self.assertTrue(
            done["params"]["message"].endswith("Already expired, they cannot be delivered: OLD-1."),
            done["params"]["message"],
        )

    def test_plain_serials_still_work(self):
        lots = self._receive_with_capture(self.pump, ["PUMP-1", "PUMP-2"])
        self.assertEqual(sorted(lots.mapped("name")), ["PUMP-1", "PUMP-2"])
        self.assertFalse(any(lots.mapped("serial_udi_lot")))
        self.assertEqual(
            lots.filtered(lambda lot: lot.name == "PUMP-1").serial_udi,
            f"(01){self.pump_di}(21)PUMP-1",
        )
        # A UDI without production identifiers but the serial is fine too.
        lots = self._receive_with_capture(self.pump, [self._udi(self.pump_di, "PUMP-3")])
        self.assertEqual(lots.name, "PUMP-3")

    def test_malformed_udis_name_the_ai_and_write_nothing(self):
        di = self.implant_di
        bad = [
            # 1: wrong check digit in the DI
            "(01)09506000134377(21)BAD-1",
            # 2: the DI of another product
            self._udi(self.pump_di, "BAD-2"),
            # 3: impossible date
            self._udi(di, "BAD-3", exp="251332"),
            # 4: AI (10) has at most 20 characters
            self._udi(di, "BAD-4", lot="L" * 21, form="gs"),
            # 5: GS1 data without the DI
            "(10)L1(21)BAD-5",
            # 6: made in the future
            self._udi(di, "BAD-6", mfg="491231"),
            # 7: expires before it was made
            self._udi(di, "BAD-7", mfg="250601", exp="250101"),
        ]
        picking = self._create_picking(self.picking_type_in, self.implant, len(bad), self.vendor)
        lines_before = picking.move_line_ids
        with self.assertRaises(ValidationError) as catcher:
            self._capture(picking.move_ids, "\n".join(bad))
        message = str(catcher.exception)
        self.assertTrue(message.startswith("Nothing was recorded."), message)
        for expected in [
            "line 1: (01)09506000134377(21)BAD-1: not a valid GS1 code (wrong check digit "
            "in AI (01) 09506000134377)",
            f"line 2: {bad[1]}: AI (01) {self.pump_di}: not the UDI-DI of Hip Stem 32 ({di})",
            "invalid date in AI (17): 251332",
            "the value of AI (10) has at most 20 characters, not 21",
            "line 5: (10)L1(21)BAD-5: the UDI has no device identifier, AI (01)",
            f"line 6: {bad[5]}: AI (11) 491231 is after today",
            f"line 7: {bad[6]}: AI (17) is before the manufacturing date, AI (11)",
        ]:
            self.assertIn(expected, message)
        self.assertIn("line 3: ", message)
        self.assertIn("line 4: ", message)
        self.assertEqual(picking.move_line_ids, lines_before)
        self.assertFalse(picking.move_line_ids.filtered("lot_name"))
        self.assertFalse(self.env["stock.lot"].search([("name", "=like", "BAD-%")]))

    def test_other_kinds_keep_the_barcode_check(self):
        # A plain GTIN product: the DI rules do not apply, the barcode check does.
        picking = self._create_picking(self.picking_type_in, self.product_gtin, 1, self.vendor)
        self._capture(picking.move_ids, "(01)04006381333931(11)491231(21)PLAIN-1")
        self.assertEqual(picking.move_line_ids.lot_name, "PLAIN-1")
        self.assertFalse(picking.move_line_ids.serial_udi_manufactured)

    def test_delivery_scan_must_match_the_unit(self):
        di = self.implant_di
        self._receive_with_capture(self.implant, [self._udi(di, "SN9", "L123", "250101", "300101")])
        out = self._create_picking(self.picking_type_out, self.implant, 1, self.customer)
        for scan, problem in [
            (
                self._udi(di, "SN9", "L124", "250101", "300101"),
                "AI (10) L124 does not match lot L123 of unit SN9",
            ),
            (self._udi(di, "SN9", "L123", "250102", "300101"), "AI (11) 250102 does not match"),
            (self._udi(di, "SN9", "L123", "250101", "300102"), "AI (17) 300102 does not match"),
            (self._udi(self.pump_di, "SN9"), "not the UDI-DI of Hip Stem 32"),
        ]:
            with self.subTest(scan=scan), self.assertRaises(ValidationError) as catcher:
                self._capture(out.move_ids, scan)
            self.assertIn(problem, str(catcher.exception))
            self.assertFalse(out.move_line_ids.filtered("picked"))
        self._capture(out.move_ids, self._udi(di, "SN9", "L123", "250101", "300101", form="sep"))
        self.assertEqual(out.move_line_ids.lot_id.name, "SN9")
        self.assertTrue(out.move_line_ids.picked)
        out.button_validate()
        self.assertEqual(out.state, "done")

    def test_delivery_by_typed_serial(self):
        di = self.implant_di
        self._receive_with_capture(self.implant, [self._udi(di, "SN10", "L1", "250101", "300101")])
        out = self._create_picking(self.picking_type_out, self.implant, 1, self.customer)
        self._capture(out.move_ids, "SN10")
        self.assertEqual(out.move_line_ids.lot_id.name, "SN10")

    def test_unit_received_by_plain_serial_delivered_by_udi_scan(self):
        # The unit has no PI to compare with: its label's UDI is accepted.
        self._receive_with_capture(self.pump, ["PUMP-9"])
        out = self._create_picking(self.picking_type_out, self.pump, 1, self.customer)
        self._capture(out.move_ids, self._udi(self.pump_di, "PUMP-9", "L5", "250101", "300101"))
        self.assertEqual(out.move_line_ids.lot_id.name, "PUMP-9")
