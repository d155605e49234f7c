#!/usr/bin/env python3
"""Warranty: coverage started by a delivery of N units, and lookup among many units.

Usage: python3 bench/warranty.py [-n 5000] [--lookup-units 200*N] [--repeat 1]

1. Deliver N serial units in one picking: bare Odoo vs the addon with a warranty term
   starting at delivery on the product (one coverage per unit is created).
2. On the addon database, populate --lookup-units serials with SQL, then answer the
   service desk question for one of them (stock.lot.serial_warranty_info, what the
   lookup screen and RPC clients call): queries, time, and the PostgreSQL plan of the
   unit query (it must use the index on stock_lot.name).
3. Give nine of those units in ten a coverage (ended, running or starting later) and
   time the warranty filters and group-by of the serial numbers list. Rolled back.
"""

import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402
from sale_delivery import stock_units  # noqa: E402

BARE_MODULES = benchlib.addon_depends()


def deliver(odoo, registry, n, with_addon, offset):
    """One delivery validated; yields after the setup and after the measured phase."""
    result = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        product, lots = stock_units(env, n, False, offset)
        if with_addon:
            term = env["serial.warranty.term"].create(
                {
                    "name": "Bench 2 years",
                    "duration": 2,
                    "duration_unit": "year",
                    "start_trigger": "delivery",
                }
            )
            product.serial_warranty_term_id = term
        warehouse = env["stock.warehouse"].search([], limit=1)
        customer = env["res.partner"].create({"name": "Bench Customer"})
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": n,
                            "product_uom": product.uom_id.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        benchlib.analyze(env)
        yield
        with benchlib.measure(result):
            picking.button_validate()
            env.flush_all()
        assert picking.state == "done"
        if with_addon:
            assert len(lots.serial_warranty_ids) == n, len(lots.serial_warranty_ids)
        cr.rollback()
    return result


def lookup(odoo, registry, units):
    from recall import populate  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        product = populate(env, units)
        print(f"\nPopulated {units} serials in {time.perf_counter() - start:.1f} s")
        serial = f"RB{units // 2}"
        lot = env["stock.lot"].search([("name", "=", serial)])
        term = env["serial.warranty.term"].create({"name": "Bench", "duration": 1})
        product.serial_warranty_term_id = term
        env["serial.warranty"].create(
            {
                "lot_id": lot.id,
                "product_id": lot.product_id.id,
                "term_id": term.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
            }
        )
        env.flush_all()
        env.invalidate_all()
        result = {}
        with benchlib.measure(result):
            info = env["stock.lot"].serial_warranty_info(serial)
        print(
            f"Warranty lookup of {serial} among {units} units: "
            f"{result['queries']} queries, {result['time'] * 1000:.1f} ms"
        )
        assert info, info
        query = env["stock.lot"]._search([("name", "=", serial)])
        cr.execute("EXPLAIN " + query.select().code, query.select().params)
        print("Plan of the unit query:")
        for (line,) in cr.fetchall():
            print("   ", line)
        filters(env, term, units)
        cr.rollback()


# The warranty filters and group-by of the Lots/Serial Numbers list, as sent by the web
# client (first page of 80 and the count of the pager, at most 10,000).
FILTERS = {
    "Under warranty": [("serial_warranty_state", "=", "active")],
    "Expiring in 30 days": [
        ("serial_warranty_state", "=", "active"),
        ("serial_warranty_end", "<=", "{in_30_days}"),
    ],
    "Expired": [("serial_warranty_state", "=", "expired")],
}


def filters(env, term, units):
    """Give nine units in ten a 2-year coverage starting between 4 years ago and today."""
    cr = env.cr
    start = time.perf_counter()
    today = env.company._serial_today()
    cr.execute(
        """
        INSERT INTO serial_warranty (lot_id, product_id, term_id, company_id, date_start,
                                     date_end, origin, create_uid, create_date, write_uid,
                                     write_date)
        SELECT lot.id, lot.product_id, %(term)s, %(company)s, cover.start,
               (cover.start + interval '2 years' - interval '1 day')::date, 'standard',
               1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM stock_lot lot
          JOIN LATERAL (SELECT %(today)s::date - (lot.id %% 1461)::int AS start) cover ON TRUE
         WHERE lot.name LIKE 'RB%%' AND lot.id %% 10 <> 0
        """,
        {"term": term.id, "company": env.company.id, "today": today},
    )
    cr.execute(env["stock.lot"]._serial_warranty_cover_sql())
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE serial_warranty")
    env.invalidate_all()
    print(f"\nCoverage for 9 units in 10 in {time.perf_counter() - start:.1f} s")
    Lot = env["stock.lot"]
    in_30_days = (today + timedelta(days=30)).isoformat()
    print(f"Warranty filters among {units} units (first page of 80 + count for the pager):")
    for label, domain in FILTERS.items():
        domain = [
            (f, op, v.format(in_30_days=in_30_days) if isinstance(v, str) else v)
            for f, op, v in domain
        ]
        env.invalidate_all()
        result = {}
        with benchlib.measure(result):
            page = Lot.search(domain, limit=80, order="name")
            count = Lot.search_count(domain, limit=10000)
        print(
            f"  {label:<22} {len(page):>3} shown, {count:>5}+ counted: "
            f"{result['queries']} queries, {result['time'] * 1000:.1f} ms"
        )
    env.invalidate_all()
    result = {}
    with benchlib.measure(result):
        groups = Lot._read_group([], ["serial_warranty_state"], ["__count"])
    print(
        f"  Group by warranty     {dict(groups)}: {result['queries']} queries, "
        f"{result['time'] * 1000:.1f} ms"
    )
    query = Lot._search(FILTERS["Under warranty"], limit=80, order="name")
    select = query.select()
    cr.execute("EXPLAIN " + select.code, select.params)
    print("Plan of the 'Under warranty' page:")
    for (line,) in cr.fetchall():
        print("   ", line)


def main():
    p = benchlib.parser(__doc__.splitlines()[0], 5000)
    p.add_argument("--lookup-units", type=int, help="default: 200 x N (1,000,000)")
    args = p.parse_args()
    args.lookup_units = args.lookup_units or 200 * args.n
    odoo, bare, addon = benchlib.start(args, BARE_MODULES)
    try:
        bare_runs, addon_runs = benchlib.compare(odoo, bare, addon, deliver, args.n, args.repeat)
        benchlib.report(
            f"Delivery of {args.n} units starting their warranty (median of {args.repeat} run(s))",
            [("validate delivery", bare_runs, addon_runs)],
        )
        lookup(odoo, addon, args.lookup_units)
    finally:
        benchlib.close_dbs(odoo, args, bare, addon)


if __name__ == "__main__":
    main()
