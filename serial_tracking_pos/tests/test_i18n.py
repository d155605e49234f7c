from odoo.tests import TransactionCase, tagged

from odoo.addons.serial_tracking.tests.i18n_common import export_pot, pot_differences


@tagged("post_install", "-at_install")
class TestTranslationTemplate(TransactionCase):
    """The shipped ``i18n/serial_tracking_pos.pot`` is what Odoo's export gives today."""

    def test_pot_is_up_to_date(self):
        exported = export_pot(self.env, "serial_tracking_pos")
        self.assertIn("not in this shop's stock (%(location)s)", exported)
        problem = pot_differences("serial_tracking_pos", exported)
        if problem:
            self.fail(problem)
