import contextlib
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.serial_recall import natural_key
from .common import RecallCase


@tagged("post_install", "-at_install")
class TestRecallScope(RecallCase):
    def _scope(self, **vals):
        recall = self._create_recall(**vals)
        recall.action_compute_scope()
        return recall, set(recall.line_ids.lot_id.mapped("name"))

    def test_natural_key(self):
        self.assertLess(natural_key("SN9"), natural_key("SN10"))
        self.assertLess(natural_key("SN10"), natural_key("SNA1"))
        self.assertLess(natural_key("SN"), natural_key("SN0"))
        self.assertEqual(natural_key("IP200-0007"), ("IP200-", 1, "7"))
        self.assertLess(natural_key("SN" + "9" * 5000), natural_key("SN1" + "0" * 5000))

    def test_scope_products(self):
        recall, names = self._scope(product_ids=[(6, 0, self.gadget.ids)])
        self.assertEqual(names, {"G1", "G2", "G3"})
        by_lot = {line.lot_id.name: line for line in recall.line_ids}
        self.assertEqual(by_lot["G1"].location_kind, "customer")
        self.assertEqual(by_lot["G1"].partner_id, self.customer)
        self.assertEqual(by_lot["G2"].location_kind, "stock")
        self.assertFalse(by_lot["G2"].partner_id)
        self.assertEqual(set(recall.line_ids.mapped("state")), {"pending"})
        self.assertEqual(recall.line_ids.product_id, self.gadget)
        self.assertEqual(
            (recall.unit_count, recall.in_stock_count, recall.at_customer_count), (3, 2, 1)
        )

    def test_scope_explicit_lots_and_product(self):
        __, names = self._scope(lot_ids=[(6, 0, (self.w["W5"] | self.g["G2"]).ids)])
        self.assertEqual(names, {"W5", "G2"})
        # Criteria combine with AND.
        __, names = self._scope(
            lot_ids=[(6, 0, (self.w["W5"] | self.g["G2"]).ids)],
            product_ids=[(6, 0, self.widget.ids)],
        )
        self.assertEqual(names, {"W5"})

    def test_scope_natural_range(self):
        # Text order would put W10..W12 before W2 and miss W9 < W10.
        __, names = self._scope(serial_from="W9", serial_to="W11")
        self.assertEqual(names, {"W9", "W10", "W11"})
        __, names = self._scope(product_ids=[(6, 0, self.widget.ids)], serial_from="W13")
        self.assertEqual(names, {"W13", "W14", "W15"})
        # A single end stays within its series (here "W"): W1, W2, not G1 or others.
        __, names = self._scope(serial_to="W2")
        self.assertEqual(names, {"W1", "W2"})
        __, names = self._scope(serial_from="G2")
        self.assertEqual(names, {"G2", "G3"})
        # Bounds need not exist as serials; across products without products given.
        __, names = self._scope(serial_from="G0", serial_to="G2")
        self.assertEqual(names, {"G1", "G2"})

    def test_scope_range_errors(self):
        with self.assertRaises(ValidationError):
            self._create_recall(serial_from="W10", serial_to="W9")
        recall = self._create_recall(
            product_ids=[(6, 0, self.widget.ids)], serial_from="G1", serial_to="W3"
        )
        with self.assertRaisesRegex(UserError, "G1 is a serial of Recall Gadget"):
            recall.action_compute_scope()
        self.assertFalse(recall.line_ids)

    def test_scope_receipt_window_and_vendors(self):
        __, names = self._scope(
            receipt_date_from=date(2026, 3, 1), receipt_date_to=date(2026, 3, 31)
        )
        self.assertEqual(names, {"W13", "W14", "W15"})
        __, names = self._scope(receipt_date_to=date(2026, 1, 15))
        self.assertEqual(names, {f"W{i}" for i in range(1, 13)})
        __, names = self._scope(vendor_ids=[(6, 0, self.vendor.ids)])
        self.assertEqual(names, {f"W{i}" for i in range(1, 13)} | {"G1", "G2", "G3"})
        # Everything at once.
        __, names = self._scope(
            vendor_ids=[(6, 0, self.vendor.ids)],
            product_ids=[(6, 0, self.widget.ids)],
            receipt_date_from=date(2026, 1, 1),
            receipt_date_to=date(2026, 1, 31),
            serial_from="W2",
            serial_to="W5",
            lot_ids=[(6, 0, (self.w["W3"] | self.w["W5"] | self.w["W14"]).ids)],
        )
        self.assertEqual(names, {"W3", "W5"})

    def test_scope_empty_and_repeatable(self):
        recall = self._create_recall()
        with self.assertRaisesRegex(UserError, "scope .* is empty"):
            recall.action_compute_scope()
        recall.product_ids = self.gadget
        recall.action_compute_scope()
        recall.action_compute_scope()
        self.assertEqual(len(recall.line_ids), 3)
        recall.serial_to = "G1"
        recall.action_compute_scope()
        self.assertEqual(recall.line_ids.lot_id, self.g["G1"])
        # A scope matching nothing cannot be opened.
        recall.write({"serial_from": "Z1", "serial_to": "Z2"})
        recall.action_compute_scope()
        with self.assertRaisesRegex(UserError, "no unit in its scope"):
            recall.action_open()
        self.assertEqual(recall.state, "draft")

    def test_scope_other_company_units_excluded(self):
        other = self.env["res.company"].create({"name": "Recall Other Co"})
        foreign = self.env["stock.lot"].create(
            {"name": "W99", "product_id": self.widget.id, "company_id": other.id}
        )
        __, names = self._scope(product_ids=[(6, 0, self.widget.ids)])
        self.assertNotIn(foreign.name, names)
        self.assertEqual(len(names), 15)

    def test_create_from_selected_lots(self):
        lots = self.w["W7"] | self.w["W8"]
        action = self.env["serial.recall"].action_create_from("stock.lot", lots.ids)
        form = Form(self.env["serial.recall"].with_context(**action["context"]))
        form.title = "From the lot list"
        recall = form.save()
        self.assertTrue(recall.name.startswith("RCL/"))
        recall.action_compute_scope()
        self.assertEqual(recall.line_ids.lot_id, lots)
        action = self.env["serial.recall"].action_create_from(
            "product.template", self.gadget.product_tmpl_id.ids
        )
        self.assertEqual(action["context"]["default_product_ids"], self.gadget.ids)
        receipt = (
            self.env["stock.move.line"]
            .search(
                [("lot_id", "=", self.w["W13"].id), ("location_id", "=", self.supplier_location.id)]
            )
            .picking_id
        )
        action = self.env["serial.recall"].action_create_from("stock.picking", receipt.ids)
        self.assertEqual(set(action["context"]["default_vendor_ids"]), set(self.vendor_2.ids))
        self.assertEqual(len(action["context"]["default_lot_ids"]), 3)


@tagged("post_install", "-at_install")
class TestRecallFlow(RecallCase):
    def _open_widget_recall(self, **vals):
        recall = self._create_recall(product_ids=[(6, 0, self.widget.ids)], **vals)
        recall.action_compute_scope()
        recall.action_open()
        return recall

    def test_open_blocks_notifies_once_per_customer(self):
        recall = self._open_widget_recall()
        self.assertEqual(recall.state, "open")
        self.assertEqual(recall.process_state, "done")
        in_stock = self.w["W5"]
        self.assertTrue(in_stock.serial_blocked)
        self.assertIn(f"open recall {recall.name}", in_stock.serial_block_reason)
        by_lot = {line.lot_id.name: line for line in recall.line_ids}
        self.assertEqual(by_lot["W1"].state, "notified")
        self.assertEqual(by_lot["W3"].state, "notified")
        self.assertEqual(by_lot["W5"].state, "pending")
        # The customer without email: the unit is flagged to contact another way.
        self.assertEqual(by_lot["W4"].state, "pending")
        self.assertTrue(by_lot["W4"].to_contact)
        self.assertEqual(recall.to_contact_count, 1)
        self.assertIn(self.customer_no_email.name, recall.message_ids[0].body)
        # One email per customer, listing only their own units.
        self.assertEqual(self._email_count(recall, self.customer), 1)
        self.assertEqual(self._email_count(recall, self.customer_2), 1)
        customer_msg = recall.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertIn("W1", customer_msg.body)
        self.assertIn("W2", customer_msg.body)
        self.assertNotIn("W3", customer_msg.body)
        self.assertNotIn("G1", customer_msg.body)
        customer_2_msg = recall.message_ids.filtered(lambda m: self.customer_2 in m.partner_ids)
        self.assertNotIn("W1", customer_2_msg.body)
        with self.assertRaisesRegex(UserError, "already open"):
            recall.action_open()

    def test_blocked_units_cannot_be_reserved_or_delivered(self):
        # A delivery reserved W5 and W6 before the recall of W5.
        picking = self._create_picking(self.picking_type_out, self.widget, 2, self.customer_2)
        picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": picking.move_ids.id,
                    "picking_id": picking.id,
                    "product_id": self.widget.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.customer_location.id,
                }
                for lot in self.w["W5"] | self.w["W6"]
            ]
        )
        recall = self._create_recall(lot_ids=[(6, 0, self.w["W5"].ids)])
        recall.action_compute_scope()
        recall.action_open()
        reserved = picking.move_ids.move_line_ids.lot_id
        self.assertNotIn(self.w["W5"], reserved)
        self.assertIn(self.w["W6"], reserved)
        self.assertEqual(len(reserved), 2, "another free unit is reserved instead")
        self.assertIn("Reservation undone", picking.message_ids[0].body)
        self.assertIn(recall.name, picking.message_ids[0].body)
        # Neither a manual reservation nor a delivery of the blocked unit is possible.
        with self.assertRaisesRegex(UserError, "W5"):
            picking.move_ids.move_line_ids[:1].lot_id = self.w["W5"]
        other = self._create_picking(self.picking_type_out, self.widget, 10, self.customer_2)
        other.action_assign()
        self.assertNotIn(self.w["W5"], other.move_ids.move_line_ids.lot_id)

    def test_chained_delivery_does_not_reserve_a_blocked_unit_again(self):
        # The shipping step of a two-step delivery reserves what the picking step
        # brought to the output, from core's cache of quants rather than by a search.
        self.warehouse.delivery_steps = "pick_ship"
        output = self.warehouse.wh_output_stock_loc_id
        units = self.w["W5"] | self.w["W6"]
        pick = self._create_picking(
            self.warehouse.pick_type_id, self.widget, 2, self.customer_2, location_dest=output
        )
        ship = self._create_picking(self.picking_type_out, self.widget, 2, self.customer_2, output)
        ship.move_ids.move_orig_ids = pick.move_ids
        self._validate_picking(pick, units)
        self.assertEqual(ship.move_ids.move_line_ids.lot_id, units)
        recall = self._create_recall(lot_ids=[(6, 0, self.w["W5"].ids)])
        recall.action_compute_scope()
        recall.action_open()
        self.assertEqual(ship.move_ids.move_line_ids.lot_id, self.w["W6"])
        ship.action_assign()
        self.assertEqual(ship.move_ids.move_line_ids.lot_id, self.w["W6"])
        self.assertEqual(ship.state, "assigned", "the free unit can still leave")

    def test_filtered_quant_cache_keeps_blocked_units_for_other_moves(self):
        # Core's cache of quants is shared by all the moves one assignment handles. A
        # quant created while a delivery reads the cache through the blocked-unit
        # filter is added to its key (core's ``cache[key] |= quant``): the quants the
        # filter hid must stay there for the other moves, which may take them.
        from ..models.stock_quant import UnblockedQuants

        unit = self.w["W5"]
        recall = self._create_recall(lot_ids=[(6, 0, unit.ids)])
        recall.action_compute_scope()
        recall.action_open()
        Quant = self.env["stock.quant"].sudo()
        stock = self.warehouse.lot_stock_id
        cache = Quant._get_quants_by_products_locations(self.widget, stock)
        key = (self.widget.id, stock.id, unit.id, False, False)
        held = cache[key]
        self.assertTrue(held)
        filtered = UnblockedQuants(cache)
        self.assertFalse(filtered[key], "a delivery does not see the blocked unit")
        added = Quant.with_context(quants_cache=filtered).create(
            {"product_id": self.widget.id, "location_id": stock.id, "lot_id": unit.id}
        )
        self.assertEqual(cache[key], held | added)
        self.assertFalse(filtered[key])

    def test_reserving_a_named_blocked_unit_reserves_nothing(self):
        # Chained steps and hand-picked units name the unit to reserve: a blocked one
        # is refused as when Odoo chooses the units itself.
        recall = self._create_recall(lot_ids=[(6, 0, self.w["W5"].ids)])
        recall.action_compute_scope()
        recall.action_open()
        picking = self._create_picking(self.picking_type_out, self.widget, 1, self.customer_2)
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.assertEqual(
            move._update_reserved_quantity(1, move.location_id, lot_id=self.w["W5"], strict=False),
            0,
        )
        self.assertFalse(move.move_line_ids)
        self.assertEqual(
            move._update_reserved_quantity(1, move.location_id, lot_id=self.w["W6"], strict=False),
            1,
        )
        self.assertEqual(move.move_line_ids.lot_id, self.w["W6"])

    def test_returns_resolve_close(self):
        recall = self._open_widget_recall(quarantine_location_id=self.quarantine.id)
        # Units in stock go to quarantine through one internal transfer.
        internal = recall.picking_ids.filtered(lambda p: p.picking_type_code == "internal")
        self.assertEqual(len(internal), 1)
        self.assertEqual(
            set(internal.move_line_ids.lot_id.mapped("name")),
            {f"W{i}" for i in range(5, 16)},
        )
        internal.button_validate()
        self.assertEqual(
            self.w["W5"].quant_ids.filtered(lambda q: q.quantity > 0).location_id, self.quarantine
        )

        customer_lines = recall.line_ids.filtered(lambda line: line.partner_id == self.customer)
        wizard = Form(
            self.env["serial.recall.return.wizard"].with_context(
                default_line_ids=customer_lines.ids
            )
        )
        self.assertEqual(wizard.location_dest_id, self.quarantine)
        wizard.validate = True
        wizard.save().action_confirm()
        self.assertEqual(set(customer_lines.mapped("state")), {"returned"})
        receipt = customer_lines.return_picking_id
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.partner_id, self.customer)
        self.assertEqual(self.w["W1"].serial_state, "in_stock")
        self.assertFalse(self.w["W1"].serial_owner_id)
        self.assertTrue(self.w["W1"].serial_blocked)
        with self.assertRaisesRegex(UserError, "still at a customer"):
            customer_lines._register_returns(self.stock_location)

        destroyed = recall.line_ids.filtered(lambda line: line.lot_id.name == "W6")
        self.env["serial.recall.resolve.wizard"].create(
            {
                "line_ids": [(6, 0, (recall.line_ids - destroyed).ids)],
                "resolution": "repaired",
                "date_resolved": date(2026, 5, 1),
            }
        ).action_confirm()
        destroyed._resolve("destroyed")
        self.assertEqual(recall.resolved_count, 15)
        self.assertEqual(recall.resolved_rate, 100.0)
        self.assertTrue(self.w["W5"].serial_blocked, "released only at closing")
        recall.action_close()
        self.assertEqual(recall.state, "closed")
        self.assertFalse(self.w["W5"].serial_blocked)
        self.assertFalse(self.w["W1"].serial_blocked)
        self.assertTrue(self.w["W6"].serial_blocked)
        self.assertIn(f"destroyed in recall {recall.name}", self.w["W6"].serial_block_reason)
        # Units repaired and released while still at a customer stay where they are.
        self.assertEqual(self.w["W3"].serial_owner_id, self.customer_2)
        self.assertFalse(self.w["W3"].serial_blocked)
        with self.assertRaisesRegex(UserError, "already resolved; release them"):
            destroyed._resolve("repaired")

    def test_close_refused_then_forced(self):
        recall = self._open_widget_recall()
        recall.line_ids.filtered(lambda line: line.lot_id.name == "W5")._resolve("inspected_ok")
        recall.line_ids.filtered(lambda line: line.lot_id.name == "W4").action_mark_unreachable()
        with self.assertRaisesRegex(UserError, "13 unresolved units"):
            recall.action_close()
        self.assertEqual(recall.state, "open")
        wizard = self.env["serial.recall.close.wizard"].create(
            {"recall_id": recall.id, "force_reason": "Vendor replaced the whole batch."}
        )
        wizard.action_confirm()
        self.assertEqual(recall.state, "closed")
        self.assertEqual(recall.close_reason, "Vendor replaced the whole batch.")
        self.assertFalse(self.w["W5"].serial_blocked)
        # Units never resolved stay blocked, with a reason naming the closed campaign.
        self.assertTrue(self.w["W6"].serial_blocked)
        self.assertIn("not released by recall", self.w["W6"].serial_block_reason)
        self.assertTrue(self.w["W4"].serial_blocked)

    def _force_close(self, recall):
        self.env["serial.recall.close.wizard"].create(
            {"recall_id": recall.id, "force_reason": "Vendor took over the recall."}
        ).action_confirm()
        self.assertEqual(recall.state, "closed")

    def _line(self, recall, name):
        return recall.line_ids.filtered(lambda line: line.lot_id.name == name)

    def test_units_left_by_a_forced_close_are_resolved_later(self):
        recall = self._open_widget_recall()
        picking = self._waiting_delivery(1)
        self._force_close(recall)
        unit = self.w["W6"]
        self.assertTrue(unit.serial_blocked)
        clerk = self._create_user("late_clerk", "serial_tracking.group_serial_tracking_user")
        with self.assertRaises(AccessError):
            self._line(recall, "W6").with_user(clerk)._resolve("inspected_ok")
        manager = self._create_user("late_manager", "serial_tracking.group_serial_tracking_manager")
        action = self._line(recall, "W6").with_user(manager).action_resolve_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(manager)
            .with_context(**action["context"])
            .create({"resolution": "inspected_ok", "note": "Checked at the bench."})
        )
        wizard.action_confirm()
        self.assertEqual(self._line(recall, "W6").state, "resolved")
        self.assertFalse(unit.serial_blocked, "released at once: the campaign is closed")
        self.assertIn("resolved as Inspected OK by", unit.message_ids[0].body)
        self.assertIn("W6", recall.message_ids[0].body)
        self.assertEqual(picking.move_line_ids.lot_id, unit, "a waiting delivery takes it")
        # A non-releasing resolution keeps the unit blocked.
        self._line(recall, "W7").with_user(manager)._resolve("destroyed")
        self.assertTrue(self.w["W7"].serial_blocked)

    def test_manager_releases_units_a_closed_campaign_keeps_blocked(self):
        recall = self._open_widget_recall()
        self._line(recall, "W4").action_mark_unreachable()
        self._line(recall, "W8")._resolve("destroyed")
        with self.assertRaisesRegex(UserError, "while it is open, resolve them"):
            self._line(recall, "W8")._release("found intact")
        self._force_close(recall)
        lines = self._line(recall, "W4") | self._line(recall, "W8")
        self.assertTrue(all(lines.lot_id.mapped("serial_blocked")))
        with self.assertRaisesRegex(UserError, "why"):
            lines._release(" ")
        clerk = self._create_user("rel_clerk", "serial_tracking.group_serial_tracking_user")
        with self.assertRaises(AccessError):
            lines.with_user(clerk)._release("found intact")
        lines._release("Found intact in the back store.")
        self.assertFalse(any(lines.lot_id.mapped("serial_blocked")))
        self.assertIn("Found intact in the back store.", self.w["W8"].message_ids[0].body)
        self.assertIn("Found intact in the back store.", recall.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "not blocked"):
            lines._release("again")

    def test_cancel_releases_only_campaign_blocks(self):
        self.w["W7"].write({"serial_quarantine": True, "serial_quarantine_reason": "damaged"})
        recall = self._open_widget_recall()
        self.assertIn("open recall", self.w["W7"].serial_block_reason)
        recall.action_cancel()
        self.assertEqual(recall.state, "cancelled")
        self.assertFalse(self.w["W5"].serial_blocked)
        self.assertTrue(self.w["W7"].serial_blocked)
        self.assertEqual(self.w["W7"].serial_block_reason, "quarantine: damaged")
        self.assertFalse(self.g["G2"].serial_blocked, "never in scope")
        with self.assertRaisesRegex(UserError, "campaign is open"):
            recall.line_ids[:1]._resolve("repaired")
        with self.assertRaises(UserError):
            recall.action_cancel()

    def _waiting_delivery(self, qty):
        picking = self._create_picking(self.picking_type_out, self.widget, qty, self.customer_2)
        picking.action_assign()
        self.assertFalse(picking.move_line_ids, "every widget in stock is blocked")
        return picking

    def test_cancel_lets_waiting_deliveries_reserve_again(self):
        recall = self._open_widget_recall()
        picking = self._waiting_delivery(2)
        # Another product's delivery, unreserved on purpose: none of the recall's business.
        gadgets = self._create_picking(self.picking_type_out, self.gadget, 1, self.customer_2)
        gadgets.action_assign()
        gadgets.do_unreserve()
        recall.action_cancel()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(len(picking.move_line_ids.lot_id), 2)
        self.assertFalse(gadgets.move_line_ids)

    def test_close_reserves_only_released_units(self):
        recall = self._open_widget_recall()
        picking = self._waiting_delivery(3)
        released = self.w["W7"] | self.w["W8"]
        lines = recall.line_ids
        lines.filtered(lambda line: line.lot_id in released)._resolve("inspected_ok")
        lines.filtered(lambda line: line.lot_id not in released)._resolve("destroyed")
        recall.action_close()
        self.assertEqual(picking.move_line_ids.lot_id, released, "destroyed units stay blocked")
        self.assertEqual(picking.state, "assigned", "partially available, shipping allowed")

    def test_two_overlapping_campaigns(self):
        first = self._create_recall(serial_from="W5", serial_to="W8")
        first.action_compute_scope()
        first.action_open()
        second = self._create_recall(serial_from="W7", serial_to="W10", title="Second defect")
        second.action_compute_scope()
        second.action_open()
        w7 = self.w["W7"]
        self.assertIn(first.name, w7.serial_block_reason)
        self.assertIn(second.name, w7.serial_block_reason)
        first.line_ids._resolve("repaired")
        first.action_close()
        self.assertFalse(self.w["W5"].serial_blocked)
        self.assertTrue(w7.serial_blocked, "still in the second campaign")
        self.assertNotIn(first.name, w7.serial_block_reason)
        second.action_cancel()
        self.assertFalse(w7.serial_blocked)
        self.assertFalse(self.w["W9"].serial_blocked)

    def test_reports_render(self):
        recall = self._open_widget_recall()
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("serial_tracking.report_serial_recall_notice", recall.ids)[
            0
        ].decode()
        self.assertIn(self.customer.name, html)
        self.assertIn(self.customer_2.name, html)
        html = Report._render_qweb_html("serial_tracking.report_serial_recall_summary", recall.ids)[
            0
        ].decode()
        self.assertIn(recall.name, html)
        self.assertIn("Notified", html)
        self.assertIn("W15", html)


@tagged("post_install", "-at_install")
class TestRecallBackground(RecallCase):
    def test_large_campaign_resumes_without_duplicates(self):
        self.env["ir.config_parameter"].sudo().set_param("serial_tracking.recall_sync_limit", 3)
        recall = self._create_recall(product_ids=[(6, 0, self.widget.ids)])
        recall.action_compute_scope()
        recall.action_open()
        self.assertEqual(recall.state, "open")
        self.assertEqual(recall.process_state, "running")
        # Every unit is blocked at once; the rest follows batch after batch.
        self.assertTrue(self.w["W5"].serial_blocked)
        self.assertIn(recall.name, self.w["W5"].serial_block_reason)
        self.assertEqual(self._email_count(recall, self.customer), 0)
        # A batch interrupted by a crash leaves nothing behind (one transaction).
        with contextlib.suppress(RuntimeError), self.env.cr.savepoint():
            self.env["serial.recall"]._cron_process_open(batch_size=2)
            raise RuntimeError("worker killed")
        self.env.invalidate_all()
        self.assertEqual(recall.process_done_count, 0)
        self.assertEqual(self._email_count(recall, self.customer), 0)
        # A first batch, as if the server stopped right after it.
        done = self.env["serial.recall"]._cron_process_open(batch_size=2)
        # The customer's two units come first and together; customer_2's next.
        self.assertEqual(done, 2)
        self.assertEqual(recall.process_done_count, 2)
        self.assertEqual(self._email_count(recall, self.customer), 1)
        self.assertEqual(self._email_count(recall, self.customer_2), 0)
        # Resume until finished.
        for __ in range(20):
            if recall.process_state == "done":
                break
            self.env["serial.recall"]._cron_process_open(batch_size=2)
        self.assertEqual(recall.process_state, "done")
        self.assertEqual(recall.process_rate, 100.0)
        self.assertEqual(self._email_count(recall, self.customer), 1)
        self.assertEqual(self._email_count(recall, self.customer_2), 1)
        self.assertEqual(len(recall.line_ids), 15)
        self.assertTrue(all(recall.line_ids.mapped("blocking")))
        self.assertTrue(self.w["W15"].serial_blocked)
        finished = recall.message_ids.filtered(lambda m: "Campaign opened" in (m.body or ""))
        self.assertEqual(len(finished), 1)
        # Running the job again does nothing.
        self.assertEqual(self.env["serial.recall"]._cron_process_open(batch_size=2), 0)
        self.assertEqual(self._email_count(recall, self.customer), 1)

    def test_cron_record_runs_the_job(self):
        cron = self.env.ref("serial_tracking.ir_cron_serial_recall_open")
        self.assertEqual(cron.model_id.model, "serial.recall")
        self.env["ir.config_parameter"].sudo().set_param("serial_tracking.recall_sync_limit", 1)
        recall = self._create_recall(lot_ids=[(6, 0, (self.w["W5"] | self.w["W6"]).ids)])
        recall.action_compute_scope()
        recall.action_open()
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        cron.method_direct_trigger()
        self.assertEqual(recall.process_state, "done")
        self.assertTrue(self.w["W6"].serial_blocked)
