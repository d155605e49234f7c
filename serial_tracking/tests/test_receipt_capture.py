from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase

IMEIS = ["490154203237518", "860123456789014", "860123456789022"]


@tagged("post_install", "-at_install")
class TestReceiptCapture(SerialTrackingCase):
    def test_paste_list_creates_units_in_stock(self):
        picking = self._create_picking(self.picking_type_in, self.product_imei, 3, self.vendor)
        # Spaces and commas separate serials as well as new lines.
        done = self._capture(picking.move_ids, f" {IMEIS[0]}, {IMEIS[1]}\n\n{IMEIS[2]} ")
        # The dialog closes with a confirmation of what was recorded.
        self.assertEqual(done["tag"], "display_notification")
        self.assertIn("3 serial numbers recorded, 3 of 3 units", done["params"]["message"])
        self.assertEqual(done["params"]["next"], {"type": "ir.actions.act_window_close"})
        self.assertEqual(sorted(picking.move_line_ids.mapped("lot_name")), sorted(IMEIS))
        # The operations list shows them before the receipt creates the units.
        self.assertEqual(picking.move_ids.serial_names, ", ".join(IMEIS))
        self.assertTrue(all(picking.move_line_ids.mapped("picked")))
        picking.button_validate()
        lots = picking.move_line_ids.lot_id
        self.assertEqual(len(lots), 3)
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
        self.assertEqual(lots.mapped("product_qty"), [1.0, 1.0, 1.0])

    def test_detailed_operations_warn_when_a_serial_is_typed(self):
        """Odoo's own Detailed Operations dialog: the line says what is wrong at once."""
        picking = self._create_picking(self.picking_type_in, self.product_imei, 1, self.vendor)
        move = picking.move_ids
        line = self.env["stock.move.line"].new(
            dict(move._prepare_move_line_vals(quantity=1), lot_name="490154203237519")
        )
        warning = line._onchange_serial_number()["warning"]
        self.assertEqual(warning["message"], "490154203237519: wrong IMEI check digit")
        line.lot_name = IMEIS[0]
        self.assertNotIn("warning", line._onchange_serial_number())
        # An existing unit that is blocked, picked for a delivery.
        stolen = self._receive_with_capture(self.product_imei, [IMEIS[1]])
        stolen._serial_report_loss("stolen", "2026-01-01", "POL-5")
        out = self._create_picking(self.picking_type_out, self.product_imei, 1, self.customer)
        line = self.env["stock.move.line"].new(
            dict(out.move_ids._prepare_move_line_vals(quantity=1), lot_id=stolen.id)
        )
        self.assertIn(
            f"{IMEIS[1]} is blocked: reported stolen",
            line._onchange_serial_number()["warning"]["message"],
        )

    def test_gs1_scans(self):
        picking = self._create_picking(self.picking_type_in, self.product_gtin, 2, self.vendor)
        text = "(01)04006381333931(21)ABC123\n]d2010400638133393121XYZ-9\x1d10LOT7"
        self._capture(picking.move_ids, text)
        self.assertEqual(sorted(picking.move_line_ids.mapped("lot_name")), ["ABC123", "XYZ-9"])

    def test_gs1_gtin_must_match_product_barcode(self):
        picking = self._create_picking(self.picking_type_in, self.product_gtin, 1, self.vendor)
        with self.assertRaisesRegex(ValidationError, "GTIN 09506000134352 is not the barcode"):
            self._capture(picking.move_ids, "(01)09506000134352(21)ABC123")
        self.assertFalse(picking.move_line_ids.filtered("lot_name"))

    def test_every_bad_entry_is_listed_and_nothing_written(self):
        picking = self._create_picking(self.picking_type_in, self.product_imei, 5, self.vendor)
        self._receive_with_capture(self.product_imei_2, ["860123456789030"])  # IMEIs are global
        lines_before = picking.move_line_ids
        text = "\n".join(
            [
                "490154203237518",
                "490154203237519",  # wrong check digit
                "12345",  # too short
                "490154203237518",  # duplicate of line 1
                "860123456789030",  # exists on another product
            ]
        )
        with self.assertRaises(ValidationError) as catcher:
            self._capture(picking.move_ids, text)
        message = str(catcher.exception)
        self.assertIn("line 2: 490154203237519: wrong IMEI check digit\n", message)
        self.assertIn("line 3: 12345: an IMEI has exactly 15 digits, not 5", message)
        self.assertIn("line 4: 490154203237518: duplicate of line 1", message)
        self.assertIn("line 5: 860123456789030: already exists (in WH/Stock)", message)
        self.assertNotIn("expected", message, "the right check digit is not given away")
        self.assertNotIn("line 0", message)
        self.assertEqual(picking.move_line_ids, lines_before)
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "490154203237518")]))

    def test_count_must_match_quantity(self):
        picking = self._create_picking(self.picking_type_in, self.product_imei, 3, self.vendor)
        with self.assertRaises(ValidationError) as catcher:
            self._capture(picking.move_ids, "\n".join(IMEIS[:2]))
        self.assertEqual(
            str(catcher.exception),
            "Nothing was recorded.\nToo few serial numbers: 2 entered, 3 units to capture. "
            "Enter them all, or tick Partial Capture.",
        )
        with self.assertRaisesRegex(
            ValidationError, "Too many serial numbers: 4 entered, 3 units left to capture"
        ):
            self._capture(picking.move_ids, "\n".join(IMEIS + ["860123456789048"]))
        # A partial capture is possible on purpose, then the rest later.
        self._capture(picking.move_ids, "\n".join(IMEIS[:2]), allow_partial=True)
        self._capture(picking.move_ids, IMEIS[2])
        self.assertEqual(len(picking.move_line_ids.filtered("lot_name")), 3)

    def test_entries_on_one_line_are_numbered_one_by_one(self):
        picking = self._create_picking(self.picking_type_in, self.product_imei, 3, self.vendor)
        with self.assertRaises(ValidationError) as catcher:
            self._capture(picking.move_ids, f"{IMEIS[0]}, {IMEIS[1]} {IMEIS[0]}")
        message = str(catcher.exception)
        self.assertIn(f"entry 3: {IMEIS[0]}: duplicate of entry 1", message)
        self.assertNotIn("line 1", message)

    def test_generate_valid_imeis(self):
        picking = self._create_picking(self.picking_type_in, self.product_imei, 3, self.vendor)
        action = picking.move_ids.action_serial_capture()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.mode = "generate"
        form.first_serial = "490154203237518"
        form.save().action_confirm()
        self.assertEqual(
            sorted(picking.move_line_ids.mapped("lot_name")),
            # the 14-digit body counts up; each check digit is computed (Luhn)
            ["490154203237518", "490154203237526", "490154203237534"],
        )

    def test_generate_refused_for_vins(self):
        picking = self._create_picking(self.picking_type_in, self.product_vin, 2, self.vendor)
        action = picking.move_ids.action_serial_capture()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"mode": "generate", "first_serial": "1M8GDM9AXKP042788", "generate_count": 2})
        )
        with self.assertRaisesRegex(UserError, "cannot be generated"):
            wizard.action_confirm()

    def test_generate_mode(self):
        picking = self._create_picking(self.picking_type_in, self.product_free, 3, self.vendor)
        action = picking.move_ids.action_serial_capture()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.mode = "generate"
        form.first_serial = "RING-0098"
        self.assertEqual(form.generate_count, 3)
        form.save().action_confirm()
        self.assertEqual(
            sorted(picking.move_line_ids.mapped("lot_name")),
            ["RING-0098", "RING-0099", "RING-0100"],
        )

    def test_vin_rules_and_lenient_company_setting(self):
        picking = self._create_picking(self.picking_type_in, self.product_vin, 1, self.vendor)
        with self.assertRaisesRegex(ValidationError, "a VIN uses only digits and capital"):
            self._capture(picking.move_ids, "1M8GDM9AXKP04278O")
        with self.assertRaisesRegex(ValidationError, "wrong VIN check digit"):
            self._capture(picking.move_ids, "WVWZZZ1KZ8W000001")
        self.company.serial_vin_lenient = True
        self._capture(picking.move_ids, "wvwzzz1kz8w000001")
        self.assertEqual(picking.move_line_ids.lot_name, "WVWZZZ1KZ8W000001")

    def test_typed_serials_on_detailed_operations_are_validated(self):
        """Odoo's own way (typing lot names on move lines) goes through the same rules."""
        picking = self._create_picking(self.picking_type_in, self.product_imei, 2, self.vendor)
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                dict(move._prepare_move_line_vals(quantity=1), lot_name=name, picked=True)
                for name in ("490154203237518", "490154203237510")
            ]
        )
        with self.assertRaisesRegex(ValidationError, "490154203237510: wrong IMEI check digit"):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "490154203237518")]))

    def test_stolen_unit_turning_up_in_a_receipt_is_stopped(self):
        lots = self._receive_with_capture(self.product_free, ["RING-1"])
        self._deliver(lots)
        lots._serial_report_loss("stolen", "2026-01-05", "POL-42")
        picking = self._create_picking(self.picking_type_in, self.product_free, 1, self.vendor)
        with self.assertRaisesRegex(ValidationError, "RING-1: registered as stolen"):
            self._capture(picking.move_ids, "RING-1")
        # Typed by hand instead: validation stops.
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            dict(move._prepare_move_line_vals(quantity=1), lot_name="RING-1", picked=True)
        )
        with self.assertRaisesRegex(UserError, "registered as stolen or lost"):
            picking.button_validate()
        self.assertEqual(lots.serial_state, "delivered")

    def test_capture_units_on_a_delivery(self):
        lots = self._receive_with_capture(self.product_free, ["R-A", "R-B", "R-C", "R-D"])
        lot_a, lot_b, lot_c, lot_d = lots.sorted("name")
        self._deliver(lot_d, self.customer_2)
        lot_c._serial_report_loss("lost", "2026-03-01")
        picking = self._create_picking(self.picking_type_out, self.product_free, 2, self.customer)
        picking.action_assign()
        with self.assertRaises(ValidationError) as catcher:
            self._capture(picking.move_ids, "R-B\nR-C\nR-D\nR-Z")
        message = str(catcher.exception)
        self.assertIn("line 2: R-C: blocked: reported lost", message)
        self.assertIn("line 3: R-D: not available in WH/Stock", message)
        self.assertIn("line 4: R-Z: no such serial for Jewellery Ring", message)
        self.assertIn("Too many serial numbers: 4 entered, 2 units left to capture.", message)
        # The customer picks two units: the reservation follows the scan.
        self._capture(picking.move_ids, "R-B R-A")
        self.assertEqual(picking.move_line_ids.lot_id, lot_a | lot_b)
        picking.button_validate()
        self.assertEqual((lot_a | lot_b).mapped("serial_owner_id"), self.customer)
        self.assertEqual(lot_c.serial_state, "lost", "reported lost: out of stock")

    def test_capture_imei_units_on_a_delivery(self):
        """IMEI units are found by their database-wide key, for their product only."""
        lot = self._receive_with_capture(self.product_imei, [IMEIS[0]])
        self._receive_with_capture(self.product_imei_2, [IMEIS[1]])
        picking = self._create_picking(self.picking_type_out, self.product_imei, 1, self.customer)
        with self.assertRaisesRegex(ValidationError, f"{IMEIS[1]}: no such serial for Phone P1"):
            self._capture(picking.move_ids, IMEIS[1])
        self._capture(picking.move_ids, IMEIS[0])
        self.assertEqual(picking.move_line_ids.lot_id, lot)

    def test_hooks_for_registers(self):
        """Registers add move-line values from a GS1 scan and refuse units of their own."""
        Wizard = type(self.env["serial.capture.wizard"])
        Lot = type(self.env["stock.lot"])

        def entry_check(wizard, elements):
            if elements.get("10") == "BAD":
                return {}, "lot BAD refused"
            return {"owner_id": self.vendor.id}, None

        picking = self._create_picking(self.picking_type_in, self.product_gtin, 2, self.vendor)
        with patch.object(Wizard, "_gs1_entry_check", entry_check):
            with self.assertRaisesRegex(ValidationError, "line 2: .*: lot BAD refused"):
                self._capture(
                    picking.move_ids, "(01)04006381333931(21)H-1\n(01)04006381333931(10)BAD(21)H-2"
                )
            self._capture(picking.move_ids, "(01)04006381333931(21)H-1\n04006381333931")
        line = picking.move_line_ids.filtered(lambda ml: ml.lot_name == "H-1")
        self.assertEqual(line.owner_id, self.vendor, "values of a GS1 scan reach the line")
        typed = picking.move_line_ids.filtered(lambda ml: ml.lot_name == "04006381333931")
        self.assertFalse(typed.owner_id, "a typed serial carries nothing")
        picking.button_validate()
        out = self._create_picking(self.picking_type_out, self.product_gtin, 1, self.customer)
        with (
            patch.object(Lot, "_serial_unit_problem", lambda lot, move: f"{lot.name} is held"),
            self.assertRaisesRegex(ValidationError, "line 1: H-1: H-1 is held"),
        ):
            self._capture(out.move_ids, "H-1")
        self._capture(out.move_ids, "H-1")
        self.assertEqual(out.move_line_ids.lot_id.name, "H-1")
