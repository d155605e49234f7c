import base64
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .common import WarrantyCase

# Smallest valid files of the accepted kinds (the type is sniffed, not trusted).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class RegistrationCase(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.portal_user.partner_id
        cls.portal_partner.email = "portal.buyer@example.com"
        cls.purchase = date(2026, 3, 2)
        cls.lot_free, cls.lot_owned, cls.lot_stolen = cls._receive_numbered(cls.product, 3, "REG")
        cls._deliver(cls.lot_owned, cls.customer)
        cls.lot_stolen._serial_report_loss("stolen", date(2026, 5, 1), "POL-9", "Van")

    def _register(self, lot, partner=None, **vals):
        return self.env["serial.registration"].create(
            {
                "lot_id": lot.id,
                "partner_id": (partner or self.portal_partner).id,
                "purchase_date": self.purchase,
                "proof": base64.b64encode(PNG),
                "proof_filename": "receipt.png",
                **vals,
            }
        )

    def _emails_to(self, registration, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "serial.registration"),
                ("res_id", "=", registration.id),
                ("partner_ids", "in", partner.ids),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
            ]
        )


@tagged("post_install", "-at_install")
class TestRegistration(RegistrationCase):
    def test_approve_unit_without_owner(self):
        registration = self._register(self.lot_free)
        self.assertEqual(registration.state, "pending")
        self.assertFalse(registration.has_owner)
        registration.with_user(self.stock_user).action_approve()
        self.assertEqual(registration.state, "approved")
        self.assertEqual(self.lot_free.serial_owner_id, self.portal_partner.commercial_partner_id)
        ownership = self.lot_free.serial_ownership_ids.filtered("is_current")
        self.assertEqual(ownership.origin, "registration")
        self.assertEqual(ownership.date_start.date(), self.purchase)
        self.assertEqual(registration.ownership_id, ownership)
        # The term starts at delivery: coverage from the purchase date.
        coverage = self.lot_free.serial_warranty_ids
        self.assertEqual(len(coverage), 1)
        self.assertEqual(coverage.date_start, self.purchase)
        self.assertEqual(coverage.date_end, date(2028, 3, 1))
        self.assertEqual(coverage.partner_id, self.portal_partner)
        email = self._emails_to(registration, self.portal_partner)
        self.assertEqual(len(email), 1)
        self.assertIn("is registered to you", email.subject)

    def test_warranty_by_term_trigger(self):
        """Terms starting at the sale or delivery start on the purchase date; a term
        starting at the invoice (none here) gives nothing."""
        for term, expected in (
            (self.term_sale, True),
            (self.term_delivery, True),
            (self.term_invoice, False),
        ):
            product = self._create_covered_product(f"Reg {term.name}", term)
            lot = self._receive_numbered(product, 1, "TRG")
            self._register(lot).action_approve()
            self.assertEqual(bool(lot.serial_warranty_ids), expected, term.name)
            if expected:
                self.assertEqual(lot.serial_warranty_ids.date_start, self.purchase)

    def test_reject_with_wizard(self):
        registration = self._register(self.lot_free)
        action = registration.with_user(self.stock_user).action_open_reject_wizard()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.stock_user)
            .with_context(**action["context"])
        )
        wizard_form.reason = "The receipt shows another serial number."
        wizard_form.save().action_confirm()
        self.assertEqual(registration.state, "rejected")
        self.assertEqual(registration.reject_reason, "The receipt shows another serial number.")
        self.assertFalse(self.lot_free.serial_owner_id)
        email = self._emails_to(registration, self.portal_partner)
        self.assertEqual(len(email), 1)
        self.assertIn("The receipt shows another serial number.", email.body)
        with self.assertRaises(UserError):
            registration.action_approve()
        with self.assertRaises(UserError):
            self._register(self.lot_free).action_reject("  ")

    def test_unit_with_owner_goes_to_manager(self):
        registration = self._register(self.lot_owned)
        self.assertTrue(registration.has_owner)
        # The managers get an activity; the inventory user cannot decide.
        self.assertIn(self.stock_manager, registration.activity_ids.user_id)
        with self.assertRaises(AccessError):
            registration.with_user(self.stock_user).action_approve()
        with self.assertRaises(AccessError):
            registration.with_user(self.stock_user).action_reject("No")
        old_coverage = self.lot_owned.serial_warranty_ids
        self.assertEqual(old_coverage.state, "active")
        registration.with_user(self.stock_manager).action_approve()
        self.assertEqual(self.lot_owned.serial_owner_id, self.portal_partner)
        periods = self.lot_owned.serial_ownership_ids.sorted("id")
        self.assertEqual(periods.mapped("origin"), ["sale", "registration"])
        self.assertTrue(periods[0].date_end)
        # Second-hand: the first owner's non-transferable coverage is voided, and the
        # unit gets no new one.
        self.assertEqual(old_coverage.state, "void")
        self.assertEqual(self.lot_owned.serial_warranty_ids, old_coverage)
        # The customer is never told who owned it.
        for message in registration.message_ids:
            self.assertNotIn(self.customer.name, message.body or "")

    def test_stolen_unit_cannot_be_approved(self):
        registration = self._register(self.lot_stolen)
        self.assertIn(self.stock_manager, registration.activity_ids.user_id)
        with self.assertRaisesRegex(UserError, "reported stolen"):
            registration.with_user(self.stock_manager).action_approve()
        self.assertEqual(registration.state, "pending")

    def test_unit_to_choose_before_approval(self):
        registration = self._register(self.env["stock.lot"], serial_name="BOUGHT-ELSEWHERE-1")
        with self.assertRaisesRegex(UserError, "choose the unit"):
            registration.action_approve()
        registration.with_user(self.stock_user).lot_id = self.lot_free
        registration.with_user(self.stock_user).action_approve()
        self.assertEqual(self.lot_free.serial_owner_id, self.portal_partner)

    def test_restricted_users(self):
        registration = self._register(self.lot_free)
        for user in (self.salesman, self.portal_user):
            Registration = self.env["serial.registration"].with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                Registration.search([])
            with self.assertRaises(AccessError, msg=user.login):
                registration.with_user(user).action_approve()
            with self.assertRaises(AccessError, msg=user.login):
                registration.with_user(user).action_reject("no")
            with self.assertRaises(AccessError, msg=user.login):
                Registration.create(
                    {
                        "serial_name": "X1",
                        "partner_id": user.partner_id.id,
                        "purchase_date": self.purchase,
                    }
                )
        # State and ownership only change through the buttons.
        with self.assertRaises(AccessError):
            registration.with_user(self.stock_manager).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["serial.registration"].with_user(self.stock_manager).create(
                {
                    "lot_id": self.lot_free.id,
                    "partner_id": self.portal_partner.id,
                    "purchase_date": self.purchase,
                    "state": "approved",
                }
            )
        self.assertEqual(registration.state, "pending")
        self.assertFalse(self.lot_free.serial_owner_id)

    def test_other_company(self):
        company_b = self.env["res.company"].create({"name": "Other Shop"})
        manager_b = self._create_user(
            "st_manager_b", "stock.group_stock_manager", company=company_b
        )
        registration = self._register(self.lot_free)
        self.assertFalse(
            self.env["serial.registration"]
            .with_user(manager_b)
            .search([("id", "=", registration.id)])
        )
        with self.assertRaises(AccessError):
            registration.with_user(manager_b).action_approve()
        self.assertEqual(registration.state, "pending")
        # The unit's form shows its registrations to the company's users.
        self.assertEqual(self.lot_free.with_user(self.stock_user).serial_registration_count, 1)
        action = self.lot_free.with_user(self.stock_user).action_serial_view_registrations()
        self.assertEqual(action["domain"], [("lot_id", "=", self.lot_free.id)])


@tagged("post_install", "-at_install")
class TestRegistrationPortal(HttpCase, RegistrationCase):
    def setUp(self):
        super().setUp()
        self.portal_user.password = "st_portal_user"
        self.authenticate("st_portal_user", "st_portal_user")

    def _post(self, data=None, files=None, csrf=True):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open("/serial/register", data=data, files=files, allow_redirects=False)

    def _csrf(self):
        page = self.url_open("/serial/register")
        self.assertEqual(page.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start : page.text.index('"', start)]

    def _my_registrations(self):
        return self.env["serial.registration"].search([("partner_id", "=", self.portal_partner.id)])

    def _form(self, serial, proof=PNG, name="receipt.png", day=None):
        return (
            {"serial": serial, "purchase_date": fields.Date.to_string(day or self.purchase)},
            {"proof": (name, proof)},
        )

    def test_register_from_portal(self):
        data, files = self._form(f"  {self.lot_free.name} ", PDF, "receipt.pdf")
        response = self._post(data, files)
        self.assertEqual(response.status_code, 303)
        registration = self._my_registrations()
        self.assertEqual(registration.lot_id, self.lot_free)
        self.assertEqual(registration.state, "pending")
        self.assertEqual(base64.b64decode(registration.proof), PDF)
        self.assertIn("We received the registration", registration.message_ids[0].subject)
        page = self.url_open("/serial/register?submitted=1")
        self.assertIn("we received your registration", page.text)
        self.assertIn(self.lot_free.name, page.text)
        # A unit owned by someone else: registered, never telling who owns it.
        data, files = self._form(self.lot_owned.name)
        self._post(data, files)
        page = self.url_open("/serial/register")
        self.assertEqual(len(self._my_registrations()), 2)
        self.assertNotIn(self.customer.name, page.text)
        # The portal home shows the card with its counter.
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["serial_registration_count"]}
        )
        self.assertEqual(counters["serial_registration_count"], 2)

    def test_unknown_serial_is_kept_as_typed(self):
        data, files = self._form("BOUGHT-ELSEWHERE-7")
        self.assertEqual(self._post(data, files).status_code, 303)
        registration = self._my_registrations()
        self.assertFalse(registration.lot_id)
        self.assertEqual(registration.serial_name, "BOUGHT-ELSEWHERE-7")

    def test_refusals(self):
        cases = [
            (self._form("R-1", b"x" * (10 * 1024 * 1024 + 1), "big.png"), "larger than 10 MB"),
            (self._form("R-2", b"MZ\x90\x00 not a document", "receipt.pdf"), "PDF, JPEG or PNG"),
            (self._form("R-3", day=date.today() + timedelta(days=2)), "not in the future"),
            (({"serial": "R-4", "purchase_date": "2026-01-01"}, None), "Attach a proof"),
            (self._form(""), "Type or scan a serial number"),
        ]
        for (data, files), message in cases:
            response = self._post(data, files)
            self.assertEqual(response.status_code, 400, message)
            self.assertIn(message, response.text)
        self.assertFalse(self._my_registrations())

    def test_csrf_required(self):
        data, files = self._form(self.lot_free.name)
        response = self._post(data, files, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._my_registrations())

    def test_lists_only_own_registrations(self):
        other = self.env["res.partner"].create({"name": "Zoe Otherbuyer"})
        self._register(self.lot_free, partner=other, serial_name="OTHER-SERIAL-42")
        mine = self._register(self.lot_owned)
        page = self.url_open("/serial/register")
        self.assertIn(mine.serial_name, page.text)
        self.assertNotIn("OTHER-SERIAL-42", page.text)

    def test_proofs_of_others_are_not_served(self):
        """Guessing ids through the generic download routes gives nothing."""
        other = self.env["res.partner"].create({"name": "Zoe Otherbuyer"})
        registration = self._register(self.lot_free, partner=other)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "serial.registration"),
                    ("res_id", "=", registration.id),
                    ("res_field", "=", "proof"),
                ]
            )
        )
        self.assertTrue(attachment)
        for url in (
            f"/web/content/serial.registration/{registration.id}/proof",
            f"/web/content/{attachment.id}",
            f"/web/image/serial.registration/{registration.id}/proof",
        ):
            response = self.url_open(url)
            self.assertNotEqual(response.content, PNG, url)
            if "/web/content/" in url:
                self.assertIn(response.status_code, (403, 404), url)

    def test_public_user_redirected_to_login(self):
        self.logout()
        response = self.url_open("/serial/register", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_internal_user_may_register(self):
        self.stock_user.password = "st_stock_user"
        self.authenticate("st_stock_user", "st_stock_user")
        data, files = self._form(self.lot_free.name)
        self.assertEqual(self._post(data, files).status_code, 303)
        self.assertTrue(
            self.env["serial.registration"].search(
                [("partner_id", "=", self.stock_user.partner_id.id)]
            )
        )
