#!/usr/bin/env python3
"""A POS session of N orders of 2 serial units each, synced and closed: bare
point_of_sale + stock vs serial_tracking_pos.

Usage: python3 bench/pos.py [-n 500] [--repeat 1]

Both sides: a till selling from the warehouse stock, 2N units of a serial-tracked
product put in stock beforehand (outside the timing), N paid orders of two serials each
(every other one to a customer) synchronised as the till does (``sync_from_ui``, one
picking validated per order), then the session closed. The addon side checks every
serial again at synchronisation, records ownership and starts the warranty of each unit.
The addon side also times the popup's check of 50 serials (``serial_pos_check``).
"""

import sys
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

BARE_MODULES = ["point_of_sale", "stock"]
ADDON_MODULES = ["serial_tracking_pos"]


def stock_units(env, count, with_addon, offset):
    product = env["product.product"].create(
        {
            "name": "Bench POS Phone",
            "is_storable": True,
            "tracking": "serial",
            "available_in_pos": True,
            "list_price": 100,
            "taxes_id": False,
        }
    )
    if with_addon:
        product.serial_warranty_term_id = env["serial.warranty.term"].create(
            {"name": "Bench 2 years", "duration": 2, "duration_unit": "year"}
        )
    location = env["stock.warehouse"].search([], limit=1).lot_stock_id
    lots = env["stock.lot"].create(
        [{"name": f"PS{offset + i:08d}", "product_id": product.id} for i in range(count)]
    )
    Quant = env["stock.quant"]
    for lot in lots:
        Quant._update_available_quantity(product, location, 1, lot_id=lot)
    if with_addon:
        # Units put in stock by hand have no done move: mark them as in stock.
        lots.sudo().write({"serial_state": "in_stock"})
    return product, lots


def order_data(session, cash, product, serials, partner):
    total = product.list_price * len(serials)
    uuid = str(uuid4())
    return {
        "uuid": uuid,
        "name": f"Order {uuid}",
        "session_id": session.id,
        "pricelist_id": session.config_id.pricelist_id.id,
        "partner_id": partner.id if partner else False,
        "user_id": session.env.uid,
        "date_order": session.env.cr.now().strftime("%Y-%m-%d %H:%M:%S"),
        "sequence_number": 1,
        "lines": [
            (
                0,
                0,
                {
                    "product_id": product.id,
                    "qty": len(serials),
                    "price_unit": product.list_price,
                    "price_subtotal": total,
                    "price_subtotal_incl": total,
                    "discount": 0,
                    "tax_ids": [(5,)],
                    "pack_lot_ids": [(0, 0, {"lot_name": name}) for name in serials],
                },
            )
        ],
        "payment_ids": [(0, 0, {"amount": total, "payment_method_id": cash.id})],
        "amount_paid": total,
        "amount_total": total,
        "amount_tax": 0,
        "amount_return": 0,
        "to_invoice": False,
        "last_order_preparation_change": "{}",
    }


def run(odoo, registry, n, with_addon, offset):
    results = {"sync": {}, "close": {}}
    with registry.cursor() as cr:
        # The administrator: a POS manager may open sessions, the superuser not.
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"), su=False)
        product, lots = stock_units(env, 2 * n, with_addon, offset)
        customer = env["res.partner"].create({"name": "Bench POS Customer"})
        config = env["pos.config"].create({"name": f"Bench Till {offset}"})
        cash = config.payment_method_ids.filtered("is_cash_count")[:1]
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        names = lots.mapped("name")
        orders = [
            order_data(
                session, cash, product, names[2 * i : 2 * i + 2], customer if i % 2 else None
            )
            for i in range(n)
        ]
        benchlib.analyze(env)
        with benchlib.measure(results["sync"]):
            env["pos.order"].sync_from_ui(orders)
            env.flush_all()
        assert len(session.order_ids) == n, len(session.order_ids)
        assert set(session.picking_ids.mapped("state")) == {"done"}
        if with_addon:
            sold = lots.filtered(lambda lot: lot.serial_state == "delivered")
            assert len(sold) == 2 * n, len(sold)
            assert len(lots.serial_warranty_ids) == 2 * n
        with benchlib.measure(results["close"]):
            session.action_pos_session_closing_control()
            env.flush_all()
        assert session.state == "closed", session.state
        if with_addon:
            results["check"] = check_popup(odoo, env, config, product, offset)
        cr.rollback()
    results["total"] = {
        key: results["sync"][key] + results["close"][key] for key in ("time", "cpu", "queries")
    }
    return results


def check_popup(odoo, env, config, product, offset):
    """Time the popup's check of 50 serials in stock (new cache, as a new request)."""
    names = [f"PC{offset + i:08d}" for i in range(50)]
    lots = env["stock.lot"].create([{"name": name, "product_id": product.id} for name in names])
    location = config.picking_type_id.default_location_src_id
    for lot in lots:
        env["stock.quant"]._update_available_quantity(product, location, 1, lot_id=lot)
    env.flush_all()
    env.invalidate_all()
    result = {}
    with benchlib.measure(result):
        checked = env["stock.lot"].serial_pos_check(config.id, product.id, names)
    assert all(r["ok"] for r in checked), [r for r in checked if not r["ok"]][:3]
    return result


def main():
    args = benchlib.parser(__doc__.splitlines()[0], 500).parse_args()
    odoo, bare, addon = benchlib.start(args, BARE_MODULES, ADDON_MODULES)
    try:
        bare_runs, addon_runs = benchlib.compare(odoo, bare, addon, run, args.n, args.repeat)
        benchlib.report(
            f"POS session of {args.n} orders x 2 serials (median of {args.repeat} run(s))",
            [
                *(
                    (phase, [r[phase] for r in bare_runs], [r[phase] for r in addon_runs])
                    for phase in ("sync", "close", "total")
                ),
                ("popup check, 50 serials", [], [r["check"] for r in addon_runs]),
            ],
        )
    finally:
        benchlib.close_dbs(odoo, args, bare, addon)


if __name__ == "__main__":
    main()
