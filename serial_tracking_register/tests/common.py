"""Fixtures of the register tests: firearms, a licensed dealer, a non-licensee."""

from odoo.addons.serial_tracking.tests.common import SerialTrackingCase


class RegisterCase(SerialTrackingCase):
    """A pistol, a revolver and a rifle kept in the firearms book; a licensed dealer
    (FFL) and the customers of the core fixtures, who hold no license."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.maker = Partner.create({"name": "Ridgeline Arms Co.", "is_company": True})
        cls.importer = Partner.create({"name": "Atlantic Imports LLC", "is_company": True})
        cls.dealer = Partner.create(
            {
                "name": "Frontier Sporting",
                "is_company": True,
                "serial_license_number": "9-98-765-01-4D-00042",
            }
        )
        cls.customer.write({"street": "12 Maple Street", "city": "Springfield"})
        cls.pistol = cls._create_firearm("Test P9", "pistol", "9mm Luger")
        cls.revolver = cls._create_firearm("Test R6", "revolver", ".357 Magnum")
        cls.rifle = cls._create_firearm(
            "Test R308", "rifle", ".308 Winchester", serial_importer_id=cls.importer.id
        )
        cls.officer = cls._create_user(
            "reg_officer",
            "stock.group_stock_user,serial_tracking_register.group_serial_register_officer",
        )
        cls.Entry = cls.env["serial.register.entry"]

    @classmethod
    def _create_firearm(cls, name, firearm_type, caliber, **vals):
        return cls._create_serial_product(
            name,
            serial_register_kind="firearm",
            serial_firearm_type=firearm_type,
            serial_firearm_caliber=caliber,
            serial_firearm_model=f"{name} model",
            serial_manufacturer_id=cls.maker.id,
            **vals,
        )

    @classmethod
    def _sell_units(cls, lots, partner=None, ref="4473-0001"):
        """Deliver ``lots`` to ``partner`` (default: the customer) with a 4473 number."""
        pickings = cls.env["stock.picking"]
        for product, units in lots.grouped("product_id").items():
            picking = cls._create_picking(
                cls.picking_type_out, product, len(units), partner or cls.customer
            )
            picking.serial_transaction_ref = ref
            pickings |= cls._validate_picking(picking, units)
        return pickings

    def _entries(self, lots, **domain):
        return self.Entry.search(
            [("lot_id", "in", lots.ids), *[(k, "=", v) for k, v in domain.items()]],
            order="sequence",
        )
