import json
import threading
import time
from datetime import date

import requests

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import HttpCase, tagged

from .common import SerialTourCase, SerialTrackingCase


class PublicCheckCase(SerialTrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_vin.name = "Roadster Secret Edition"
        cls.car, cls.clean_car = cls._receive_units(
            cls.product_vin, ["1HGCM82633A004352", "5YJSA1DG9DFP14705"]
        )
        cls._deliver(cls.car | cls.clean_car, cls.customer)
        cls.car._serial_report_loss("stolen", date(2026, 4, 3), "POL-5511", "Taken at night")
        cls.ring = cls._receive_units(cls.product_free, ["RING-LOST-1"])
        cls.ring._serial_report_loss("lost", date(2026, 4, 5), "INS-77", "Left on a train")
        # A unit of another company, which the public check sees too.
        cls.company_b = cls.env["res.company"].create({"name": "Second Shop"})
        cls.lot_b = cls.env["stock.lot"].create(
            {
                "name": "B-SHOP-SN-1",
                "product_id": cls.product_free.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.lot_b._serial_report_loss("stolen", date(2026, 4, 6), "POL-B", False)

    def _checks(self, lot):
        """Activities the public checks of ``lot`` gave the managers."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "stock.lot"),
                ("res_id", "=", lot.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("serial_tracking.mail_activity_type_serial_public_check").id,
                ),
            ]
        )


@tagged("post_install", "-at_install")
class TestPublicStatus(PublicCheckCase):
    def test_answers(self):
        Lot = self.env["stock.lot"].with_user(self.env.ref("base.public_user"))
        self.assertEqual(
            Lot._serial_public_status(self.car.name), {"found": True, "reported": "stolen"}
        )
        # VINs are stored upper-cased: a lower-case entry finds them.
        self.assertEqual(
            Lot._serial_public_status(" " + self.car.name.lower()),
            {"found": True, "reported": "stolen"},
        )
        self.assertEqual(
            Lot._serial_public_status("RING-LOST-1"), {"found": True, "reported": "lost"}
        )
        # Free serials are case-sensitive, as they are unique.
        self.assertEqual(
            Lot._serial_public_status("ring-lost-1"), {"found": False, "reported": "none"}
        )
        self.assertEqual(
            Lot._serial_public_status(self.clean_car.name), {"found": True, "reported": "none"}
        )
        self.assertEqual(
            Lot._serial_public_status("NO-SUCH-SERIAL"), {"found": False, "reported": "none"}
        )
        self.assertEqual(Lot._serial_public_status(""), {"found": False, "reported": "none"})
        # Across companies.
        self.assertEqual(
            Lot._serial_public_status("B-SHOP-SN-1"), {"found": True, "reported": "stolen"}
        )

    def test_stolen_check_alerts_managers(self):
        Lot = self.env["stock.lot"].with_user(self.env.ref("base.public_user"))
        Lot._serial_public_status(self.clean_car.name, ip="198.51.100.7", where="Pawn & Co")
        self.assertFalse(self._checks(self.clean_car))
        Lot._serial_public_status(self.car.name, ip="198.51.100.7", where="Pawn & Co, Lyon")
        activities = self._checks(self.car)
        self.assertIn(self.stock_manager, activities.user_id)
        self.assertNotIn(self.stock_user, activities.user_id)
        note = activities.filtered(lambda a: a.user_id == self.stock_manager).note
        self.assertIn("198.51.100.7", note)
        self.assertIn("Pawn &amp; Co, Lyon", note)
        log = self.car.message_ids[0]
        self.assertIn("198.51.100.7", log.body)
        self.assertIn("Pawn &amp; Co, Lyon", log.body)
        # A second check adds to the open activity instead of piling up new ones.
        Lot._serial_public_status(self.car.name, ip="203.0.113.9", where="Market stall")
        self.assertEqual(self._checks(self.car), activities)
        self.assertIn("203.0.113.9", activities[0].note)
        self.assertIn("198.51.100.7", activities[0].note)
        # Managers of another company are not told about this company's units.
        manager_b = self._create_user(
            "st_manager_b", "stock.group_stock_manager", company=self.company_b
        )
        self.assertNotIn(manager_b, activities.user_id)
        Lot._serial_public_status("B-SHOP-SN-1", ip="203.0.113.9")
        self.assertIn(manager_b, self._checks(self.lot_b).user_id)
        self.assertNotIn(self.stock_manager, self._checks(self.lot_b).user_id)

    def test_rate_limit_holds_across_transactions(self):
        """Parallel requests from one address, each in its own transaction as Odoo
        serves them, never exceed the quota."""
        ip = "192.0.2.201"
        results = []
        barrier = threading.Barrier(6)
        dbname = self.env.cr.dbname
        registry = self.registry

        def check():
            # Own connections, outside the test transaction (the registry is given:
            # the test runner holds the registries' lock).
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.transaction = api.Transaction(registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                # Like a request: the transaction has read before it counts.
                cr.execute("SELECT 1")
                barrier.wait(timeout=30)
                results.append(env["serial.check.rate"]._serial_take_slot(ip, limit=3))
                time.sleep(0.2)  # the request goes on, holding its transaction open
                cr.commit()  # pylint: disable=invalid-commit

        def cleanup():
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute("DELETE FROM serial_check_rate WHERE ip = %s", [ip])

        cleanup()
        self.addCleanup(cleanup)
        threads = [threading.Thread(target=check) for _i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(sorted(results), [False, False, False, True, True, True])


@tagged("post_install", "-at_install")
class TestPublicCheckHttp(HttpCase, PublicCheckCase):
    # What no public answer may contain: the owner, the product, dates, references.
    def _assert_no_pii(self, text):
        for secret in (
            self.customer.name,
            "Roadster Secret Edition",
            self.product_free.name,
            "POL-5511",
            "INS-77",
            "Taken at night",
            "Left on a train",
            "2026-04-03",
            "04/03/2026",
            "2026-04-05",
            "Second Shop",
        ):
            self.assertNotIn(secret, text)

    def _csrf_page(self):
        page = self.url_open("/serial/check")
        self.assertEqual(page.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start : page.text.index('"', start)]

    def _check_page(self, serial, where=""):
        token = self._csrf_page()
        return self.url_open(
            "/serial/check", data={"serial": serial, "where": where, "csrf_token": token}
        )

    def _set_limit(self, limit):
        self.env["ir.config_parameter"].sudo().set_param(
            "serial_tracking.public_check_limit", str(limit)
        )

    def test_page_answers_without_pii(self):
        for serial, marker in (
            (self.car.name, 'data-reported="stolen"'),
            ("RING-LOST-1", 'data-reported="lost"'),
            (self.clean_car.name, 'data-reported="none"'),
            ("NO-SUCH-SERIAL", 'data-reported="unknown"'),
        ):
            response = self._check_page(serial, "Cash Converters, Leeds")
            self.assertEqual(response.status_code, 200)
            self.assertIn(marker, response.text)
            self._assert_no_pii(response.text)
        note = self._checks(self.car).filtered(lambda a: a.user_id == self.stock_manager).note
        self.assertIn("127.0.0.1", note)
        self.assertIn("Cash Converters, Leeds", note)

    def test_page_needs_csrf(self):
        self.url_open("/serial/check")
        response = self.url_open("/serial/check", data={"serial": self.car.name})
        self.assertEqual(response.status_code, 400)
        self.assertNotIn('data-reported="stolen"', response.text)
        self.assertFalse(self._checks(self.car))

    def test_json(self):
        response = self.url_open(f"/serial/check/json?serial={self.car.name}&where=Kiosk")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"found": True, "reported": "stolen"})
        self._assert_no_pii(response.text)
        response = self.url_open(
            "/serial/check/json",
            data=json.dumps({"serial": "NO-SUCH-SERIAL"}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json(), {"found": False, "reported": "none"})
        response = self.url_open("/serial/check/json", data={"serial": "\x00bad"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "invalid")
        self.assertIn("Kiosk", self._checks(self.car)[0].note)

    def test_rate_limit(self):
        self._set_limit(3)
        for _i in range(3):
            response = self.url_open(f"/serial/check/json?serial={self.clean_car.name}")
            self.assertEqual(response.status_code, 200)
        response = self.url_open(f"/serial/check/json?serial={self.car.name}")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["error"], "rate_limited")
        self.assertIn("Too many checks", response.json()["message"])
        self.assertNotIn("reported", response.json())
        self.assertEqual(response.headers["Retry-After"], "3600")
        # The page shares the quota and says so; an over-quota check alerts nobody.
        token = self._csrf_page()
        response = self.url_open(
            "/serial/check", data={"serial": self.car.name, "csrf_token": token}
        )
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many checks from your address", response.text)
        self.assertNotIn('data-reported="stolen"', response.text)
        self.assertFalse(self._checks(self.car))

    def test_rate_limit_parallel_requests(self):
        self._set_limit(4)
        url = f"{self.base_url()}/serial/check/json?serial={self.clean_car.name}"
        statuses = []

        def check():
            statuses.append(requests.get(url, timeout=60).status_code)

        threads = [threading.Thread(target=check) for _i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(sorted(statuses), [200] * 4 + [429] * 6)


@tagged("post_install", "-at_install")
class TestPublicCheckTour(SerialTourCase):
    def test_public_check_tour(self):
        car = self._receive_units(self.product_vin, ["1HGCM82633A004352"])
        car._serial_report_loss("stolen", date(2026, 4, 3), "POL-5511", False)
        self.start_tour("/serial/check", "serial_tracking_public_check_tour", login=None)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "stock.lot"), ("res_id", "=", car.id)]
        )
        self.assertIn(self.stock_manager, activity.user_id)
        self.assertIn("Second-hand shop, Rue Haute", activity[0].note)
