from odoo import api, fields, models
from odoo.exceptions import UserError


class SerialRegisterOpeningWizard(models.TransientModel):
    _name = "serial.register.opening.wizard"
    _description = "Register Opening Entries"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        help="Date written on the opening lines: when the book was opened.",
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Units",
        compute="_compute_lot_ids",
        help="Register products in stock that have no line in the book yet.",
    )
    lot_count = fields.Integer(compute="_compute_lot_ids")

    @api.depends("company_id")
    def _compute_lot_ids(self):
        for wizard in self:
            wizard.lot_ids = wizard._serial_lots_to_open()
            wizard.lot_count = len(wizard.lot_ids)

    def _serial_lots_to_open(self):
        """Units of register products in the company's stock without a book line."""
        self.ensure_one()
        kinds = self.env["stock.move.line"]._serial_register_kinds()
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                    ("lot_id", "!=", False),
                    ("product_id.serial_register_kind", "in", kinds),
                ]
            )
        )
        in_book = (
            self.env["serial.register.entry"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("lot_id", "in", quants.lot_id.ids)])
            .lot_id
        )
        return quants.lot_id - in_book

    def action_confirm(self):
        self.ensure_one()
        self.env["serial.register.entry"]._check_officer()
        lots = self._serial_lots_to_open()
        if not lots:
            raise UserError(self.env._("Every register unit in stock already has a book line."))
        vals_list = []
        snapshots = {}
        company_partner = self.company_id.partner_id._serial_register_snapshot()
        for lot in lots:
            product = lot.product_id
            kind = product.serial_register_kind
            if product.id not in snapshots:
                snapshots[product.id] = getattr(product, f"_register_entry_values_{kind}")()
            vals_list.append(
                {
                    "company_id": self.company_id.id,
                    "register_kind": kind,
                    "entry_type": "acquisition",
                    "event": "opening",
                    "date": self.date,
                    "lot_id": lot.id,
                    "product_id": product.id,
                    "serial": lot.name,
                    "reason": self.env._("Opening balance"),
                    **company_partner,
                    **snapshots[product.id],
                    **lot._register_entry_values_unit(kind),
                }
            )
        entries = self.env["serial.register.entry"].sudo()._append(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Opening Entries"),
            "res_model": "serial.register.entry",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
        }
