from odoo import api
from odoo.exceptions import ValidationError
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestUniqueness(SerialTrackingCase):
    def _lot(self, name, product, **extra):
        return self.env["stock.lot"].create({"name": name, "product_id": product.id, **extra})

    def test_imei_and_vin_unique_across_products(self):
        self._lot("490154203237518", self.product_imei)
        with self.assertRaisesRegex(ValidationError, "490154203237518: already exists"):
            self._lot("490154203237518", self.product_imei_2)
        vin_2 = self._create_serial_product("Car C2", "vin")
        self._lot("1HGCM82633A004352", self.product_vin)
        with self.assertRaisesRegex(ValidationError, "1HGCM82633A004352: already exists"):
            self._lot("1hgcm82633a004352 ", vin_2)  # normalized before the check

    def test_free_serials_unique_per_product_and_company(self):
        other_free = self._create_serial_product("Bracelet", "free")
        self._lot("J-100", self.product_free, company_id=self.company.id)
        self._lot("J-100", other_free, company_id=self.company.id)  # other product: fine
        company_b = self.env["res.company"].create({"name": "Serial Co B"})
        self._lot("J-100", self.product_free, company_id=company_b.id)  # other company: fine
        with self.assertRaisesRegex(ValidationError, "J-100: already exists"):
            self._lot("J-100", self.product_free, company_id=self.company.id)

    def test_serial_without_company_clashes_with_every_company(self):
        """Like core: a serial shared by all companies (no company) and a company's
        serial of the same product would be the same unit."""
        company_b = self.env["res.company"].create({"name": "Serial Co B"})
        self._lot("K-7", self.product_free, company_id=company_b.id)
        with self.assertRaisesRegex(ValidationError, "K-7: already exists"):
            self._lot("K-7", self.product_free)
        shared = self._lot("K-8", self.product_free)
        self.assertFalse(shared.company_id)
        with self.assertRaisesRegex(ValidationError, "K-8: already exists"):
            self._lot("K-8", self.product_free, company_id=company_b.id)

    def test_batch_duplicates_all_listed(self):
        with self.assertRaises(ValidationError) as catcher:
            self.env["stock.lot"].create(
                [
                    {"name": "A-1", "product_id": self.product_free.id},
                    {"name": "A-1", "product_id": self.product_free.id},
                    {"name": "bad\tserial", "product_id": self.product_free.id},
                ]
            )
        message = str(catcher.exception)
        self.assertIn("A-1: duplicated in the list", message)
        self.assertIn("control or invisible characters", message)
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "A-1")]))

    def test_rename_is_validated(self):
        lot = self._lot("490154203237518", self.product_imei)
        with self.assertRaisesRegex(ValidationError, "wrong IMEI check digit"):
            lot.name = "490154203237519"
        lot.name = "860123456789055"
        self.assertEqual(lot.serial_unique_key, "G|860123456789055")

    def test_concurrent_transactions_cannot_create_the_same_imei(self):
        """Two users receive the same IMEI at the same moment: the database decides.

        The second transaction took its snapshot before the first committed, so the
        Python check cannot see the first serial: only the unique constraint stops it,
        and the RPC layer turns the violation into a readable message.
        """
        serial = "358714024680138"
        with self.registry.cursor() as cr0:
            env0 = api.Environment(cr0, api.SUPERUSER_ID, {})
            product = env0["product.product"].create(
                {
                    "name": "Race Phone",
                    "is_storable": True,
                    "tracking": "serial",
                    "serial_identifier_type": "imei",
                }
            )
            product_id = product.id
            cr0.commit()
        self.addCleanup(self._remove_committed_units, product_id)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, api.SUPERUSER_ID, {})
            env2 = api.Environment(cr2, api.SUPERUSER_ID, {})
            # Both transactions start before either has written anything.
            env1["stock.lot"].search_count([("name", "=", serial)])
            env2["stock.lot"].search_count([("name", "=", serial)])
            env1["stock.lot"].create({"name": serial, "product_id": product_id})
            cr1.commit()
            self.assertFalse(env2["stock.lot"].search([("name", "=", serial)]))

            def create_again():
                return env2["stock.lot"].create({"name": serial, "product_id": product_id})

            with (
                mute_logger("odoo.sql_db"),
                self.assertRaisesRegex(ValidationError, "serial number already exists"),
            ):
                retrying(create_again, env2)
            cr2.rollback()
        with self.registry.cursor() as cr3:
            cr3.execute("SELECT count(*) FROM stock_lot WHERE name = %s", [serial])
            self.assertEqual(cr3.fetchone()[0], 1)

    def _remove_committed_units(self, product_id):
        """Remove the committed product and its units (with their chatter), pass or fail."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            product = env["product.product"].browse(product_id)
            env["stock.lot"].search([("product_id", "=", product_id)]).unlink()
            product.product_tmpl_id.unlink()
