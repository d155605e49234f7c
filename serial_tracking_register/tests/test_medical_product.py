from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RegisterCase

# GTINs on the GS1 example prefix 950600, with their check digits.
IMPLANT_GTIN13 = "9506000134376"
PUMP_GTIN13 = "9506000134383"


class MedicalCase(RegisterCase):
    """A hip implant that uses expiry dates and an infusion pump that does not, both
    medical devices identified by their GTIN; scanners send FNC1 as ``#``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.nomenclature_id = cls.env.ref(
            "barcodes_gs1_nomenclature.default_gs1_nomenclature"
        )
        cls.company.nomenclature_id.gs1_separator_fnc1 = r"(Alt029|#|\x1D)"
        cls.implant = cls._create_medical("Hip Stem 32", IMPLANT_GTIN13, use_expiration_date=True)
        cls.pump = cls._create_medical("Infusion Pump", PUMP_GTIN13)
        cls.implant_di = "0" + IMPLANT_GTIN13
        cls.pump_di = "0" + PUMP_GTIN13

    @classmethod
    def _create_medical(cls, name, barcode, **vals):
        return cls._create_serial_product(
            name,
            "gtin_serial",
            barcode=barcode,
            serial_register_kind="medical_device",
            serial_manufacturer_id=cls.maker.id,
            **vals,
        )

    @staticmethod
    def _udi(di, serial, lot=None, mfg=None, exp=None, form="hri"):
        """A full UDI as printed (``hri``) or as scanners send it: ``gs`` (FNC1 as GS),
        ``sep`` (FNC1 as ``#``), ``d2`` (GS with the DataMatrix symbology id)."""
        elements = [("01", di), ("11", mfg), ("17", exp), ("10", lot), ("21", serial)]
        elements = [(ai, value) for ai, value in elements if value]
        if form == "hri":
            return "".join(f"({ai}){value}" for ai, value in elements)
        sep = "#" if form == "sep" else "\x1d"
        parts = []
        for ai, value in elements:
            parts.append(ai + value)
            if ai in ("10", "21") and (ai, value) != elements[-1]:
                parts.append(sep)
        return ("]d2" if form == "d2" else "") + "".join(parts)


@tagged("post_install", "-at_install")
class TestMedicalProduct(MedicalCase):
    def test_di_defaults_to_the_gtin_barcode_as_gtin14(self):
        self.assertEqual(self.implant.serial_udi_di, self.implant_di)
        self.assertEqual(self.implant._serial_udi_di(), self.implant_di)
        # Typed as GTIN-13, stored as GTIN-14 so that scans of AI (01) compare as text.
        self.pump.product_tmpl_id.serial_udi_di = PUMP_GTIN13
        self.assertEqual(self.pump.serial_udi_di, self.pump_di)
        # The same through the variant, as an RPC client writing product.product does.
        self.pump.serial_udi_di = False
        self.pump.serial_udi_di = PUMP_GTIN13
        self.assertEqual(self.pump.product_tmpl_id.serial_udi_di, self.pump_di)
        # Other kinds have no DI, whatever their barcode.
        self.pistol.barcode = "9506000134390"
        self.assertFalse(self.pistol._serial_udi_di())

    def test_wrong_check_digit_names_the_expected_digit(self):
        with self.assertRaises(ValidationError) as catcher:
            self.implant.product_tmpl_id.serial_udi_di = "09506000134377"
        self.assertEqual(
            str(catcher.exception),
            "UDI-DI 09506000134377 of Hip Stem 32: wrong check digit, expected 6",
        )

    def test_one_di_names_one_product(self):
        with self.assertRaises(ValidationError) as catcher:
            self._create_medical("Hip Stem 36", "9506000134390", serial_udi_di=IMPLANT_GTIN13)
        self.assertIn("UDI-DI 09506000134376 is already used", str(catcher.exception))

    def test_variants_fall_back_to_their_own_barcode(self):
        size = self.env["product.attribute"].create(
            {
                "name": "Stem size",
                "value_ids": [Command.create({"name": "32"}), Command.create({"name": "36"})],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "Modular Stem",
                "is_storable": True,
                "tracking": "serial",
                "serial_identifier_type": "gtin_serial",
                "serial_register_kind": "medical_device",
                "attribute_line_ids": [
                    Command.create(
                        {"attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)]}
                    )
                ],
            }
        )
        small, large = template.product_variant_ids
        small.barcode = "9506000134390"
        large.barcode = "09506000134406"
        self.assertFalse(template.serial_udi_di)
        self.assertEqual(small._serial_udi_di(), "09506000134390")
        self.assertEqual(large._serial_udi_di(), "09506000134406")
