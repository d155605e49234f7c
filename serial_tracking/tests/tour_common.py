from unittest.mock import patch

from odoo.tests import HttpCase, common

from .common import enable_lots_and_serials


class SerialTourCase(HttpCase):
    """Browser tours that wait patiently for Chromium to start.

    Odoo gives Chromium 10 seconds to open its debugging port and otherwise *skips* the
    tour; a busy CI machine can need longer on the first start. A skipped tour proves
    nothing, so we wait up to 60 seconds instead.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(common, "CHECK_BROWSER_ITERATIONS", 600))
        enable_lots_and_serials(cls.env)
