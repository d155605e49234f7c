from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.serial_tracking.tools import identifiers


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_register_kind = fields.Selection(
        [("none", "None"), ("firearm", "Firearm"), ("medical_device", "Medical Device")],
        string="Register",
        default="none",
        required=True,
        tracking=True,
        help="Regulated goods whose every acquisition and disposition is written in the "
        "company's register (the firearms A&D book).",
    )
    serial_firearm_type = fields.Selection(
        [
            ("pistol", "Pistol"),
            ("revolver", "Revolver"),
            ("rifle", "Rifle"),
            ("shotgun", "Shotgun"),
            ("receiver", "Receiver/Frame"),
            ("other", "Other"),
        ],
        string="Firearm Type",
        tracking=True,
    )
    serial_firearm_caliber = fields.Char(string="Caliber or Gauge", tracking=True)
    serial_firearm_model = fields.Char(string="Firearm Model", tracking=True)
    serial_manufacturer_id = fields.Many2one(
        "res.partner",
        string="Manufacturer",
        tracking=True,
        help="Manufacturer written in the register (for a domestic firearm, also the "
        "maker marked on it).",
    )
    serial_importer_id = fields.Many2one(
        "res.partner",
        string="Importer",
        tracking=True,
        help="Importer of a foreign-made firearm, written in the register.",
    )
    serial_udi_di = fields.Char(
        string="UDI-DI",
        compute="_compute_serial_udi_di",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="Device identifier of the UDI (GS1 AI 01, 14 digits): defaults to the "
        "product's GTIN barcode.",
    )
    serial_device_tracked = fields.Boolean(
        string="Tracked Device (21 CFR 821)",
        tracking=True,
        help="The manufacturer must be told of every receipt and disposition of each unit, "
        "and the end user (institution or patient) of each unit is recorded.",
    )
    serial_implantable = fields.Boolean(
        string="Implantable",
        tracking=True,
        help="Each unit gets an implant card (EU MDR Art. 18).",
    )

    @api.constrains("serial_register_kind", "tracking", "serial_firearm_type")
    def _check_serial_register(self):
        for template in self.filtered(lambda t: t.serial_register_kind != "none"):
            if template.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "%(product)s is kept in a register: track it by unique serial number.",
                        product=template.display_name,
                    )
                )
            if template.serial_register_kind == "firearm" and not template.serial_firearm_type:
                raise ValidationError(
                    self.env._(
                        "%(product)s is a firearm: set its type (pistol, rifle...).",
                        product=template.display_name,
                    )
                )

    @api.model
    def _serial_handgun_types(self):
        """Types reported as multiple sales of pistols and revolvers (Form 3310.4)."""
        return ("pistol", "revolver")

    @api.depends("barcode", "serial_register_kind")
    def _compute_serial_udi_di(self):
        for template in self:
            if template.serial_register_kind != "medical_device":
                continue
            if template.serial_udi_di or not template.barcode:
                continue
            try:
                template.serial_udi_di = identifiers.normalize_gtin14(template.barcode)
            except ValueError:
                # Not a GTIN (internal barcode): the user types the DI.
                continue

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._serial_normalize_udi_di_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._serial_normalize_udi_di_vals(vals)
        return super().write(vals)

    @api.model
    def _serial_normalize_udi_di_vals(self, vals, fname="serial_udi_di"):
        """Store every DI (``vals[fname]``) as GTIN-14 so that a scan of AI (01), or a
        recall's scope, compares it as text."""
        di = vals.get(fname)
        if di and isinstance(di, str):
            di = di.strip()
            try:
                vals[fname] = identifiers.normalize_gtin14(di)
            except ValueError:
                vals[fname] = di  # refused with a clear message by the constraint

    @api.constrains("serial_udi_di", "serial_register_kind")
    def _check_serial_udi_di(self):
        for template in self.filtered("serial_udi_di"):
            issue = identifiers.check_gtin(template.serial_udi_di)
            if not issue:
                continue
            if issue.code == "gtin_check":
                problem = self.env._(
                    "wrong check digit, expected %(digit)s", digit=issue.params["expected"]
                )
            else:
                problem = self.env["stock.lot"]._serial_issue_message(issue)
            raise ValidationError(
                self.env._(
                    "UDI-DI %(di)s of %(product)s: %(problem)s",
                    di=template.serial_udi_di,
                    product=template.display_name,
                    problem=problem,
                )
            )
        duplicates = (
            self.env["product.template"]
            .sudo()
            ._read_group(
                [("serial_udi_di", "in", self.filtered("serial_udi_di").mapped("serial_udi_di"))],
                ["serial_udi_di", "company_id"],
                having=[("__count", ">", 1)],
            )
        )
        for di, company in duplicates:
            raise ValidationError(
                self.env._(
                    "UDI-DI %(di)s is already used by another product%(where)s: a device "
                    "identifier names one device model.",
                    di=di,
                    where=self.env._(" of %(company)s", company=company.name) if company else "",
                )
            )

    @api.onchange("serial_register_kind")
    def _onchange_serial_register_kind_medical(self):
        # UDI serials are GS1 AI (21) serials.
        if self.serial_register_kind == "medical_device" and self.serial_identifier_type == "free":
            self.serial_identifier_type = "gtin_serial"
