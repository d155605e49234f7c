import polib

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..tools.identifiers import REASONS
from .common import SerialTrackingCase
from .i18n_common import PLACEHOLDER, export_pot, pot_differences, repository_po_files


@tagged("post_install", "-at_install")
class TestTranslationTemplate(TransactionCase):
    """The shipped ``i18n/serial_tracking.pot`` is what Odoo's export gives today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exported = export_pot(cls.env, "serial_tracking")

    def test_pot_is_up_to_date(self):
        problem = pot_differences("serial_tracking", self.exported)
        if problem:
            self.fail(problem)

    def test_identifier_reasons_are_exported(self):
        python_terms = {
            entry.msgid for entry in polib.pofile(self.exported) if "odoo-python" in entry.comment
        }
        missing = sorted(code for code, template in REASONS.items() if template not in python_terms)
        self.assertFalse(
            missing, f"identifier reasons not exported for translation: {', '.join(missing)}"
        )

    def test_translations_keep_their_placeholders(self):
        files = list(repository_po_files())
        self.assertTrue(files, "no translation (.po) file in the repository")
        for name, path in files:
            po = polib.pofile(path)
            lang = name.rsplit("/", 1)[-1].removesuffix(".po")
            with self.subTest(po=name):
                self.assertEqual(po.metadata.get("Language"), lang)
                broken = [
                    entry.msgid
                    for entry in po.translated_entries()
                    if sorted(PLACEHOLDER.findall(entry.msgstr))
                    != sorted(PLACEHOLDER.findall(entry.msgid))
                ]
                self.assertFalse(broken, f"{name}: placeholders changed in {broken}")


@tagged("post_install", "-at_install")
class TestFrenchUser(SerialTrackingCase):
    """A user working in French gets the addon's messages in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        # Tests do not load the terms of a language activated after the install.
        cls.env["ir.module.module"]._load_module_terms(
            ["serial_tracking"], ["fr_FR"], overwrite=True
        )
        cls.clerk = new_test_user(
            cls.env,
            login="clerk_fr",
            groups="stock.group_stock_user,serial_tracking.group_serial_tracking_user",
            lang="fr_FR",
        )

    def _as_clerk(self, model):
        # What the web client sends: the user's language in the context.
        return self.env[model].with_user(self.clerk).with_context(lang=self.clerk.lang)

    def test_wrong_imei_check_digit_refused_in_french(self):
        with self.assertRaises(ValidationError) as caught, Form(self._as_clerk("stock.lot")) as lot:
            lot.product_id = self.product_imei
            lot.name = "490154203237517"
        message = caught.exception.args[0]
        self.assertIn("Ces numéros de série ne peuvent pas être utilisés :", message)
        self.assertIn("490154203237517 : mauvais chiffre de contrôle IMEI", message)
        self.assertNotIn("wrong", message)

    def test_scanned_gs1_error_in_french(self):
        lookup = Form(self._as_clerk("serial.warranty.lookup"))
        lookup.code = "(01)09506000134353(21)A1"  # GTIN check digit is 2
        self.assertEqual(
            lookup.error,
            "Impossible de lire le code scanné (01)09506000134353(21)A1 : mauvais chiffre de "
            "contrôle dans l'IA (01) 09506000134353",
        )

    def test_block_reason_is_written_in_the_reader_language(self):
        Lot = self.env["stock.lot"]
        lot, held = Lot.create(
            [{"product_id": self.product_free.id, "name": name} for name in ("FR-1", "FR-2")]
        )
        lot._serial_report_loss("stolen", fields.Date.today())
        held.serial_quarantine = True
        self.assertFalse(Lot._fields["serial_block_reason"].store)
        self.assertEqual(lot.with_context(lang="en_US").serial_block_reason, "reported stolen")
        french = lot.with_user(self.clerk).with_context(lang="fr_FR")
        self.assertEqual(french.serial_block_reason, "déclaré volé")
        # Searched as read: in the user's language.
        mine = [("product_id", "=", self.product_free.id)]
        Lot = self._as_clerk("stock.lot")
        self.assertEqual(Lot.search(mine + [("serial_block_reason", "ilike", "volé")]), lot)
        self.assertFalse(Lot.search(mine + [("serial_block_reason", "ilike", "stolen")]))
        self.assertEqual(Lot.search(mine + [("serial_block_reason", "!=", False)]), lot | held)
