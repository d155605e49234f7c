#!/usr/bin/env python3
"""Sell N serial units and deliver them: bare sale_stock vs serials captured on the order.

Usage: python3 bench/sale_delivery.py [-n 2000] [--repeat 1]

Bare side: a sales order of N units of a serial-tracked product, confirmed (Odoo
reserves whatever units it finds) and delivered. Addon side: the same order with the N
serials captured on the line (serial_sale_capture), confirmed (the delivery reserves
exactly those) and delivered. Units are put in stock beforehand, outside the timing.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

BARE_MODULES = benchlib.addon_depends()


def stock_units(env, n, with_addon, offset):
    vals = {"name": "Bench Laptop", "is_storable": True, "tracking": "serial", "type": "consu"}
    if with_addon:
        vals["serial_sale_capture"] = True
    product = env["product.product"].create(vals)
    location = env["stock.warehouse"].search([], limit=1).lot_stock_id
    lots = env["stock.lot"].create(
        [{"name": f"LT{offset + i:08d}", "product_id": product.id} for i in range(n)]
    )
    Quant = env["stock.quant"]
    for lot in lots:
        Quant._update_available_quantity(product, location, 1, lot_id=lot)
    if with_addon:
        lots._serial_refresh_state()
        # Units put in stock by hand have no done move: mark them as in stock.
        lots.write({"serial_state": "in_stock"})
    return product, lots


def run(odoo, registry, n, with_addon, offset):
    """One order to delivery; yields after the setup and after each measured phase."""
    results = {"order": {}, "confirm": {}, "deliver": {}}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        product, lots = stock_units(env, n, with_addon, offset)
        partner = env["res.partner"].create({"name": "Bench Customer"})
        benchlib.analyze(env)
        line = {"product_id": product.id, "product_uom_qty": n}
        if with_addon:
            line["serial_lot_ids"] = [(6, 0, lots.ids)]
        yield
        with benchlib.measure(results["order"]):
            order = env["sale.order"].create(
                {"partner_id": partner.id, "order_line": [(0, 0, line)]}
            )
            env.flush_all()
        yield
        with benchlib.measure(results["confirm"]):
            order.action_confirm()
            env.flush_all()
        picking = order.picking_ids
        assert len(picking.move_line_ids) == n, len(picking.move_line_ids)
        benchlib.analyze(env)
        yield
        with benchlib.measure(results["deliver"]):
            picking.move_ids.picked = True
            picking.button_validate()
            env.flush_all()
        assert picking.state == "done", picking.state
        if with_addon:
            assert picking.move_line_ids.lot_id == lots
        cr.rollback()
    results["total"] = {
        key: sum(r[key] for r in results.values()) for key in ("time", "cpu", "queries")
    }
    return results


def main():
    args = benchlib.parser(__doc__.splitlines()[0], 2000).parse_args()
    odoo, bare, addon = benchlib.start(args, BARE_MODULES)
    try:
        bare_runs, addon_runs = benchlib.compare(odoo, bare, addon, run, args.n, args.repeat)
        benchlib.report(
            f"Order to delivery of {args.n} serial units (median of {args.repeat} run(s))",
            [
                (phase, [r[phase] for r in bare_runs], [r[phase] for r in addon_runs])
                for phase in ("order", "confirm", "deliver", "total")
            ],
        )
    finally:
        benchlib.close_dbs(odoo, args, bare, addon)


if __name__ == "__main__":
    main()
