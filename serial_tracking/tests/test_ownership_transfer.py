from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestTransferRequest(WarrantyCase):
    """Owner-to-owner transfers through ``serial.transfer.request`` (ORM side)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.car = cls._create_covered_product("Transfer Car", cls.term_transferable)
        cls.phone_lot = cls._receive_numbered(cls.product, 1, prefix="XFR")
        cls.car_lot = cls._receive_numbered(cls.car, 1, prefix="XFRC")
        cls._deliver(cls.phone_lot | cls.car_lot, cls.customer)
        cls.Request = cls.env["serial.transfer.request"]

    def _offer(self, lot, owner=None, email="dana@example.com"):
        return self.Request.sudo().create(
            {
                "lot_id": lot.id,
                "from_partner_id": (owner or self.customer).id,
                "to_name": "Dana Buyer",
                "to_email": email,
            }
        )

    def test_accept_hands_over_ownership_and_transferable_coverage(self):
        phone_coverage = self.phone_lot.serial_warranty_ids
        car_coverage = self.car_lot.serial_warranty_ids
        phone_offer = self._offer(self.phone_lot)
        car_offer = self._offer(self.car_lot)
        self.assertEqual(phone_offer.state, "pending")
        self.assertAlmostEqual(
            phone_offer.date_expire,
            fields.Datetime.now() + timedelta(days=14),
            delta=timedelta(minutes=5),
        )
        phone_offer.action_accept(self.customer_2)
        car_offer.action_accept(self.customer_2)

        for lot in self.phone_lot | self.car_lot:
            self.assertEqual(lot.serial_owner_id, self.customer_2)
            old, new = lot.serial_ownership_ids.sorted("id")[-2:]
            self.assertEqual(old.partner_id, self.customer)
            self.assertTrue(old.date_end)
            self.assertEqual(new.partner_id, self.customer_2)
            self.assertEqual(new.origin, "transfer")
            self.assertFalse(new.date_end)
        self.assertEqual(phone_offer.state, "accepted")
        self.assertEqual(phone_offer.to_partner_id, self.customer_2)
        # Non-transferable coverage is voided, with its reason in the chatter...
        self.assertEqual(phone_coverage.state, "void")
        self.assertIn("voided", " ".join(self.phone_lot.message_ids.mapped("body")))
        # ...the transferable one follows the unit to its new owner.
        self.assertEqual(car_coverage.state, "active")
        self.assertEqual(car_coverage.partner_id, self.customer_2)
        # The former owner is told by email.
        mail = self.env["mail.mail"].search(
            [("model", "=", "serial.transfer.request"), ("res_id", "=", phone_offer.id)]
        )
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertIn("accepted the transfer", mail.subject)

    def test_accepted_request_cannot_be_accepted_twice(self):
        offer = self._offer(self.phone_lot)
        offer.action_accept(self.customer_2)
        third = self.env["res.partner"].create({"name": "Third Party"})
        with self.assertRaisesRegex(UserError, "already been accepted"):
            offer.action_accept(third)
        self.assertEqual(self.phone_lot.serial_owner_id, self.customer_2)

    def test_only_the_current_owner_offers_a_unit(self):
        with self.assertRaisesRegex(UserError, "Only the current owner"):
            self._offer(self.phone_lot, owner=self.customer_2)
        # A contact of the owner's company offers on behalf of the company.
        offer = self._offer(self.phone_lot, owner=self.customer_contact)
        self.assertEqual(offer.from_partner_id, self.customer)
        # Nobody creates requests through RPC: the portal page does, after its checks.
        for user in (self.stock_user, self.stock_manager, self.salesman, self.portal_user):
            with self.assertRaises(AccessError):
                self.Request.with_user(user).create(
                    {
                        "lot_id": self.car_lot.id,
                        "from_partner_id": self.customer.id,
                        "to_name": "X",
                        "to_email": "x@example.com",
                    }
                )

    def test_bad_recipient_is_refused_clearly(self):
        with self.assertRaisesRegex(ValidationError, "not-an-email is not a valid email"):
            self._offer(self.phone_lot, email="not-an-email")
        self.assertFalse(self.Request.search([("lot_id", "=", self.phone_lot.id)]))

    def test_one_pending_offer_per_unit(self):
        self._offer(self.phone_lot)
        with self.assertRaisesRegex(UserError, "already waiting"):
            self._offer(self.phone_lot, email="other@example.com")
        # The database holds the rule too, whatever the code path (concurrent requests).
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    """INSERT INTO serial_transfer_request
                       (lot_id, from_partner_id, to_name, to_email, state, date_expire)
                       VALUES (%s, %s, 'Y', 'y@example.com', 'pending', now())""",
                    (self.phone_lot.id, self.customer.id),
                )

    def test_stolen_or_recalled_unit_cannot_change_hands(self):
        offer = self._offer(self.phone_lot)
        self.phone_lot.with_user(self.stock_user)._serial_report_loss(
            "stolen", fields.Date.today(), "POL-42"
        )
        with self.assertRaisesRegex(UserError, "reported stolen"):
            offer.action_accept(self.customer_2)
        self.assertEqual(self.phone_lot.serial_owner_id, self.customer)
        offer._serial_notify_refused(self.phone_lot._serial_transfer_problem())
        mail = self.env["mail.mail"].search(
            [("model", "=", "serial.transfer.request"), ("res_id", "=", offer.id)]
        )
        self.assertIn("reported stolen", mail.body_html)
        self.assertIn(self.customer, mail.recipient_ids)
        with self.assertRaisesRegex(UserError, "reported stolen"):
            self._offer(self.phone_lot, email="z@example.com")

        recall = self.env["serial.recall"].create(
            {"title": "Brakes", "product_ids": [(6, 0, self.car.ids)], "reason": "Brake pads"}
        )
        recall.action_compute_scope()
        recall.action_open()
        with self.assertRaisesRegex(UserError, recall.name):
            self._offer(self.car_lot)

    def test_expired_offer(self):
        self.company.serial_transfer_expiry_days = 3
        offer = self._offer(self.phone_lot)
        self.assertAlmostEqual(
            offer.date_expire,
            fields.Datetime.now() + timedelta(days=3),
            delta=timedelta(minutes=5),
        )
        offer.sudo().date_expire = fields.Datetime.now() - timedelta(hours=1)
        with self.assertRaisesRegex(UserError, "expired"):
            offer.action_accept(self.customer_2)
        self.Request._cron_expire()
        self.assertEqual(offer.state, "expired")
        with self.assertRaisesRegex(ValidationError, "between 1 and 365 days"):
            self.company.serial_transfer_expiry_days = 0

    def test_other_change_of_hands_closes_the_offer(self):
        offer = self._offer(self.phone_lot)
        self._receive_back(self.phone_lot, self.customer)
        self.assertEqual(offer.state, "cancelled")
        self.assertIn("changed hands", offer.close_reason)

    def test_only_flows_write_requests(self):
        offer = self._offer(self.phone_lot)
        with self.assertRaises(AccessError):
            offer.with_user(self.stock_manager).write({"state": "accepted"})
        with self.assertRaises(AccessError):
            offer.with_user(self.stock_user).write({"to_email": "me@example.com"})
        with self.assertRaises(AccessError):
            offer.with_user(self.stock_user).action_cancel()
        with self.assertRaises(AccessError):
            offer.with_user(self.stock_user).action_accept(self.customer_2)
        # Staff read the requests, not the token that accepts them.
        self.assertEqual(offer.with_user(self.stock_user).to_name, "Dana Buyer")
        with self.assertRaises(AccessError):
            offer.with_user(self.stock_manager).access_token  # noqa: B018
        offer.with_user(self.stock_manager).action_cancel()
        self.assertEqual(offer.state, "cancelled")
        self.assertEqual(self.phone_lot.serial_owner_id, self.customer)

    def test_staff_never_get_the_link(self):
        offer = self._offer(self.phone_lot)
        for user in (self.stock_user, self.stock_manager):
            with self.assertRaises(AccessError):
                offer.with_user(user)._serial_accept_url()
            # Nor through the template, as its preview would render it.
            template = self.env.ref("serial_tracking.mail_template_transfer_request")
            with self.assertRaisesRegex(UserError, "Only the recipient"):
                template.with_user(user)._render_field("body_html", offer.ids)

    def test_offers_are_rate_limited_and_refusals_mailed_once(self):
        with patch.object(type(self.Request), "_serial_daily_offer_limit", return_value=1):
            self._offer(self.phone_lot)
            with self.assertRaisesRegex(UserError, "in the last 24 hours"):
                self._offer(self.car_lot)
        with self.assertRaisesRegex(ValidationError, "too long"):
            self.Request.sudo().create(
                {
                    "lot_id": self.car_lot.id,
                    "from_partner_id": self.customer.id,
                    "to_name": "x" * 129,
                    "to_email": "x@example.com",
                }
            )
        offer = self.Request.search([("lot_id", "=", self.phone_lot.id)])
        offer._serial_notify_refused("Blocked")
        offer._serial_notify_refused("Blocked")
        mails = self.env["mail.mail"].search(
            [("model", "=", "serial.transfer.request"), ("res_id", "=", offer.id)]
        )
        self.assertEqual(len(mails), 1)

    def test_other_company_sees_no_request(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        outsider = self._create_user("xfr_other_co", "stock.group_stock_manager", company=other)
        offer = self._offer(self.phone_lot)
        self.assertEqual(offer.company_id, self.company)
        self.assertTrue(self.Request.with_user(self.stock_user).search([]))
        self.assertFalse(self.Request.with_user(outsider).search([]))
        # Nor cancels one by its id over RPC.
        with self.assertRaises(AccessError):
            offer.with_user(outsider).action_cancel()
        self.assertEqual(offer.state, "pending")
