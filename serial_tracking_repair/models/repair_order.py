from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    # Odoo's flag, now proposed from the unit's coverage; the user may still change it.
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty",
        store=True,
        readonly=False,
        tracking=True,
    )
    serial_warranty_state = fields.Selection(related="lot_id.serial_warranty_state")
    serial_warranty_end = fields.Date(related="lot_id.serial_warranty_end")

    @api.depends("lot_id", "schedule_date")
    def _compute_under_warranty(self):
        for repair in self:
            if repair.lot_id:
                repair.under_warranty = repair._serial_covered_on_repair_date()
            else:
                repair.under_warranty = repair.under_warranty

    def _serial_covered_on_repair_date(self):
        """Whether a coverage of the unit includes the repair date (company time zone)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        day = company._serial_local_date(self.schedule_date or fields.Datetime.now())
        return any(
            warranty.state != "void" and warranty.date_start <= day <= warranty.date_end
            for warranty in self.lot_id.sudo().serial_warranty_ids
        )

    @api.model_create_multi
    def create(self, vals_list):
        repairs = super().create(vals_list)
        repairs.filtered(lambda r: r.state != "draft").lot_id._serial_refresh_state()
        return repairs

    def write(self, vals):
        old_lots = self.lot_id if {"state", "lot_id"} & set(vals) else None
        res = super().write(vals)
        if old_lots is not None:
            (old_lots | self.lot_id).filtered(
                lambda lot: lot.product_id.tracking == "serial"
            )._serial_refresh_state()
        return res
