from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BAD_IMEI, IMEIS, PosSerialCase


@tagged("post_install", "-at_install")
class TestPosCheck(PosSerialCase):
    """The popup's check: one call for all the serials, the reason of each refusal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot_by_name = {lot.name: lot for lot in cls.lots}
        cls.other_company = cls.env["res.company"].create({"name": "Other Shop Company"})
        cls.other_pos_user = cls._create_user(
            "st_other_pos_user",
            "base.group_user,point_of_sale.group_pos_user",
            company=cls.other_company,
        )

    def _check(self, codes, user=None, product=None, config=None):
        Lot = self.env["stock.lot"].with_user(user or self.pos_user)
        return Lot.serial_pos_check((config or self.config).id, (product or self.phone).id, codes)

    def test_reasons(self):
        stolen = self.lot_by_name[IMEIS[1]]
        stolen._serial_report_loss("stolen", date.today())
        quarantined = self.lot_by_name[IMEIS[2]]
        quarantined.write({"serial_quarantine": True, "serial_quarantine_reason": "dropped"})
        recalled = self.lot_by_name[IMEIS[3]]
        recall = self.env["serial.recall"].create(
            {
                "title": "Battery may overheat",
                "reason": "Defective cells",
                "lot_ids": [Command.set(recalled.ids)],
            }
        )
        recall.action_compute_scope()
        recall.action_open()
        codes = [IMEIS[0], f"  {IMEIS[0]}", BAD_IMEI, IMEIS[1], IMEIS[2], IMEIS[3], IMEIS[5]]
        results = self._check(codes)
        self.assertEqual([r["code"] for r in results], codes)
        by_code = {r["code"]: r for r in results}
        self.assertTrue(by_code[IMEIS[0]]["ok"])
        self.assertFalse(by_code[IMEIS[0]]["reason"])
        self.assertIn("entered twice", by_code[f"  {IMEIS[0]}"]["reason"])
        self.assertIn("wrong IMEI check digit", by_code[BAD_IMEI]["reason"])
        self.assertIn("reported stolen", by_code[IMEIS[1]]["reason"])
        self.assertIn("quarantine: dropped", by_code[IMEIS[2]]["reason"])
        self.assertIn(f"open recall {recall.name}", by_code[IMEIS[3]]["reason"])
        self.assertIn("not in this shop", by_code[IMEIS[5]]["reason"])
        self.assertEqual([r["ok"] for r in results], [True] + [False] * 6)

    def test_gs1_scan_reads_the_serial(self):
        lot = self._receive_units(self.product_gtin, ["SN-42"])
        self.product_gtin.available_in_pos = True
        scan = "(01)04006381333931(21)SN-42"
        (result,) = self._check([scan], product=self.product_gtin)
        self.assertTrue(result["ok"], result["reason"])
        self.assertEqual(result["serial"], lot.name)
        other_gtin = "(01)04012345678901(21)SN-42"
        (result,) = self._check([other_gtin], product=self.product_gtin)
        self.assertIn("another product", result["reason"])

    def test_new_serials_allowed(self):
        self.phone.serial_pos_new_allowed = True
        results = self._check([IMEIS[5], BAD_IMEI, IMEIS[0]])
        self.assertEqual([r["ok"] for r in results], [True, False, True])

    def test_fifty_serials_in_five_queries(self):
        ring = self.product_free
        names = [f"RING-{i:03d}" for i in range(45)]
        self._receive_units(ring, names)
        codes = names + ["RING-900", "RING-901", "", "RING-902", "bad\x00code"]
        # The cashier's rights are cached once per worker, the records never.
        self._check(["RING-000"], product=ring)
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            results = self._check(codes, product=ring)
        self.assertEqual(sum(r["ok"] for r in results), 45)
        self.assertEqual(len(results), 50)

    def test_access(self):
        # Inventory users are no cashiers.
        with self.assertRaises(AccessError):
            self._check([IMEIS[0]], user=self.stock_user)
        # Another company's cashier does not reach this till.
        with self.assertRaises(AccessError):
            self._check([IMEIS[0]], user=self.other_pos_user)
        with self.assertRaises(AccessError):
            self.env["stock.lot"].with_user(self.other_pos_user).serial_pos_available(
                self.config.id, self.phone.id
            )

    def test_available_serials(self):
        self.lot_by_name[IMEIS[1]]._serial_report_loss("stolen", date.today())
        self.lot_by_name[IMEIS[2]].serial_quarantine = True
        Lot = self.env["stock.lot"].with_user(self.pos_user)
        available = Lot.serial_pos_available(self.config.id, self.phone.id)
        self.assertEqual(available, sorted([IMEIS[0], IMEIS[3]]))
        self.assertEqual(
            Lot.serial_pos_available(self.config.id, self.phone.id, search=IMEIS[3][:6]),
            [IMEIS[3]],
        )
        # Core's list of the popup leaves blocked units out too.
        lots = (
            self.env["pos.order.line"]
            .with_user(self.pos_user)
            .with_context(config_id=self.config.id)
            .get_existing_lots(self.company.id, self.phone.id)
        )
        self.assertEqual(sorted(lot["name"] for lot in lots), sorted([IMEIS[0], IMEIS[3]]))

    def test_warranty_lookup_at_the_till(self):
        lot = self.lot_by_name[IMEIS[0]]
        self._deliver(lot, self.customer)
        Lot = self.env["stock.lot"].with_user(self.pos_user)
        unit = Lot.serial_pos_warranty_info(self.config.id, IMEIS[0])
        self.assertEqual(unit["lot_id"], lot.id)
        self.assertEqual(unit["owner"], self.customer.display_name)
        # Not from another company's till, nor for inventory users who are no cashiers.
        with self.assertRaises(AccessError):
            self.env["stock.lot"].with_user(self.other_pos_user).serial_pos_warranty_info(
                self.config.id, IMEIS[0]
            )
        with self.assertRaises(AccessError):
            self.env["stock.lot"].with_user(self.stock_user).serial_pos_warranty_info(
                self.config.id, IMEIS[0]
            )

    def test_warranty_lookup_stays_in_the_company(self):
        self.env["stock.lot"].create(
            {
                "name": "OTHER-1",
                "product_id": self.product_free.id,
                "company_id": self.other_company.id,
            }
        )
        with self.assertRaisesRegex(UserError, "No unit"):
            self.env["stock.lot"].with_user(self.pos_user).serial_pos_warranty_info(
                self.config.id, "OTHER-1"
            )
