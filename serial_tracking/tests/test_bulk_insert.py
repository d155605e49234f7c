from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.bulk import insert_rows
from .common import SerialTrackingCommon


@tagged("post_install", "-at_install")
class TestBulkInsert(SerialTrackingCommon):
    """History rows written set-based still behave like records made by create()."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company-specific product: its units belong to the company.
        cls.product_free.company_id = cls.company
        cls.lots = cls._receive_cls(cls.product_free, ["BULK-1", "BULK-2", "BULK-3"])

    def test_delivery_rows_are_complete_and_visible_at_once(self):
        self.assertFalse(self.lots.serial_ownership_ids)  # cached empty before the delivery
        picking = self._deliver(self.lots, self.customer_contact)
        ownerships = self.lots.serial_ownership_ids
        self.assertEqual(len(ownerships), 3, "the cached history was refreshed")
        self.assertEqual(ownerships.partner_id, self.customer)
        self.assertEqual(ownerships.picking_id, picking)
        # Related stored fields are computed as after create().
        self.assertEqual(ownerships.product_id, self.product_free)
        self.assertEqual(ownerships.company_id, self.company)
        self.assertEqual(ownerships.create_uid, self.env.user)
        self.assertTrue(all(ownerships.mapped("is_current")))
        # Searching (SQL) finds them with their computed columns.
        self.assertEqual(
            self.env["serial.ownership"].search_count(
                [("product_id", "=", self.product_free.id), ("partner_id", "=", self.customer.id)]
            ),
            3,
        )

    def test_computed_dependents_follow_inserted_coverage(self):
        term = self.env["serial.warranty.term"].create(
            {"name": "1 year", "duration": 1, "duration_unit": "year", "start_trigger": "delivery"}
        )
        self.product_free.serial_warranty_term_id = term
        self.assertEqual(set(self.lots.mapped("serial_warranty_state")), {"none"})
        self._deliver(self.lots)
        coverages = self.lots.serial_warranty_ids
        self.assertEqual(len(coverages), 3)
        self.assertEqual(set(coverages.mapped("state")), {"active"}, "computed on the new rows")
        self.assertEqual(set(self.lots.mapped("serial_warranty_state")), {"active"})
        self.assertEqual(self.lots.mapped("serial_warranty_end"), coverages.mapped("date_end"))

    def test_refuses_computed_fields_and_checks_rights(self):
        Ownership = self.env["serial.ownership"].sudo()
        row = {"lot_id": self.lots[0].id, "partner_id": self.customer.id, "origin": "sale"}
        with self.assertRaisesRegex(ValueError, "serial.ownership.product_id"):
            insert_rows(Ownership, [dict(row, product_id=self.product_free.id)])
        salesman = self.env["res.users"].create(
            {
                "name": "Bulk Salesman",
                "login": "bulk_salesman",
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        with self.assertRaises(AccessError):
            insert_rows(self.env["serial.ownership"].with_user(salesman), [row])
        self.assertFalse(self.lots[0].serial_ownership_ids, "nothing was written")

    def test_refuses_coverage_mixing_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        term = self.env["serial.warranty.term"].create(
            {
                "name": "Other company's term",
                "duration": 1,
                "duration_unit": "year",
                "start_trigger": "delivery",
                "company_id": other.id,
            }
        )
        Warranty = self.env["serial.warranty"]
        vals = Warranty._serial_prepare_vals(
            term,
            self.product_free,
            fields.Date.today(),
            lot=self.lots[0],
            partner=self.customer,
            company=self.company,
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            Warranty._serial_create([vals])
