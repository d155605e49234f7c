from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_vin_lenient = fields.Boolean(
        related="company_id.serial_vin_lenient",
        readonly=False,
    )
    serial_warranty_reminder_days = fields.Integer(
        related="company_id.serial_warranty_reminder_days",
        readonly=False,
    )
    serial_warranty_reminder_email = fields.Boolean(
        related="company_id.serial_warranty_reminder_email",
        readonly=False,
    )
    serial_warranty_responsible_id = fields.Many2one(
        related="company_id.serial_warranty_responsible_id",
        readonly=False,
    )
    serial_transfer_expiry_days = fields.Integer(
        related="company_id.serial_transfer_expiry_days",
        readonly=False,
    )
