from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WarrantyCase

# Coverages of each unit: (start, end) periods, all ends included.
COVERS = {
    "none": [],
    "old": [(date(2024, 1, 1), date(2025, 12, 31))],
    "current": [(date(2026, 1, 1), date(2027, 12, 31))],
    "future": [(date(2027, 1, 1), date(2027, 6, 30))],
    # an earlier cover, a gap, then a later one
    "gapped": [(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 6, 1), date(2026, 12, 31))],
    # an extension continuing the standard cover
    "chained": [(date(2025, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2027, 3, 31))],
}

# Expected warranty state of each unit on each day.
EXPECTED = {
    date(2026, 2, 15): {
        "none": "none",
        "old": "expired",
        "current": "active",
        "future": "pending",
        "gapped": "active",
        "chained": "active",
    },
    date(2026, 5, 1): {
        "none": "none",
        "old": "expired",
        "current": "active",
        "future": "pending",
        "gapped": "pending",
        "chained": "active",
    },
    date(2026, 12, 31): {
        "none": "none",
        "old": "expired",
        "current": "active",
        "future": "pending",
        "gapped": "active",
        "chained": "active",
    },
    date(2027, 4, 1): {
        "none": "none",
        "old": "expired",
        "current": "active",
        "future": "active",
        "gapped": "expired",
        "chained": "expired",
    },
}


@tagged("post_install", "-at_install")
class TestWarrantyStateToday(WarrantyCase):
    """The warranty state is right on any day, searched and grouped as displayed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lots = cls._receive_numbered(cls.product, len(COVERS), prefix="WST")
        cls.units = dict(zip(COVERS, lots, strict=True))
        Warranty = cls.env["serial.warranty"]
        for key, periods in COVERS.items():
            for start, end in periods:
                Warranty.create(
                    Warranty._serial_prepare_vals(
                        cls.term_delivery, cls.product, start, lot=cls.units[key], date_end=end
                    )
                )
        # A voided coverage does not count.
        voided = Warranty.create(
            Warranty._serial_prepare_vals(
                cls.term_delivery, cls.product, date(2026, 1, 1), lot=cls.units["none"]
            )
        )
        voided._serial_void("manual")
        cls.lots = lots

    def test_stored_cover_of_each_unit(self):
        expected = {
            "none": (False, False, False),
            "old": (date(2024, 1, 1), date(2025, 12, 31), False),
            "current": (date(2026, 1, 1), date(2027, 12, 31), False),
            "future": (date(2027, 1, 1), date(2027, 6, 30), False),
            "gapped": (date(2026, 6, 1), date(2026, 12, 31), True),
            "chained": (date(2025, 1, 1), date(2027, 3, 31), False),
        }
        for key, lot in self.units.items():
            self.assertEqual(
                (lot.serial_warranty_start, lot.serial_warranty_end, lot.serial_warranty_gapped),
                expected[key],
                key,
            )
        # The same values as the upgrade from a version that stored the state computes.
        self.env.cr.execute(self.env["stock.lot"]._serial_warranty_cover_sql())
        self.env.invalidate_all()
        for key, lot in self.units.items():
            self.assertEqual(
                (
                    lot.serial_warranty_start,
                    lot.serial_warranty_end,
                    bool(lot.serial_warranty_gapped),
                ),
                expected[key],
                key,
            )

    def _states(self, lots):
        return {key: lot.serial_warranty_state for key, lot in self.units.items() if lot in lots}

    def _search(self, operator, value):
        found = self.env["stock.lot"].search(
            [("id", "in", self.lots.ids), ("serial_warranty_state", operator, value)]
        )
        return {key for key, lot in self.units.items() if lot in found}

    def test_state_on_any_day_without_scheduled_action(self):
        self.assertFalse(
            self.env["ir.actions.server"].search([("code", "ilike", "_cron_refresh_state")]),
            "no scheduled action is needed to keep the state right",
        )
        for day, expected in EXPECTED.items():
            with self.subTest(day=day), freeze_time(day):
                self.env.invalidate_all()  # a new request on that day
                self.assertEqual(self._states(self.lots), expected)
                for state in ("none", "pending", "active", "expired"):
                    keys = {key for key, value in expected.items() if value == state}
                    self.assertEqual(self._search("=", state), keys, state)
                    self.assertEqual(self._search("!=", state), set(expected) - keys, state)
                self.assertEqual(
                    self._search("in", ["active", "pending"]),
                    {key for key, value in expected.items() if value in ("active", "pending")},
                )
                self.assertEqual(
                    self._search("not in", ["none", "expired"]),
                    {key for key, value in expected.items() if value in ("active", "pending")},
                )

    def test_group_by_state_counts_what_is_displayed(self):
        for day, expected in EXPECTED.items():
            with self.subTest(day=day), freeze_time(day):
                self.env.invalidate_all()
                groups = self.env["stock.lot"]._read_group(
                    [("id", "in", self.lots.ids)], ["serial_warranty_state"], ["__count"]
                )
                counts = {}
                for value in expected.values():
                    counts[value] = counts.get(value, 0) + 1
                self.assertEqual(dict(groups), counts)
                # the web client's grouped list: groups ordered, labels given
                web = self.env["stock.lot"].web_read_group(
                    [("id", "in", self.lots.ids)],
                    ["serial_warranty_state"],
                    ["serial_warranty_state"],
                )
                self.assertEqual(
                    {
                        g["serial_warranty_state"]: g["serial_warranty_state_count"]
                        for g in web["groups"]
                    },
                    counts,
                )

    def test_coverage_state_search_and_group_match_compute(self):
        Warranty = self.env["serial.warranty"]
        coverages = self.lots.serial_warranty_ids
        for day in EXPECTED:
            with self.subTest(day=day), freeze_time(day):
                self.env.invalidate_all()
                by_state = {}
                for coverage in coverages:
                    by_state.setdefault(coverage.state, Warranty)
                    by_state[coverage.state] |= coverage
                for state in ("pending", "active", "expired", "void"):
                    found = Warranty.search([("id", "in", coverages.ids), ("state", "=", state)])
                    self.assertEqual(found, by_state.get(state, Warranty), state)
                groups = Warranty._read_group([("id", "in", coverages.ids)], ["state"], ["__count"])
                self.assertEqual(
                    dict(groups), {state: len(found) for state, found in by_state.items()}
                )

    def test_view_filters(self):
        """The filters of the Lots/Serial Numbers search view, as the web client sends them."""
        with freeze_time(date(2026, 12, 10)):
            self.env.invalidate_all()
            Lot = self.env["stock.lot"]
            base = [("id", "in", self.lots.ids)]
            under = Lot.search(base + [("serial_warranty_state", "=", "active")])
            self.assertEqual(
                under, self.units["current"] | self.units["gapped"] | self.units["chained"]
            )
            expiring = Lot.search(
                base
                + [
                    ("serial_warranty_state", "=", "active"),
                    ("serial_warranty_end", "<=", date(2027, 1, 9)),
                ]
            )
            self.assertEqual(expiring, self.units["gapped"], "ends on 31 December")
            expired = Lot.search(base + [("serial_warranty_state", "=", "expired")])
            self.assertEqual(expired, self.units["old"])

    def test_today_is_each_company_own(self):
        """On 31 March at noon UTC it is already 1 April in Auckland."""
        other = self.env["res.company"].create({"name": "Kiwi Phones"})
        other.partner_id.tz = "Pacific/Auckland"
        product = self.env["product.product"].create(
            {
                "name": "Kiwi Phone",
                "is_storable": True,
                "tracking": "serial",
                "company_id": other.id,
            }
        )
        kiwi = self.env["stock.lot"].create(
            {"name": "KIWI-1", "product_id": product.id, "company_id": other.id}
        )
        term = self.env["serial.warranty.term"].create(
            {"name": "Kiwi term", "duration": 1, "company_id": other.id}
        )
        Warranty = self.env["serial.warranty"]
        Warranty.create(
            Warranty._serial_prepare_vals(
                term, product, date(2026, 1, 1), lot=kiwi, company=other, date_end=date(2026, 3, 31)
            )
        )
        local = self.units["gapped"]  # its first cover ends on 31 March too (UTC company)
        both = kiwi | local
        with freeze_time("2026-03-31 12:00:00"):
            self.env.invalidate_all()
            self.assertEqual(kiwi.serial_warranty_state, "expired")
            self.assertEqual(local.serial_warranty_state, "active")
            Lot = self.env["stock.lot"]
            self.assertEqual(
                Lot.search([("id", "in", both.ids), ("serial_warranty_state", "=", "expired")]),
                kiwi,
            )
            self.assertEqual(
                Lot.search([("id", "in", both.ids), ("serial_warranty_state", "=", "active")]),
                local,
            )
            self.assertEqual(
                dict(
                    Lot._read_group(
                        [("id", "in", both.ids)], ["serial_warranty_state"], ["__count"]
                    )
                ),
                {"expired": 1, "active": 1},
            )
            self.assertEqual(kiwi.serial_warranty_ids.state, "expired")
            self.assertEqual(
                Warranty.search([("lot_id", "in", both.ids), ("state", "=", "active")]).lot_id,
                local,
            )

    def test_state_cannot_be_written(self):
        with self.assertRaises(AccessError):
            self.units["old"].write({"serial_warranty_state": "active"})
        with self.assertRaises(AccessError):
            self.units["old"].serial_warranty_ids.write({"state": "active"})
        with self.assertRaises(AccessError):
            self.units["old"].write({"serial_warranty_end": date(2030, 1, 1)})
