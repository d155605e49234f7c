"""Fixtures of the Point of Sale bridge: a phone shop till, units in its stock, and
orders sent the way the till sends them (``pos.order.sync_from_ui``)."""

from uuid import uuid4

from odoo import Command, fields

from odoo.addons.serial_tracking.tests.common import SerialTrackingCase

# Valid IMEIs (Luhn check digit), and one with a wrong check digit.
IMEIS = [
    "490154203237518",
    "354672081130922",
    "353918056471101",
    "012345678901237",
    "861536030196001",
    "352099001761481",
]
BAD_IMEI = "490154203237519"


class PosSerialCase(SerialTrackingCase):
    """A till (``config``) selling from the warehouse stock, with IMEI phones in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_user = cls._create_user(
            "st_pos_user", "base.group_user,point_of_sale.group_pos_user"
        )
        cls.serial_manager = cls._create_user(
            "st_serial_manager",
            "stock.group_stock_manager,serial_tracking.group_serial_tracking_manager",
        )
        # A cash method of its own: on a database with demo data, the demo shops
        # already use the existing one, and a new till gets none by default.
        cash_journal = cls.env["account.journal"].create(
            {"name": "Phone Shop Cash", "type": "cash", "code": "STPSC"}
        )
        cls.cash_method = cls.env["pos.payment.method"].create(
            {"name": "Phone Shop Cash", "journal_id": cash_journal.id}
        )
        cls.config = cls.env["pos.config"].create(
            {"name": "Phone Shop", "payment_method_ids": [Command.set(cls.cash_method.ids)]}
        )
        cls.phone = cls.product_imei
        cls.phone.write({"available_in_pos": True, "list_price": 100, "taxes_id": False})
        cls.lots = cls._receive_units(cls.phone, IMEIS[:4])

    @classmethod
    def _open_session(cls, config=None):
        config = config or cls.config
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        return session

    @classmethod
    def _order_data(cls, session, lines, partner=None, date=None, refund_of=None):
        """What the till sends for a paid order; ``lines`` are ``(product, serials)``
        (negative quantities for ``refund_of``, a ``pos.order`` refunded)."""
        sign = -1 if refund_of else 1
        order_lines = []
        for product, serials in lines:
            qty = sign * len(serials)
            vals = {
                "product_id": product.id,
                "qty": qty,
                "price_unit": product.list_price,
                "price_subtotal": product.list_price * qty,
                "price_subtotal_incl": product.list_price * qty,
                "discount": 0,
                "tax_ids": [Command.clear()],
                "pack_lot_ids": [Command.create({"lot_name": name}) for name in serials],
            }
            if refund_of:
                vals["refunded_orderline_id"] = refund_of.lines.filtered(
                    lambda line, product=product: line.product_id == product
                )[:1].id
            order_lines.append(Command.create(vals))
        total = sum(line[2]["price_subtotal_incl"] for line in order_lines)
        uuid = str(uuid4())
        return {
            "uuid": uuid,
            "name": f"Order {uuid}",
            "session_id": session.id,
            "pricelist_id": session.config_id.pricelist_id.id,
            "partner_id": partner.id if partner else False,
            "user_id": cls.env.uid,
            "date_order": fields.Datetime.to_string(date or fields.Datetime.now()),
            "sequence_number": 1,
            "lines": order_lines,
            "payment_ids": [
                Command.create(
                    {
                        "amount": total,
                        "name": fields.Datetime.now(),
                        "payment_method_id": cls.cash_method.id,
                    }
                )
            ],
            "amount_paid": total,
            "amount_total": total,
            "amount_tax": 0,
            "amount_return": 0,
            "to_invoice": False,
            "last_order_preparation_change": "{}",
        }

    @classmethod
    def _sync(cls, session, lines, partner=None, date=None, refund_of=None, user=None):
        """Sync one paid order as the till does; return the ``pos.order``."""
        Order = cls.env["pos.order"].with_user(user) if user else cls.env["pos.order"]
        data = cls._order_data(session, lines, partner=partner, date=date, refund_of=refund_of)
        result = Order.sync_from_ui([data])
        return cls.env["pos.order"].browse(result["pos.order"][0]["id"])

    def _close(self, session):
        session.action_pos_session_closing_control()
        return session
