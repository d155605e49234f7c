import re

from odoo.tests import HttpCase, tagged

from .common import SerialTourCase, WarrantyCase


class OwnershipPortalCase(HttpCase, WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner_user = cls._create_user(
            "units_owner", "base.group_portal", partner_id=cls.customer.id, name=cls.customer.name
        )
        cls.other_user = cls._create_user(
            "units_other",
            "base.group_portal",
            partner_id=cls.customer_2.id,
            name=cls.customer_2.name,
        )
        cls.recipient = cls.env["res.partner"].create(
            {"name": "Dana Buyer", "email": "dana@example.com"}
        )
        cls.recipient_user = cls._create_user(
            "units_recipient",
            "base.group_portal",
            partner_id=cls.recipient.id,
            name=cls.recipient.name,
        )
        cls.mine = cls._receive_numbered(cls.product, 1, prefix="MINE")
        cls.theirs = cls._receive_numbered(cls.product, 1, prefix="THEIRS")
        cls.sold = cls._receive_numbered(cls.product, 1, prefix="SOLD")
        # ``sold`` belonged to customer_2 first, then to the customer.
        cls._deliver(cls.sold, cls.customer_2)
        cls._receive_back(cls.sold, cls.customer_2)
        cls._deliver(cls.mine | cls.sold, cls.customer)
        cls._deliver(cls.theirs, cls.customer_2)
        # An old coverage of the former owner, long expired.
        cls.env["serial.warranty"].create(
            {
                "lot_id": cls.sold.id,
                "product_id": cls.product.id,
                "term_id": cls.term_delivery.id,
                "partner_id": cls.customer_2.id,
                "date_start": "2020-01-01",
                "date_end": "2021-12-31",
            }
        )

    def _csrf(self, url):
        html = self.url_open(url).text
        return re.search(r'csrf_token: "([^"]+)"', html).group(1)


@tagged("post_install", "-at_install")
class TestMyUnits(OwnershipPortalCase):
    def test_lists_only_the_units_owned_now(self):
        self.authenticate("units_owner", "units_owner")
        response = self.url_open("/my/units")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.mine.name, response.text)
        self.assertIn(self.sold.name, response.text)
        self.assertNotIn(self.theirs.name, response.text)
        self.assertIn("Under Warranty", response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["serial_unit_count"]})
        self.assertEqual(counters["serial_unit_count"], 2)

    def test_unit_page_shows_own_periods_only(self):
        self.authenticate("units_owner", "units_owner")
        response = self.url_open(f"/my/units/{self.sold.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.sold.name, response.text)
        self.assertIn(self.term_delivery.name, response.text)
        # customer_2 owned it before: their name never appears, one period is listed.
        self.assertNotIn(self.customer_2.name, response.text)
        self.assertEqual(response.text.count("o_serial_period"), 1)
        self.assertIn("o_serial_transfer_form", response.text)

    def test_other_owners_units_answer_404(self):
        self.authenticate("units_owner", "units_owner")
        for url in (
            f"/my/units/{self.theirs.id}",
            f"/my/units/{self.theirs.id}/certificate",
            "/my/units/999999999",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        # A former owner has lost access too.
        self.authenticate("units_other", "units_other")
        self.assertEqual(self.url_open(f"/my/units/{self.sold.id}").status_code, 404)
        response = self.url_open("/my/units")
        self.assertNotIn(self.sold.name, response.text)
        self.assertIn(self.theirs.name, response.text)
        # Without a session: the login page, never the unit.
        self.authenticate(None, None)
        response = self.url_open(f"/my/units/{self.mine.id}")
        self.assertNotIn(self.mine.name, response.text)

    def test_certificate_pdf_names_no_other_customer(self):
        self.authenticate("units_owner", "units_owner")
        response = self.url_open(f"/my/units/{self.sold.id}/certificate")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # Tests get the report's HTML in place of the PDF (Odoo skips wkhtmltopdf).
        self.assertIn(self.sold.name, response.text)
        self.assertIn(self.term_delivery.name, response.text)
        self.assertNotIn(self.customer_2.name, response.text)
        # Staff's copy names every customer; the PDF really renders.
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        staff_html = report._render_qweb_html(
            "serial_tracking.action_report_warranty_certificate", self.sold.ids
        )[0].decode()
        self.assertIn(self.customer_2.name, staff_html)
        pdf, kind = report._render_qweb_pdf(
            "serial_tracking.action_report_warranty_certificate",
            self.sold.ids,
            data={"serial_portal": True},
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestTransferPages(OwnershipPortalCase):
    def _offer_from_portal(self, lot, name="Dana Buyer", email="dana@example.com"):
        self.authenticate("units_owner", "units_owner")
        url = f"/my/units/{lot.id}"
        return self.url_open(
            f"{url}/transfer",
            data={"csrf_token": self._csrf(url), "to_name": name, "to_email": email},
        )

    def _request_of(self, lot):
        return self.env["serial.transfer.request"].search([("lot_id", "=", lot.id)])

    def test_owner_offers_and_recipient_accepts(self):
        response = self._offer_from_portal(self.mine)
        self.assertIn("transfer request was sent", response.text)
        offer = self._request_of(self.mine)
        self.assertEqual(offer.state, "pending")
        self.assertEqual(offer.from_partner_id, self.customer)
        mail = self.env["mail.mail"].search([("email_to", "=", "dana@example.com")])
        self.assertEqual(len(mail), 1)
        # The link is not left on the request's thread, which staff read.
        self.assertFalse(mail.model)
        link = offer._serial_accept_url()
        self.assertIn(link.replace("&", "&amp;"), mail.body_html)

        # Anonymous: the offer is shown with a way in, not accepted.
        self.authenticate(None, None)
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Create an Account", page.text)

        self.authenticate("units_recipient", "units_recipient")
        response = self.url_open(
            f"/serial/transfer/{offer.id}/accept",
            data={"csrf_token": self._csrf(link), "access_token": offer.sudo().access_token},
        )
        self.assertIn("now registered in your name", response.text)
        self.assertEqual(self.mine.serial_owner_id, self.recipient)
        self.assertEqual(self.mine.serial_ownership_ids[0].origin, "transfer")
        self.assertEqual(offer.state, "accepted")
        # Reusing the link changes nothing.
        response = self.url_open(
            f"/serial/transfer/{offer.id}/accept",
            data={"csrf_token": self._csrf(link), "access_token": offer.sudo().access_token},
        )
        self.assertIn("already been accepted", response.text)
        self.assertEqual(len(self.mine.serial_ownership_ids.filtered("is_current")), 1)
        # The former owner no longer sees the unit; the new one does.
        self.assertIn(self.mine.name, self.url_open("/my/units").text)
        self.authenticate("units_owner", "units_owner")
        self.assertEqual(self.url_open(f"/my/units/{self.mine.id}").status_code, 404)

    def test_wrong_token_and_foreign_units_are_refused(self):
        self._offer_from_portal(self.mine)
        offer = self._request_of(self.mine)
        self.authenticate("units_recipient", "units_recipient")
        for url in (
            f"/serial/transfer/{offer.id}?access_token=wrong",
            f"/serial/transfer/{offer.id}",
            f"/serial/transfer/{offer.id + 1000}?access_token={offer.sudo().access_token}",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        csrf = self._csrf("/my")
        response = self.url_open(
            f"/serial/transfer/{offer.id}/accept",
            data={"csrf_token": csrf, "access_token": "wrong"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.mine.serial_owner_id, self.customer)
        # Nobody offers a unit they do not own, even by posting the form by hand.
        response = self.url_open(
            f"/my/units/{self.theirs.id}/transfer",
            data={"csrf_token": csrf, "to_name": "Me", "to_email": "me@example.com"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._request_of(self.theirs))

    def test_forms_need_the_csrf_token(self):
        self.authenticate("units_owner", "units_owner")
        response = self.url_open(
            f"/my/units/{self.mine.id}/transfer",
            data={"to_name": "Dana", "to_email": "dana@example.com"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._request_of(self.mine))

    def test_bad_input_is_explained_on_the_page(self):
        response = self._offer_from_portal(self.mine, email="dana-at-example")
        self.assertIn("dana-at-example is not a valid email address", response.text)
        self.assertFalse(self._request_of(self.mine))

    def test_expired_and_cancelled_offers(self):
        self._offer_from_portal(self.mine)
        offer = self._request_of(self.mine)
        url = f"/my/units/{self.mine.id}/transfer/{offer.id}/cancel"
        response = self.url_open(url, data={"csrf_token": self._csrf("/my")})
        self.assertIn("request was cancelled", response.text)
        self.assertEqual(offer.state, "cancelled")
        self.authenticate("units_recipient", "units_recipient")
        page = self.url_open(offer._serial_accept_url())
        self.assertIn("The owner cancelled this transfer", page.text)
        self.assertNotIn("o_serial_transfer_accept_button", page.text)

        self._offer_from_portal(self.sold)
        offer = self._request_of(self.sold)
        offer.sudo().date_expire = "2020-01-01 00:00:00"
        self.authenticate("units_recipient", "units_recipient")
        response = self.url_open(
            f"/serial/transfer/{offer.id}/accept",
            data={
                "csrf_token": self._csrf(offer._serial_accept_url()),
                "access_token": offer.sudo().access_token,
            },
        )
        self.assertIn("expired", response.text)
        self.assertEqual(self.sold.serial_owner_id, self.customer)

    def test_stolen_unit_both_sides_told(self):
        self._offer_from_portal(self.mine)
        offer = self._request_of(self.mine)
        self.mine._serial_report_loss("stolen", "2026-01-01", "POL-1")
        self.authenticate("units_recipient", "units_recipient")
        link = offer._serial_accept_url()
        response = self.url_open(
            f"/serial/transfer/{offer.id}/accept",
            data={"csrf_token": self._csrf(link), "access_token": offer.sudo().access_token},
        )
        self.assertIn("reported stolen", response.text)
        self.assertEqual(self.mine.serial_owner_id, self.customer)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "serial.transfer.request"),
                ("res_id", "=", offer.id),
                ("subject", "ilike", "cannot be completed"),
            ]
        )
        self.assertIn(self.customer, mail.recipient_ids)
        # The owner's page says why no transfer can be offered.
        self.authenticate("units_owner", "units_owner")
        page = self.url_open(f"/my/units/{self.mine.id}")
        self.assertIn("reported stolen", page.text)
        self.assertNotIn("o_serial_transfer_form", page.text)

    def test_signup_from_the_link_creates_a_new_contact(self):
        self._offer_from_portal(self.mine, name="Newcomer", email="newcomer@example.com")
        offer = self._request_of(self.mine)
        self.authenticate(None, None)
        link = offer._serial_accept_url()
        response = self.url_open(
            f"/serial/transfer/{offer.id}/signup",
            data={"csrf_token": self._csrf(link), "access_token": offer.sudo().access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/signup", response.headers["Location"])
        contact = self.env["res.partner"].search([("email", "=", "newcomer@example.com")])
        self.assertEqual(contact.name, "Newcomer")
        # Following the link again reuses that contact.
        self.url_open(
            f"/serial/transfer/{offer.id}/signup",
            data={"csrf_token": self._csrf(link), "access_token": offer.sudo().access_token},
            allow_redirects=False,
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("email", "=", "newcomer@example.com")]), 1
        )


@tagged("post_install", "-at_install")
class TestTransferTour(SerialTourCase, OwnershipPortalCase):
    def test_transfer_tour(self):
        self.start_tour("/my", "serial_tracking_transfer_offer_tour", login="units_owner")
        offer = self.env["serial.transfer.request"].search([("lot_id", "=", self.mine.id)])
        self.assertEqual(offer.to_email, "dana@example.com")
        self.start_tour(
            offer._serial_accept_url(),
            "serial_tracking_transfer_accept_tour",
            login="units_recipient",
        )
        self.assertEqual(self.mine.serial_owner_id, self.recipient)
