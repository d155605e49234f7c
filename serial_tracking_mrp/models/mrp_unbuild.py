from odoo import api, models

# What makes a done unbuild take a unit of an order apart.
GENEALOGY_FIELDS = {"state", "lot_id", "mo_id"}


class MrpUnbuild(models.Model):
    _inherit = "mrp.unbuild"

    def _serial_unbuilt_productions(self):
        """The orders whose units the done unbuilds of ``self`` took apart: their
        order, or, for an unbuild of no order in particular (Odoo allows it when the
        bill of materials tracks no component), every done order of its lot."""
        done = self.filtered(lambda unbuild: unbuild.state == "done")
        links = self.env["serial.genealogy.link"]
        return done.mo_id | links._productions_of_lots(
            done.filtered(lambda unbuild: not unbuild.mo_id).lot_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        unbuilds = super().create(vals_list)
        self.env["serial.genealogy.link"]._refresh(unbuilds._serial_unbuilt_productions())
        return unbuilds

    def write(self, vals):
        # Also action_unbuild(), which writes the state last.
        if GENEALOGY_FIELDS.isdisjoint(vals):
            return super().write(vals)
        before = self._serial_unbuilt_productions()
        res = super().write(vals)
        self.env["serial.genealogy.link"]._refresh(before | self._serial_unbuilt_productions())
        return res
