from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.bulk import insert_rows
from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestBulkInsert(SerialTrackingCase):
    """History rows written set-based still behave like records made by create()."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company-specific product: its units belong to the company.
        cls.product_free.company_id = cls.company
        cls.lots = cls._receive_units(cls.product_free, ["BULK-1", "BULK-2", "BULK-3"])

    def _insert_ownerships(self, extras):
        """Ownership rows of the customer for the units, with ``extras`` (one dict of
        more values per unit)."""
        return insert_rows(
            self.env["serial.ownership"].sudo(),
            [
                {
                    "lot_id": lot.id,
                    "partner_id": self.customer.id,
                    "origin": "registration",
                    "date_start": fields.Datetime.now(),
                    **extra,
                }
                for lot, extra in zip(self.lots, extras, strict=True)
            ],
        )

    def test_delivery_rows_are_complete_and_visible_at_once(self):
        self.assertFalse(self.lots.serial_ownership_ids)  # cached empty before the delivery
        picking = self._deliver(self.lots, self.customer_contact)
        ownerships = self.lots.serial_ownership_ids
        self.assertEqual(len(ownerships), 3, "the cached history was refreshed")
        self.assertEqual(ownerships.partner_id, self.customer)
        self.assertEqual(ownerships.picking_id, picking)
        # The product and company are the unit's.
        self.assertEqual(ownerships.product_id, self.product_free)
        self.assertEqual(ownerships.company_id, self.company)
        self.assertEqual(ownerships.create_uid, self.env.user)
        self.assertTrue(all(ownerships.mapped("is_current")))
        # Searching by product (through the unit) finds them.
        self.assertEqual(
            self.env["serial.ownership"].search_count(
                [("product_id", "=", self.product_free.id), ("partner_id", "=", self.customer.id)]
            ),
            3,
        )

    def test_refuses_models_with_stored_related_fields(self):
        # Nothing reads a related field's source before the INSERT: such a model would
        # get empty or given values where create() reads the source.
        Request = self.env["serial.transfer.request"].sudo()
        self.assertTrue(Request._fields["product_id"].related)
        with self.assertRaisesRegex(ValueError, "serial.transfer.request has stored related"):
            insert_rows(Request, [{"lot_id": self.lots[0].id}])
        self.assertFalse(Request.search([("lot_id", "=", self.lots[0].id)]))

    def test_delivery_leaves_no_tracking_to_compare(self):
        # A delivery rewrites the status and owner of every unit it moves, fields that
        # are not tracked: nothing is left for the commit to compare for them. (The
        # units were received earlier: run what a commit runs, as the receipt's would.)
        self.env.cr.precommit.run()
        self._deliver(self.lots)
        self.assertEqual(self.lots.serial_owner_id, self.customer)
        prepared = self.env.cr.precommit.data.get("mail.tracking.stock.lot", {})
        self.assertFalse(set(prepared) & set(self.lots.ids))
        # A tracked field is still logged in the unit's chatter.
        unit = self.lots[0]
        unit.write({"serial_quarantine": True, "serial_quarantine_reason": "dented"})
        self.env.cr.precommit.run()
        tracked = unit.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("serial_quarantine", tracked)
        with self.assertRaisesRegex(ValueError, "serial_quarantine"):
            unit._serial_write_untracked({"serial_quarantine": False})

    def test_text_is_stored_as_written(self):
        # Rows go to the database as one array per column: quotes, backslashes, line
        # breaks, braces and commas in a text, or a value missing in one row only, must
        # come back as written.
        notes = ['O\'Brien said "mine" \\ {1,2}', False, "première ligne\nseconde, ligne"]
        ownerships = self._insert_ownerships([{"note": note} for note in notes])
        ownerships.invalidate_recordset()
        self.assertEqual(ownerships.mapped("note"), notes)
        self.assertEqual(ownerships.lot_id, self.lots)

    def test_inserted_values_are_not_read_back(self):
        # Thousands of new rows: their values are cached from the rows, not fetched
        # again, while the history cached on their units is refreshed.
        self.assertFalse(self.lots.serial_ownership_ids)
        ownerships = self._insert_ownerships([{}] * len(self.lots))
        with self.assertQueryCount(0):
            self.assertEqual(ownerships.lot_id, self.lots)
            self.assertEqual(ownerships.partner_id, self.customer)
            # Columns no row gives are empty, in the cache as in the database.
            self.assertEqual(ownerships.mapped("date_end"), [False] * 3)
            self.assertEqual(ownerships.mapped("note"), [False] * 3)
        self.assertEqual(self.lots.serial_ownership_ids, ownerships)
        ownerships.invalidate_recordset()
        self.assertEqual(ownerships.mapped("date_end"), [False] * 3)
        self.assertEqual(ownerships.mapped("note"), [False] * 3)

    def test_computed_dependents_follow_inserted_coverage(self):
        self.product_free.serial_warranty_term_id = self._term(self.company)
        self.assertEqual(set(self.lots.mapped("serial_warranty_state")), {"none"})
        self._deliver(self.lots)
        coverages = self.lots.serial_warranty_ids
        self.assertEqual(len(coverages), 3)
        self.assertEqual(set(coverages.mapped("state")), {"active"}, "computed on the new rows")
        self.assertEqual(set(self.lots.mapped("serial_warranty_state")), {"active"})
        self.assertEqual(self.lots.mapped("serial_warranty_end"), coverages.mapped("date_end"))

    def test_refuses_computed_fields_and_checks_rights(self):
        with self.assertRaisesRegex(
            ValueError, "res.partner.commercial_partner_id is computed after insertion"
        ):
            insert_rows(
                self.env["res.partner"],
                [{"name": "BULK-X", "commercial_partner_id": self.customer.id}],
            )
        # A precomputed field that is not a related one is taken as given: every row
        # must give it.
        rows = [
            {
                "name": name,
                "product_id": self.product_free.id,
                "company_id": self.company.id,
                "serial_unique_key": f"P|{self.product_free.id}|{self.company.id}|{name}",
            }
            for name in ("BULK-Y", "BULK-Z")
        ]
        del rows[1]["serial_unique_key"]
        with self.assertRaisesRegex(ValueError, "stock.lot.serial_unique_key must be given"):
            insert_rows(self.env["stock.lot"], rows)
        row = {"lot_id": self.lots[0].id, "partner_id": self.customer.id, "origin": "sale"}
        with self.assertRaises(AccessError):
            insert_rows(self.env["serial.ownership"].with_user(self.salesman), [row])
        self.assertFalse(self.lots[0].serial_ownership_ids, "nothing was written")

    def test_refuses_coverage_mixing_companies(self):
        term = self._term(self.env["res.company"].create({"name": "Other Co"}))
        Warranty = self.env["serial.warranty"]
        vals = Warranty._serial_prepare_vals(
            term,
            self.product_free,
            fields.Date.today(),
            lot=self.lots[0],
            partner=self.customer,
            company=self.company,
        )
        valid = dict(vals, lot_id=self.lots[1].id, term_id=self._term(self.company).id)
        with (
            self.assertRaisesRegex(UserError, "Incompatible companies"),
            self.env.cr.savepoint(),  # as the request's transaction would be
        ):
            Warranty._serial_create([valid, vals])
        self.assertFalse(self.lots.serial_warranty_ids, "nothing was written")

    def test_coverage_of_one_company_is_accepted(self):
        term = self._term(self.company)
        today = self.company._serial_today()
        starts = [today, today, fields.Date.add(today, days=10)]
        vals_list = [
            self.env["serial.warranty"]._serial_prepare_vals(
                term, self.product_free, start, lot=lot, company=self.company
            )
            for lot, start in zip(self.lots, starts, strict=True)
        ]
        coverages = self.env["serial.warranty"]._serial_create(vals_list)
        self.assertEqual(coverages.lot_id, self.lots)
        self.assertEqual(coverages.mapped("state"), ["active", "active", "pending"])
        self.assertEqual(self.lots.mapped("serial_warranty_state"), ["active", "active", "pending"])

    def _term(self, company):
        return self.env["serial.warranty.term"].create(
            {
                "name": "1 year",
                "duration": 1,
                "duration_unit": "year",
                "start_trigger": "delivery",
                "company_id": company.id,
            }
        )
