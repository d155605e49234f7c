"""What the screens, reports and portal show (issue #17, "Screens").

The views are read as the web client gets them (``get_view``) and their ``invisible``
and ``column_invisible`` expressions evaluated on the values of a record, so that a
test sees the words and columns a person sees.
"""

import re
from datetime import date, datetime
from types import SimpleNamespace

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import RecallCase, SerialTourCase, SerialTrackingCase, WarrantyCase


def get_arch(env, model, view_type, view=None):
    """The arch of ``view`` (xml id; default view if None) as the web client gets it."""
    view_id = env.ref(view).id if view else None
    return etree.fromstring(env[model].get_view(view_id, view_type)["arch"])


def is_hidden(node, values, attribute="invisible"):
    expression = node.get(attribute)
    if not expression:
        return False
    return bool(safe_eval(expression, values))


def visible_text(node, values):
    """The words of ``node`` a reader sees: hidden parts skipped, fields shown by their
    value in ``values`` (a string, or nothing when falsy)."""
    if is_hidden(node, values):
        return ""
    parts = []
    if node.tag == "field":
        parts.append(values.get(node.get("name")) or "")
    elif node.tag not in ("label", "button") and node.text:
        parts.append(node.text)
    for child in node:
        parts.append(visible_text(child, values))
        parts.append(child.tail or "")  # the tail belongs to the parent
    return " ".join(" ".join(parts).split())


def html_text(html):
    """Text of rendered HTML, tags removed and white space folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def list_columns(list_node):
    """``{field name: node}`` of the columns of a list arch, in order."""
    return {node.get("name"): node for node in list_node.iterchildren("field")}


@tagged("post_install", "-at_install")
class TestScreenLists(RecallCase):
    """Lists show the serial: first, readable, without columns that are rarely used."""

    def test_recall_unit_names_start_with_the_serial(self):
        recall = self._create_recall(lot_ids=[Command.set(self.w["W5"].ids)])
        recall.action_compute_scope()
        line = recall.line_ids
        self.assertEqual(line.display_name, f"W5 ({recall.name})")
        # The Resolve wizard's tags are these names.
        action = line.action_resolve_wizard()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(wizard.line_ids.mapped("display_name"), [f"W5 ({recall.name})"])

    def test_recalled_units_show_the_serial_first_and_the_campaign_reference(self):
        recall = self._create_recall(product_ids=[Command.set(self.widget.ids)])
        recall.action_compute_scope()
        columns = list_columns(
            get_arch(
                self.env,
                "serial.recall.line",
                "list",
                "serial_tracking.serial_recall_line_view_list",
            )
        )
        shown = [name for name, node in columns.items() if node.get("optional") != "hide"]
        self.assertEqual(shown[0], "lot_id")
        for name in ("to_contact", "return_picking_id", "lot_state"):
            self.assertEqual(columns[name].get("optional"), "hide", name)
        # What the list reads for the campaign column: its reference, not its title.
        spec = {
            "recall_id": {
                "fields": {"display_name": {}},
                "context": safe_eval(columns["recall_id"].get("context")),
            }
        }
        rows = self.env["serial.recall.line"].web_search_read(
            [("recall_id", "=", recall.id)], spec
        )["records"]
        self.assertEqual(len(rows), 15)
        self.assertEqual({row["recall_id"]["display_name"] for row in rows}, {recall.name})
        # Elsewhere the campaign keeps its title.
        self.assertEqual(recall.display_name, f"{recall.name}: Battery may overheat")

    def test_serial_units_list_keeps_rare_columns_hidden(self):
        action = self.env.ref("serial_tracking.serial_unit_action")
        self.assertEqual(action.view_id, self.env.ref("serial_tracking.serial_unit_view_list"))
        columns = list_columns(
            get_arch(self.env, "stock.lot", "list", "serial_tracking.serial_unit_view_list")
        )
        self.assertEqual(next(iter(columns)), "name")
        for name in ("serial_block_reason", "serial_blocked", "ref", "create_date"):
            self.assertEqual(columns[name].get("optional"), "hide", name)
        self.assertEqual(columns["serial_state"].get("optional"), "show")
        self.assertEqual(columns["serial_owner_id"].get("optional"), "show")

    def test_receipts_have_no_sold_serials_column(self):
        arch = get_arch(self.env, "stock.picking", "form")
        (column,) = arch.xpath(
            "//field[@name='move_ids_without_package']/list/field[@name='serial_lot_ids']"
        )

        def hidden(**parent):
            return is_hidden(column, {"parent": SimpleNamespace(**parent)}, "column_invisible")

        self.assertTrue(hidden(picking_type_code="incoming", sale_id=False))
        self.assertTrue(hidden(picking_type_code="internal", sale_id=False))
        self.assertFalse(hidden(picking_type_code="outgoing", sale_id=1))
        self.assertFalse(hidden(picking_type_code="internal", sale_id=1), "pick step")


@tagged("post_install", "-at_install")
class TestScreenSaleLines(WarrantyCase):
    def test_extended_serials_column_only_on_orders_selling_an_extension(self):
        arch = get_arch(self.env, "sale.order", "form")
        (column,) = arch.xpath(
            "//field[@name='order_line']/list/field[@name='serial_extended_lot_ids']"
        )
        self.assertTrue(arch.xpath("//field[@name='serial_has_warranty_extension']"))
        order = self._sell([(self.product, 1)], confirm=False)

        def hidden():
            parent = SimpleNamespace(
                serial_has_warranty_extension=order.serial_has_warranty_extension
            )
            return is_hidden(column, {"parent": parent}, "column_invisible")

        self.assertTrue(hidden())
        order.order_line = [Command.create({"product_id": self.extension.id})]
        self.assertTrue(hidden() is False)


@tagged("post_install", "-at_install")
class TestScreenUnits(RecallCase):
    def test_empty_list_help_fits_an_empty_search(self):
        # Odoo shows an action's help whenever the list is empty, also for a search
        # that matches nothing: the help must not say that nothing exists yet.
        actions = self.env["ir.actions.act_window"].search([("help", "!=", False)])
        actions = actions.filtered(
            lambda action: action.get_external_id()[action.id].startswith("serial_tracking.")
        )
        self.assertTrue(actions)
        for action in actions:
            title = etree.fromstring(f"<div>{action.help}</div>").xpath("string(p[1])")
            self.assertNotIn(" yet", title, action.name)
        help_text = html_text(self.env.ref("serial_tracking.serial_unit_action").help)
        self.assertIn("No serial unit found", help_text)
        self.assertIn("No unit matches the search", help_text)

    def test_kanban_card_shows_status_owner_and_badges(self):
        card = get_arch(self.env, "stock.lot", "kanban").xpath("//t[@t-name='card']")[0]
        self.assertTrue(card.xpath(".//field[@name='serial_state']"))
        badges = card.xpath(".//div[@name='serial_badges']")[0]
        (owner,) = card.xpath(".//div[@name='serial_owner']")

        recall = self._create_recall(lot_ids=[Command.set((self.w["W5"] | self.w["W1"]).ids)])
        recall.action_compute_scope()
        recall.action_open()
        self.w["W6"].write({"serial_quarantine": True, "serial_quarantine_reason": "Dent"})
        self.w["W7"]._serial_report_loss("stolen", date(2026, 3, 1))

        def card_for(lot):
            values = {
                name: lot[name]
                for name in (
                    "serial_product_tracking",
                    "serial_loss_state",
                    "serial_recalled",
                    "serial_quarantine",
                )
            }
            values["serial_owner_id"] = lot.serial_owner_id.id
            values["serial_state"] = lot.serial_state
            shown = {
                span.text for span in badges.iterchildren("span") if not is_hidden(span, values)
            }
            return shown, not is_hidden(owner, values)

        self.assertEqual(card_for(self.w["W5"]), ({"Recalled"}, False))
        self.assertEqual(card_for(self.w["W1"]), ({"Recalled"}, True))
        self.assertEqual(card_for(self.w["W6"]), ({"Quarantine"}, False))
        self.assertEqual(card_for(self.w["W7"]), ({"Stolen"}, False))
        self.assertEqual(card_for(self.w["W8"]), (set(), False))
        self.assertEqual(card_for(self.w["W2"]), (set(), True))


@tagged("post_install", "-at_install")
class TestScreenDates(WarrantyCase):
    """Dates written in messages follow the user's language format."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lang = cls.env["res.lang"]._lang_get(cls.env.user.lang)
        lang.date_format = "%d/%m/%Y"
        cls.lot = cls._receive_numbered(cls.product, 1, prefix="DATE")
        cls._deliver(cls.lot, cls.customer)

    def test_loss_report_date_in_the_chatter(self):
        unit = self._receive_numbered(self.product, 1, prefix="LOSS")
        unit._serial_report_loss("lost", date(2026, 3, 1), "PV-1")
        body = unit.message_ids[0].body
        self.assertIn("01/03/2026", body)
        self.assertNotIn("2026-03-01", body)

    def test_transfer_wizard_dates(self):
        wizard = self.env["serial.transfer.wizard"].create(
            {"lot_ids": [Command.set(self.lot.ids)], "partner_id": self.customer_2.id}
        )
        end = self.lot.serial_warranty_end
        self.assertIn(end.strftime("%d/%m/%Y"), wizard.warranty_info)
        self.assertNotIn(str(end), wizard.warranty_info)
        # A transfer dated before the current ownership started is refused, saying
        # when, on the user's calendar: 23:30 UTC is already the next day in Brussels.
        self.env.user.tz = "Europe/Brussels"
        current = self.lot.serial_ownership_ids.filtered(lambda o: not o.date_end)
        current.date_start = datetime(2026, 3, 1, 23, 30)
        wizard.date = date(2026, 2, 20)
        with self.assertRaisesRegex(UserError, "since 02/03/2026, after the transfer date"):
            wizard.action_confirm()


@tagged("post_install", "-at_install")
class TestScreenRegistry(SerialTrackingCase):
    def test_registry_has_its_own_list_and_search(self):
        action = self.env.ref("serial_tracking.serial_registry_action")
        list_view = self.env.ref("serial_tracking.serial_registry_view_list")
        self.assertEqual(action.view_id, list_view)
        self.assertEqual(
            action.search_view_id, self.env.ref("serial_tracking.serial_registry_view_search")
        )
        self.assertFalse(safe_eval(action.context).get("create", True))
        arch = get_arch(self.env, "stock.lot", "list", "serial_tracking.serial_registry_view_list")
        self.assertEqual(arch.get("create"), "0")
        columns = list_columns(arch)
        self.assertEqual(
            [name for name, node in columns.items() if node.get("optional") != "hide"],
            [
                "name",
                "product_id",
                "serial_loss_state",
                "serial_loss_date",
                "serial_loss_reference",
                "serial_owner_id",
            ],
        )
        self.assertEqual(columns["serial_loss_state"].get("string"), "Reported As")

        stolen, lost, other = self._receive_units(self.product_free, ["REG-1", "REG-2", "REG-3"])
        stolen._serial_report_loss("stolen", date(2026, 3, 1), "PV-1")
        lost._serial_report_loss("lost", date(2026, 3, 2))
        search = get_arch(
            self.env, "stock.lot", "search", "serial_tracking.serial_registry_view_search"
        )
        registry = safe_eval(action.domain)
        found = {}
        for name in ("serial_stolen", "serial_lost"):
            (node,) = search.xpath(f"//filter[@name='{name}']")
            found[name] = self.env["stock.lot"].search(registry + safe_eval(node.get("domain")))
        self.assertEqual(found["serial_stolen"] & (stolen | lost | other), stolen)
        self.assertEqual(found["serial_lost"] & (stolen | lost | other), lost)
        self.assertTrue(search.xpath("//filter[@name='group_by_serial_loss_state']"))


@tagged("post_install", "-at_install")
class TestScreenRecalls(RecallCase):
    def _form(self):
        return get_arch(self.env, "serial.recall", "form")

    def test_close_and_cancel_buttons(self):
        form = self._form()
        (close,) = form.xpath("//button[@name='action_close_wizard']")
        self.assertEqual(close.get("string"), "Close Campaign")
        (cancel,) = form.xpath("//button[@name='action_cancel']")
        self.assertTrue(is_hidden(cancel, {"id": False, "state": "draft"}))
        self.assertFalse(is_hidden(cancel, {"id": 7, "state": "draft"}))
        self.assertFalse(is_hidden(cancel, {"id": 7, "state": "open"}))

    def test_scope_words_only_for_the_ends_given(self):
        form = self._form()
        (serials,) = form.xpath("//div[@name='serial_range']")
        (window,) = form.xpath("//div[@name='receipt_window']")

        def serial_range(state, start=False, end=False):
            values = {"state": state, "serial_from": start, "serial_to": end}
            return visible_text(serials, values)

        self.assertEqual(serial_range("open", "W3", "W9"), "W3 to W9")
        self.assertEqual(serial_range("open", "W3"), "from W3")
        self.assertEqual(serial_range("open", end="W9"), "up to W9")
        self.assertEqual(serial_range("open"), "")
        self.assertEqual(serial_range("draft"), "to", "the words between the inputs")

        def receipts(state, start=False, end=False):
            values = {"state": state, "receipt_date_from": start, "receipt_date_to": end}
            return visible_text(window, values)

        self.assertEqual(
            receipts("closed", "01/02/2026", "02/02/2026"), "01/02/2026 and 02/02/2026"
        )
        self.assertEqual(receipts("closed", "01/02/2026"), "on or after 01/02/2026")
        self.assertEqual(receipts("closed", end="02/02/2026"), "on or before 02/02/2026")
        self.assertEqual(receipts("closed"), "")

    def test_summary_report_scope_words(self):
        recall = self._create_recall(serial_from="W13", receipt_date_from=date(2026, 3, 1))
        recall.action_compute_scope()
        self.assertEqual(set(recall.line_ids.lot_id.mapped("name")), {"W13", "W14", "W15"})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("serial_tracking.report_serial_recall_summary", recall.ids)[0]
            .decode()
        )
        text = html_text(html)
        self.assertIn("Serials from W13 on", text)
        self.assertIn("Received on or after", text)
        self.assertNotIn(" to …", text)
        self.assertNotIn("between", text)

    def test_notice_of_a_campaign_without_customers_says_so(self):
        recall = self._create_recall(lot_ids=[Command.set(self.w["W6"].ids)])
        recall.action_compute_scope()
        recall.action_open()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("serial_tracking.report_serial_recall_notice", recall.ids)[0]
            .decode()
        )
        text = html_text(html)
        self.assertIn("No customer holds a unit of this campaign", text)
        self.assertIn(recall.name, text)

    def test_kanban_columns_in_lifecycle_order(self):
        recalls = {
            state: self._create_recall(lot_ids=[Command.set(self.w[serial].ids)])
            for state, serial in (
                ("draft", "W5"),
                ("open", "W6"),
                ("closed", "W7"),
                ("cancelled", "W8"),
            )
        }
        for state in ("open", "closed", "cancelled"):
            recalls[state].action_compute_scope()
            recalls[state].action_open()
        recalls["closed"].line_ids._resolve("repaired")
        recalls["closed"].action_close()
        recalls["cancelled"].action_cancel()
        ids = [recall.id for recall in recalls.values()]
        groups = self.env["serial.recall"].web_read_group(
            [("id", "in", ids)], ["state"], ["state"]
        )["groups"]
        self.assertEqual(
            [group["state"] for group in groups], ["draft", "open", "closed", "cancelled"]
        )
        groups = self.env["serial.recall.line"].web_read_group(
            [("recall_id", "in", ids)], ["state"], ["state"]
        )["groups"]
        self.assertEqual(
            [group["state"] for group in groups],
            ["pending", "notified", "returned", "resolved", "unreachable"],
        )

    def test_inspected_ok_on_one_line(self):
        for view in (
            "serial_tracking.serial_recall_resolve_wizard_view_form",
            "serial_tracking.serial_recall_close_wizard_view_form",
        ):
            arch = etree.fromstring(self.env.ref(view).arch)
            self.assertEqual(
                arch.xpath("//span[hasclass('text-nowrap')]/text()"), ["Inspected OK"], view
            )
        columns = list_columns(
            get_arch(
                self.env,
                "serial.recall.line",
                "list",
                "serial_tracking.serial_recall_line_view_list",
            )
        )
        self.assertIn("text-nowrap", columns["resolution"].get("class"))
        recall = self._create_recall(lot_ids=[Command.set(self.w["W5"].ids)])
        recall.action_compute_scope()
        recall.action_open()
        recall.line_ids._resolve("inspected_ok")
        self.assertIn("Resolved as Inspected OK: W5", recall.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestScreenPortal(HttpCase, SerialTrackingCase):
    def test_recall_tile_counts_recalls(self):
        product = self._create_serial_product("Portal Tile Kettle")
        lots = self._receive_units(product, ["TILE-1", "TILE-2", "TILE-3"])
        self._deliver(lots, self.customer)
        recall = self.env["serial.recall"].create(
            {"title": "Kettle lid may detach", "product_ids": [Command.set(product.ids)]}
        )
        recall.action_compute_scope()
        recall.action_open()
        portal = self._create_user("tile_portal", "base.group_portal", partner_id=self.customer.id)
        self.authenticate(portal.login, portal.login)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["serial_recall_count"]})
        self.assertEqual(counters["serial_recall_count"], 1)


@tagged("post_install", "-at_install")
class TestScreenSerialUnitsTour(SerialTourCase):
    def test_serial_is_the_widest_column(self):
        product = self._create_serial_product("Smartphone X200 128 GB Midnight Blue", "imei")
        owner = self.env["res.partner"].create(
            {"name": "Handset Wholesale International Trading Company Ltd"}
        )
        # Not the demo data's IMEIs: the suite also runs on a database with demo data.
        lots = self._receive_units(product, ["358765432100010", "358765432100028"])
        self._deliver(lots[0], owner)
        recall = self.env["serial.recall"].create(
            {
                "title": "Battery may swell after a firmware update in cold weather",
                "lot_ids": [Command.set(lots.ids)],
            }
        )
        recall.action_compute_scope()
        recall.action_open()
        # The Serial Units action and its views, on this test's units only.
        action = self.env.ref("serial_tracking.serial_unit_action").copy(
            {"domain": [("product_id", "=", product.id)]}
        )
        self.start_tour(
            f"/odoo/action-{action.id}", "serial_tracking_serial_units_tour", login="admin"
        )
