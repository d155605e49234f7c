from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.serial_tracking_mrp.hooks import post_init_hook

from .common import GenealogyCase


@tagged("post_install", "-at_install")
class TestGenealogy(GenealogyCase):
    def test_direct_links_both_ways(self):
        self.assertEqual(self.ph1.serial_component_lot_ids, self.bat[1] | self.board_lot)
        self.assertEqual(self.ph1.serial_parent_lot_ids, self.kit1)
        self.assertEqual(self.bat[1].serial_parent_lot_ids, self.ph1)
        self.assertEqual(self.cell_a.serial_parent_lot_ids, self.bat[1] | self.bat[2])
        # Batch production split the order: each phone holds exactly its own battery.
        self.assertEqual(self.ph["PH-3"].serial_component_lot_ids, self.bat[3] | self.board_lot)
        self.assertEqual(
            self.board_lot.serial_parent_lot_ids,
            self.ph1 | self.ph["PH-2"] | self.ph["PH-3"] | self.ph["PH-4"],
        )

    def test_any_depth(self):
        self.assertEqual(
            self.kit1._serial_genealogy_lots("up"),
            self.ph1 | self.bat[1] | self.board_lot | self.cell_a | self.chip_a,
        )
        self.assertEqual(
            self.cell_a._serial_genealogy_lots("down"),
            self.bat[1] | self.bat[2] | self.ph1 | self.ph["PH-2"] | self.kit1,
        )
        self.assertEqual(self.kit1.serial_component_count, 5)
        action = self.cell_a.action_serial_view_parents()
        self.assertEqual(
            self.env["stock.lot"].search(action["domain"]),
            self.cell_a._serial_genealogy_lots("down"),
        )

    def test_unbuild_breaks_the_link(self):
        unbuild = self.env["mrp.unbuild"].create(
            {
                "product_id": self.kit.id,
                "bom_id": self.boms[self.kit].id,
                "lot_id": self.kit1.id,
                "mo_id": self.env["mrp.production"]
                .search([("lot_producing_id", "=", self.kit1.id)])
                .id,
                "product_qty": 1,
            }
        )
        unbuild.action_unbuild()
        self.assertEqual(unbuild.state, "done")
        self.assertFalse(self.ph1.serial_parent_lot_ids)
        self.assertFalse(self.kit1.serial_component_lot_ids)
        self.assertNotIn(self.kit1, self.cell_a._serial_genealogy_lots("down"))

    def test_cycle_ends(self):
        """A kit unbuilt, then its phone rebuilt into a kit, and that kit consumed to
        make a new cell batch: CELL-A -> ... -> KIT-1 -> CELL-A."""
        production = self.env["mrp.production"].create(
            {"product_id": self.cell.id, "product_qty": 1, "product_uom_id": self.cell.uom_id.id}
        )
        production.move_raw_ids = [
            (0, 0, {"product_id": self.kit.id, "product_uom_qty": 1, "name": "kit"})
        ]
        production.action_confirm()
        production.lot_producing_id = self.cell_a
        production.qty_producing = 1
        production._set_qty_producing(False)
        self._pick_components(production, {self.kit: [(self.kit1, 1)]})
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertIn(self.cell_a, self.kit1.serial_parent_lot_ids)
        down = self.cell_a._serial_genealogy_lots("down")
        self.assertIn(self.kit1, down)
        recall = self._scope(lot_ids=[(6, 0, self.cell_a.ids)])
        self.assertIn("KIT-1", self._by_lot(recall))
        rows = self.kit1._serial_genealogy_tree()
        self.assertLess(len(rows), 20)

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Genealogy Other Co"})
        outsider = self._create_user(
            "genealogy_outsider",
            "stock.group_stock_manager,serial_tracking.group_serial_tracking_manager",
            company=other,
        )
        self.env["stock.lot"].search([]).company_id = self.company
        Lot = self.env["stock.lot"].with_user(outsider)
        self.assertFalse(Lot.browse(self.cell_a.id)._serial_genealogy_lots("down"))
        self.assertFalse(Lot.browse(self.kit1.id)._serial_genealogy_lots("up"))
        # The recall of the outsider's company finds nothing of ours either.
        recall = (
            self.env["serial.recall"]
            .with_user(outsider)
            .create({"title": "Other", "product_ids": [(6, 0, self.cell.ids)]})
        )
        recall.action_compute_scope()
        self.assertFalse(recall.line_ids)

    def test_genealogy_pdf(self):
        rows = self.kit1._serial_genealogy_tree()
        self.assertEqual(
            [(row["depth"], row["lot"].name) for row in rows],
            [
                (0, "KIT-1"),
                (1, "PH-1"),
                (2, "BAT-1"),
                (3, "CELL-A"),
                (2, "BRD-LOT-7"),
                (3, "CHIP-A"),
            ],
        )
        leaf = rows[3]
        self.assertEqual(leaf["vendor"], self.vendor)
        self.assertEqual(leaf["receipt_date"].date().isoformat(), "2026-01-05")
        report = self.env.ref("serial_tracking_mrp.action_report_serial_genealogy")
        html = report._render_qweb_html(report.report_name, self.kit1.ids)[0].decode()
        for text in ("KIT-1", "CELL-A", "CHIP-A", self.vendor.name):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestGenealogyLinks(GenealogyCase):
    def _links(self):
        self.env.cr.execute(
            "SELECT production_id, component_lot_id, lot_id, quantity, batch_produced, "
            "shares_move FROM serial_genealogy_link ORDER BY 1, 2, 3"
        )
        return self.env.cr.fetchall()

    def test_install_links_the_orders_already_done(self):
        """Installed on a database that holds done orders, the addon links their lots
        as it would have while they were done."""
        links = self._links()
        self.assertTrue(links)
        self.env.cr.execute("DELETE FROM serial_genealogy_link")
        self.assertFalse(self.kit1._serial_genealogy_lots("up"))
        post_init_hook(self.env)
        self.assertEqual(self._links(), links)
        self.assertEqual(self.kit1.serial_component_count, 5)

    def test_quantity_and_batch_flags(self):
        production = self.env["mrp.production"].search(
            [("lot_producing_id", "=", self.board_lot.id)]
        )
        self.assertEqual(
            [link[1:] for link in self._links() if link[0] == production.id],
            [(self.chip_a.id, self.board_lot.id, 5.0, True, False)],
        )
        self.assertEqual(self.board_lot._serial_component_quantities(), {self.chip_a: 5.0})

    def _production_of(self, lot):
        return self.env["mrp.production"].search([("lot_producing_id", "=", lot.id)])

    def test_component_corrected_to_zero(self):
        """Done lines cannot be deleted: a wrong component is corrected to zero."""
        production = self._production_of(self.ph["PH-3"])
        production.action_toggle_is_locked()
        battery = production.move_raw_ids.filtered(lambda move: move.product_id == self.battery)
        battery.move_line_ids.quantity = 0
        self.assertEqual(self.ph["PH-3"].serial_component_lot_ids, self.board_lot)
        self.assertFalse(self.bat[3].serial_parent_lot_ids)

    def test_component_lot_changed_by_hand(self):
        production = self._production_of(self.ph["PH-3"])
        production.action_toggle_is_locked()
        battery = production.move_raw_ids.filtered(lambda move: move.product_id == self.battery)
        battery.move_line_ids.lot_id = self.bat[5]
        self.assertEqual(self.ph["PH-3"].serial_component_lot_ids, self.bat[5] | self.board_lot)
        self.assertEqual(self.bat[5].serial_parent_lot_ids, self.ph["PH-3"])
        self.assertFalse(self.bat[3].serial_parent_lot_ids)

    def test_scrap_from_an_order_is_not_part_of_it(self):
        """Odoo tags a scrap made from an order's Scrap button with the order; the
        scrapped unit was not built by it."""
        production = self._production_of(self.ph1)
        scrap = self.env["stock.scrap"].create(
            {
                "production_id": production.id,
                "product_id": self.phone.id,
                "lot_id": self.ph["PH-2"].id,
                "scrap_qty": 1,
            }
        )
        scrap.do_scrap()
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self.ph["PH-2"].serial_component_lot_ids, self.bat[2] | self.board_lot)
        self.assertEqual(self.bat[1].serial_parent_lot_ids, self.ph1)

    def test_unbuild_of_no_order_breaks_the_link(self):
        """Odoo unbuilds without an order when the product's bill of materials tracks
        no component: the unit no longer holds what its order put in it."""
        box = self.env["product.product"].create({"name": "Kit Box", "is_storable": True})
        self.boms[self.kit].sequence = 20
        self._bom(self.kit, [(box, 1)]).sequence = 10
        unbuild = self.env["mrp.unbuild"].create(
            {"product_id": self.kit.id, "lot_id": self.kit1.id, "product_qty": 1}
        )
        unbuild.action_unbuild()
        self.assertEqual(unbuild.state, "done")
        self.assertFalse(self.kit1.serial_component_lot_ids)
        self.assertNotIn(self.kit1, self.cell_a._serial_genealogy_lots("down"))

    def test_links_are_not_readable_by_users(self):
        """The links hold no company: only the genealogy's own queries, which apply
        the record rules of lots, read them."""
        user = self._create_user(
            "genealogy_links_user",
            "stock.group_stock_manager,mrp.group_mrp_manager,"
            "serial_tracking.group_serial_tracking_manager",
        )
        with self.assertRaises(AccessError):
            self.env["serial.genealogy.link"].with_user(user).search_read([], ["lot_id"])
