#!/usr/bin/env python3
"""Recall scope on a large base: action_compute_scope vs the same hand-written SQL.

Usage: python3 bench/recall.py [-n 1000000]

Populates N serial numbers with SQL (10 products, one of which holds a tenth of them;
a third are at customers), then times, side by side in one run, the campaign's
action_compute_scope() on that product and an equivalent hand-written INSERT ... SELECT.
Everything is rolled back at the end. Also prints the process' peak memory.
"""

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

PRODUCTS = 10

HAND_SQL = """
    INSERT INTO serial_recall_line (
        recall_id, company_id, lot_id, product_id, partner_id, location_kind,
        state, blocking, open_done, to_contact, create_uid, create_date, write_uid, write_date)
    SELECT %(recall)s, %(company)s, lot.id, lot.product_id, lot.serial_owner_id,
           CASE lot.serial_state WHEN 'in_stock' THEN 'stock'
                                 WHEN 'delivered' THEN 'customer' ELSE 'other' END,
           'pending', FALSE, FALSE, FALSE, 1, now() at time zone 'UTC', 1,
           now() at time zone 'UTC'
      FROM stock_lot lot
     WHERE lot.product_id = %(product)s
"""


def populate(env, n):
    """N lots spread over PRODUCTS products, inserted with one SQL statement."""
    products = env["product.product"].create(
        [
            {"name": f"Recall Bench {i}", "is_storable": True, "tracking": "serial"}
            for i in range(PRODUCTS)
        ]
    )
    customer = env["res.partner"].create({"name": "Recall Bench Customer"})
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, serial_state, serial_loss_state,
                               serial_unique_key, serial_owner_id, serial_blocked,
                               create_uid, create_date, write_uid, write_date)
        SELECT 'RB' || g, p.pid,
               CASE WHEN g %% 3 = 0 THEN 'delivered' ELSE 'in_stock' END, 'none',
               'P|' || p.pid || '|0|RB' || g,
               CASE WHEN g %% 3 = 0 THEN %(customer)s END, FALSE,
               1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM generate_series(1, %(n)s) g
          JOIN LATERAL (SELECT (%(pids)s::int[])[g %% %(count)s + 1] AS pid) p ON TRUE
        """,
        {"n": n, "pids": products.ids, "count": PRODUCTS, "customer": customer.id},
    )
    env.cr.execute("ANALYZE stock_lot")
    return products[0]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    args = benchlib.parser(__doc__.splitlines()[0], 1_000_000).parse_args()
    odoo, __, addon = benchlib.start(args, None)
    try:
        with addon.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            start = time.perf_counter()
            product = populate(env, args.n)
            print(f"Populated {args.n} serials in {time.perf_counter() - start:.1f} s")
            orm_runs, sql_runs = [], []
            for i in range(args.repeat):
                recall = env["serial.recall"].create(
                    {"title": f"Bench {i}", "product_ids": [(6, 0, product.ids)]}
                )
                env.flush_all()
                orm = {}
                with benchlib.measure(orm):
                    recall.action_compute_scope()
                    env.flush_all()
                orm["count"] = recall.unit_count
                orm_runs.append(orm)
                other = env["serial.recall"].create({"title": f"Bench SQL {i}"})
                env.flush_all()
                sql = {}
                with benchlib.measure(sql):
                    cr.execute(
                        HAND_SQL,
                        {"recall": other.id, "company": env.company.id, "product": product.id},
                    )
                sql["count"] = cr.rowcount
                sql_runs.append(sql)
                assert orm["count"] == sql["count"] > 0, (orm, sql)
            print(f"Units in scope: {orm_runs[0]['count']} of {args.n}")
            benchlib.report(
                f"Recall scope (median of {args.repeat} run(s)); 'bare' = hand-written SQL",
                [("compute scope", sql_runs, orm_runs)],
            )
            print(f"Peak memory of the process: {peak_rss_mb():.0f} MB")
            cr.rollback()
    finally:
        benchlib.close_dbs(odoo, args, addon)


if __name__ == "__main__":
    main()
