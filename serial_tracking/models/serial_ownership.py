from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..tools import guard

OWNERSHIP_ORIGINS = [
    ("sale", "Sale"),
    ("transfer", "Transfer"),
    ("return", "Return"),
    ("registration", "Registration"),
]


class SerialOwnership(models.Model):
    _name = "serial.ownership"
    _description = "Serial Unit Ownership"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["lot_id.name", "partner_id.name"]

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    # Read through the unit rather than stored: a copy would cost a foreign-key check
    # and an index entry per row when a delivery opens thousands of periods, and the
    # unit's product and company are what the period belongs to anyway. Odoo searches,
    # sorts and groups by them through the join.
    product_id = fields.Many2one(related="lot_id.product_id")
    company_id = fields.Many2one(related="lot_id.company_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        required=True,
        index=True,
        ondelete="restrict",
    )
    date_start = fields.Datetime(string="From", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="Until", help="Empty while the ownership is current.")
    origin = fields.Selection(
        OWNERSHIP_ORIGINS,
        required=True,
        default="sale",
        help="How the owner got the unit.",
    )
    end_reason = fields.Selection(
        OWNERSHIP_ORIGINS,
        string="Ended By",
        help="The event that ended this ownership.",
    )
    # No check_company: a unit shared by all companies (no company) is delivered by one.
    picking_id = fields.Many2one("stock.picking", string="Transfer", index="btree_not_null")
    note = fields.Char()
    is_current = fields.Boolean(
        string="Current", compute="_compute_is_current", search="_search_is_current"
    )

    _sql_constraints = [
        (
            "date_check",
            "CHECK (date_end IS NULL OR date_end >= date_start)",
            "An ownership cannot end before it starts.",
        ),
    ]

    @api.depends("date_end")
    def _compute_is_current(self):
        for record in self:
            record.is_current = not record.date_end

    def _search_is_current(self, operator, value):
        if operator in ("=", "!="):
            wanted = {bool(value)} if operator == "=" else {not value}
        elif operator in ("in", "not in"):
            values = {bool(v) for v in value}
            wanted = values if operator == "in" else {True, False} - values
        else:
            raise UserError(
                self.env._(
                    "Current ownership cannot be searched with the operator %(operator)s.",
                    operator=operator,
                )
            )
        if wanted == {True, False}:
            return expression.TRUE_DOMAIN
        if not wanted:
            return expression.FALSE_DOMAIN
        return [("date_end", "=" if True in wanted else "!=", False)]

    def write(self, vals):
        guard.check_write(self, vals)
        return super().write(vals)

    @api.depends("lot_id", "partner_id")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.lot_id.name} - {record.partner_id.display_name}"
