#!/usr/bin/env python3
"""Receive N serial numbers in one receipt: bare Odoo vs Odoo + serial_tracking.

Usage: python3 bench/receipt.py [-n 10000] [--repeat 1] [--existing-units 20*N]

Both sides do exactly what a warehouse does: a confirmed receipt of N units of a
serial-tracked product, one move line per typed/imported serial, then "Validate" (lots
are created, validated, quants moved; with the addon also uniqueness keys and unit
status). The addon side also reports the capture wizard (paste N serials), which has no
bare Odoo counterpart. Both databases first get --existing-units units of another
product (committed once), so that the received serials are checked against a filled
table.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

# Bare Odoo is the addon's own dependencies (stock, sale_stock -> stock_account,
# portal): stock_account values every receipt, so comparing with `stock` alone would
# charge the addon for Odoo's valuation layers.
BARE_MODULES = benchlib.addon_depends()
ADDON_MODULES = ["serial_tracking"]


def imei(n):
    """A valid IMEI for the integer n (Luhn check digit), so both sides get the same."""
    body = f"35{n:012d}"
    total = 0
    for i, ch in enumerate(body):
        d = int(ch)
        if i % 2:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return body + str((10 - total % 10) % 10)


def add_existing_units(odoo, registry, count, with_addon):
    """Commit ``count`` units of another phone model in the database (once).

    A receipt checks its serials against the units already known: an empty
    ``stock_lot`` table would hide what that costs. Inserted with SQL, as a database
    that has been in use for a while holds them; kept with --reuse-db.
    """
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Product = env["product.product"]
        product = Product.search([("default_code", "=", "BENCH-IN-STOCK")], limit=1)
        if not product:
            vals = {
                "name": "Bench Phone in stock",
                "default_code": "BENCH-IN-STOCK",
                "is_storable": True,
                "tracking": "serial",
            }
            if with_addon:
                vals["serial_identifier_type"] = "imei"
            product = Product.create(vals)
            env.flush_all()
        cr.execute("SELECT count(*) FROM stock_lot WHERE product_id = %s", [product.id])
        known = cr.fetchone()[0]
        if known >= count:
            return
        # Serials like the received ones (15 digits), never equal to them.
        columns, values = "", ""
        if with_addon:
            columns = ", serial_state, serial_loss_state, serial_unique_key, serial_blocked"
            values = ", 'in_stock', 'none', 'G|' || name, FALSE"
        cr.execute(
            f"""
            INSERT INTO stock_lot (name, product_id, create_uid, create_date, write_uid,
                                   write_date{columns})
            SELECT name, %(product)s, 1, now() at time zone 'UTC', 1,
                   now() at time zone 'UTC'{values}
              FROM (SELECT '36' || lpad(g::text, 13, '0') AS name
                      FROM generate_series(%(first)s, %(count)s) g) serials
            """,
            {"product": product.id, "first": known + 1, "count": count},
        )


def prepare(env, n, with_addon):
    product_vals = {"name": "Bench Phone", "is_storable": True, "tracking": "serial"}
    if with_addon:
        product_vals["serial_identifier_type"] = "imei"
    product = env["product.product"].create(product_vals)
    warehouse = env["stock.warehouse"].search([], limit=1)
    picking_type = warehouse.in_type_id
    supplier = env.ref("stock.stock_location_suppliers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": supplier.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": n,
                        "product_uom": product.uom_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    },
                )
            ],
        }
    )
    picking.action_confirm()
    return picking


def serial_lines(env, picking, serials):
    move = picking.move_ids
    move.move_line_ids.unlink()
    env["stock.move.line"].create(
        [dict(move._prepare_move_line_vals(quantity=1), lot_name=s, picked=True) for s in serials]
    )


def run_validate(odoo, registry, n, with_addon, offset):
    """One receipt validated; yields after the setup and after the measured phase."""
    serials = [imei(offset + i) for i in range(n)]
    result = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        picking = prepare(env, n, with_addon)
        serial_lines(env, picking, serials)
        benchlib.analyze(env)
        yield
        with benchlib.measure(result):
            picking.button_validate()
            env.flush_all()
        assert picking.state == "done", picking.state
        assert len(picking.move_line_ids.lot_id) == n
        cr.rollback()
    return result


def run_wizard(odoo, registry, n, offset):
    serials = [imei(offset + i) for i in range(n)]
    result = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        picking = prepare(env, n, True)
        env.flush_all()
        with benchlib.measure(result):
            wizard = env["serial.capture.wizard"].create(
                {"move_id": picking.move_ids.id, "serials_text": "\n".join(serials)}
            )
            wizard.action_confirm()
            env.flush_all()
        assert len(picking.move_line_ids.filtered("lot_name")) == n
        cr.rollback()
    return result


def main():
    p = benchlib.parser(__doc__.splitlines()[0], 10000)
    p.add_argument(
        "--existing-units",
        type=int,
        help="units already in the database before the receipt (default: 20 x N)",
    )
    args = p.parse_args()
    existing = 20 * args.n if args.existing_units is None else args.existing_units
    odoo, bare, addon = benchlib.start(args, BARE_MODULES, ADDON_MODULES)
    try:
        add_existing_units(odoo, bare, existing, False)
        add_existing_units(odoo, addon, existing, True)
        bare_runs, addon_runs = benchlib.compare(
            odoo, bare, addon, run_validate, args.n, args.repeat
        )
        # The serials of the validated runs were rolled back: the wizard may reuse them.
        wizard_runs = [run_wizard(odoo, addon, args.n, i * args.n) for i in range(args.repeat)]
        benchlib.report(
            f"Receipt of {args.n} serial numbers (median of {args.repeat} run(s))",
            [
                ("validate receipt", bare_runs, addon_runs),
                ("capture wizard (addon only)", [], wizard_runs),
            ],
        )
    finally:
        benchlib.close_dbs(odoo, args, bare, addon)


if __name__ == "__main__":
    main()
