from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models.serial_warranty import covered_until
from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyDates(WarrantyCase):
    def _term(self, duration, unit):
        return self.env["serial.warranty.term"].create(
            {"name": f"{duration} {unit}", "duration": duration, "duration_unit": unit}
        )

    def test_end_is_inclusive(self):
        self.assertEqual(
            self._term(12, "month")._serial_date_end(date(2026, 3, 15)), date(2027, 3, 14)
        )
        self.assertEqual(
            self._term(30, "day")._serial_date_end(date(2026, 3, 1)), date(2026, 3, 30)
        )
        self.assertEqual(self._term(1, "day")._serial_date_end(date(2026, 3, 1)), date(2026, 3, 1))
        self.assertEqual(
            self._term(2, "year")._serial_date_end(date(2026, 1, 1)), date(2027, 12, 31)
        )

    def test_month_end_clamping(self):
        month = self._term(1, "month")
        # 31 Jan + 1 month is 28 Feb (29 in leap years): cover ends the day before.
        self.assertEqual(month._serial_date_end(date(2025, 1, 31)), date(2025, 2, 27))
        self.assertEqual(month._serial_date_end(date(2024, 1, 31)), date(2024, 2, 28))
        self.assertEqual(month._serial_date_end(date(2025, 2, 1)), date(2025, 2, 28))
        self.assertEqual(month._serial_date_end(date(2024, 2, 1)), date(2024, 2, 29))
        self.assertEqual(
            self._term(3, "month")._serial_date_end(date(2025, 11, 30)), date(2026, 2, 27)
        )

    def test_leap_years(self):
        year = self._term(1, "year")
        self.assertEqual(year._serial_date_end(date(2024, 2, 29)), date(2025, 2, 27))
        self.assertEqual(year._serial_date_end(date(2024, 3, 1)), date(2025, 2, 28))
        self.assertEqual(year._serial_date_end(date(2023, 3, 1)), date(2024, 2, 29))
        self.assertEqual(
            self._term(4, "year")._serial_date_end(date(2024, 2, 29)), date(2028, 2, 28)
        )
        self.assertEqual(
            self._term(366, "day")._serial_date_end(date(2024, 1, 1)), date(2024, 12, 31)
        )

    def test_zero_or_negative_duration_refused(self):
        for duration in (0, -3):
            with self.assertRaisesRegex(ValidationError, "between 1 and"):
                self._term(duration, "month")
        with self.assertRaisesRegex(ValidationError, "between 1 and"):
            self.term_delivery.duration = 0

    @freeze_time("2026-03-31 12:00:00")
    def test_today_in_company_time_zone(self):
        self.company.partner_id.tz = "UTC"
        self.assertEqual(self.company._serial_today(), date(2026, 3, 31))
        # Already 1 April in New Zealand (UTC+13 in March).
        self.company.partner_id.tz = "Pacific/Auckland"
        self.assertEqual(self.company._serial_today(), date(2026, 4, 1))
        # Still 31 March in Honolulu; a company without tz falls back to UTC.
        self.company.partner_id.tz = "Pacific/Honolulu"
        self.assertEqual(self.company._serial_today(), date(2026, 3, 31))
        self.company.partner_id.tz = False
        self.assertEqual(self.company._serial_today(), date(2026, 3, 31))

    def test_delivery_date_in_company_time_zone(self):
        self.company.partner_id.tz = "Pacific/Auckland"
        lot = self._receive_numbered(self.product, 1)
        with freeze_time("2026-03-31 12:00:00"):
            self._deliver(lot, self.customer)
        coverage = lot.serial_warranty_ids
        self.assertEqual(coverage.date_start, date(2026, 4, 1))
        self.assertEqual(coverage.date_end, date(2028, 3, 31))

    def test_state_follows_the_calendar(self):
        lot = self._receive_numbered(self.product, 1)
        with freeze_time("2026-01-10 09:00:00"):
            self._deliver(lot, self.customer)
            coverage = lot.serial_warranty_ids
            self.assertEqual(coverage.state, "active")
            self.assertEqual(lot.serial_warranty_state, "active")
            self.assertEqual(lot.serial_warranty_end, date(2028, 1, 9))
        with freeze_time("2028-01-09 23:00:00"):
            self.env.invalidate_all()  # a new request, on a new day
            self.assertEqual(coverage.state, "active", "the last day is covered")
        with freeze_time("2028-01-10 00:30:00"):
            self.env.invalidate_all()  # a new request, on a new day
            self.assertEqual(coverage.state, "expired")
            self.assertEqual(lot.serial_warranty_state, "expired")
            self.assertEqual(lot.serial_warranty_end, date(2028, 1, 9))
            self.assertIn(
                lot,
                self.env["stock.lot"].search([("serial_warranty_state", "=", "expired")]),
            )

    def test_future_coverage_is_pending_until_it_starts(self):
        lot = self._receive_numbered(self.product, 1)
        with freeze_time("2026-05-01"):
            coverage = self.env["serial.warranty"].create(
                self.env["serial.warranty"]._serial_prepare_vals(
                    self.term_delivery,
                    self.product,
                    date(2026, 6, 1),
                    lot=lot,
                    partner=self.customer,
                )
            )
            self.assertEqual(coverage.state, "pending")
            self.assertEqual(lot.serial_warranty_state, "pending")
        with freeze_time("2026-06-01"):
            self.env.invalidate_all()  # a new request, on a new day
            self.assertEqual(coverage.state, "active")
            self.assertEqual(lot.serial_warranty_state, "active")

    def test_covered_until_chains_contiguous_periods(self):
        day = date(2026, 6, 1)
        periods = [
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2027, 1, 1), date(2027, 6, 30)),
            (date(2027, 8, 1), date(2027, 12, 31)),  # gap: not continuous
        ]
        self.assertEqual(covered_until(periods, day), date(2027, 6, 30))
        self.assertIsNone(covered_until(periods, date(2027, 7, 15)))
        self.assertEqual(covered_until(periods, date(2027, 8, 1)), date(2027, 12, 31))
        self.assertIsNone(covered_until([], day))
