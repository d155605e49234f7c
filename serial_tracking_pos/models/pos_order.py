import logging

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class PosOrder(models.Model):
    _inherit = "pos.order"

    def _create_order_picking(self):
        # A paid order is never lost: should its picking still fail (a rule of a
        # serial met after the check), the order is saved and a manager is told.
        order = self
        if (
            not self.env.su
            and not self.env["stock.lot"].has_access("read")
            and self.env.user.has_group("point_of_sale.group_pos_user")
        ):
            # A cashier without inventory rights: core reads the serial units of the
            # till's stock to move them, which only inventory users may do.
            order = self.sudo()
        try:
            with self.env.cr.savepoint():
                return super(PosOrder, order)._create_order_picking()
        except (UserError, ValidationError) as error:
            _logger.warning("POS order %s saved without its picking: %s", self.name, error)
            message = self.env._(
                "The stock of this order could not be moved when it was synchronised: %(error)s",
                error=error.args[0],
            )
            self.sudo().message_post(body=Markup("<p>%s</p>") % message)
            manager = self.env["stock.picking"]._serial_pos_manager(self.company_id)
            if manager:
                # Orders have no activities: the session, which a manager closes, does.
                self.session_id.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Serials refused at the till"),
                    note=message,
                    user_id=manager.id,
                )
            return None
