#!/usr/bin/env python3
"""Recall through components: the addon's scope vs hand-written SQL vs Odoo's walk.

Usage: python3 bench/genealogy.py [-n 1000000]

Builds with set-based SQL, in the tables Odoo's manufacturing orders fill
(mrp_production, stock_move, stock_move_line, stock_move_line_consume_rel), N
finished serials over three levels: N/100 purchased cell lots (lot-tracked), each
made by one order into a module batch of 100 (lot-tracked intermediate), each
module consumed by 100 orders building one finished serial each. The addon's own
code then links the lots of those orders (serial_genealogy_link), as it does when
it is installed on a database that holds them (timed and printed). Then, on a campaign
scoped on 1 % of the purchased lots, side by side in one run:

  (a) the addon's scope: serial.recall.action_compute_scope() (include_finished);
  (b) a hand-written recursive query inserting the same lines, walking Odoo's
      consume/produce relation instead of the orders (an independent route);
  (c) core Odoo's per-lot walk: the Traceability report of each affected lot,
      followed downstream (a consumption's "used in" link, then the report of the lot
      it went into) as a user clicks through it, on a sample of the affected lots,
      extrapolated linearly. Also timed the same way: (c') the recursive walk
      stock.lot._find_delivery_ids_by_lot(), which finds deliveries, not units.

Also timed: (d) the floor of any scope that writes a line per affected unit, as the
campaign needs: the same lines copied into another campaign in one INSERT, with no
walk at all (the model's foreign keys and indexes checked and filled as in (a)).

The set of (a) must equal the set of (b), and contain every finished unit (c) found
(asserted). (b) runs, like (a), with PostgreSQL's JIT compiler off. Everything is
rolled back.
"""

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

BATCH = 100  # finished units per module batch, and purchased lots per 1 % sample
WALK_SAMPLE = 5  # affected lots walked by (c), extrapolated to all

HAND_SQL = """
    WITH RECURSIVE walk(lot_id) AS (
        SELECT unnest(%(seeds)s::int[])
        UNION
        SELECT f.lot_id
          FROM walk w
          JOIN stock_move_line c ON c.lot_id = w.lot_id AND c.state = 'done'
          JOIN stock_move_line_consume_rel r ON r.produce_line_id = c.id
          JOIN stock_move_line f ON f.id = r.consume_line_id AND f.lot_id IS NOT NULL
    )
    INSERT INTO serial_recall_line (
        recall_id, company_id, lot_id, product_id, partner_id, location_kind,
        state, blocking, open_done, to_contact, create_uid, create_date, write_uid, write_date)
    SELECT %(recall)s, %(company)s, lot.id, lot.product_id, lot.serial_owner_id, 'stock',
           'pending', FALSE, FALSE, FALSE, 1, now() at time zone 'UTC', 1,
           now() at time zone 'UTC'
      FROM walk
      JOIN stock_lot lot ON lot.id = walk.lot_id
      JOIN product_product pp ON pp.id = lot.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE pt.tracking = 'serial'
"""

FLOOR_SQL = """
    INSERT INTO serial_recall_line (
        recall_id, company_id, lot_id, product_id, partner_id, location_kind,
        via_lot_id, via_batch_lot_id, state, blocking, open_done, to_contact,
        create_uid, create_date, write_uid, write_date)
    SELECT %(recall)s, company_id, lot_id, product_id, partner_id, location_kind,
           via_lot_id, via_batch_lot_id, state, blocking, open_done, to_contact,
           create_uid, create_date, write_uid, write_date
      FROM serial_recall_line
     WHERE recall_id = %(source)s
"""


def _insert_lots(cr, product, prefix, count):
    """``count`` lots of ``product`` named after ``prefix``; returns the first id (the
    ids of one INSERT ... SELECT are consecutive, asserted)."""
    cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, serial_state, serial_loss_state,
                               serial_unique_key, serial_blocked,
                               create_uid, create_date, write_uid, write_date)
        SELECT %(prefix)s || lpad(g::text, 8, '0'), %(product)s, 'in_stock', 'none',
               'P|' || %(product)s || '|0|' || %(prefix)s || lpad(g::text, 8, '0'), FALSE,
               1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM generate_series(0, %(count)s - 1) g ORDER BY g
        RETURNING id
        """,
        {"prefix": prefix, "product": product, "count": count},
    )
    ids = [row[0] for row in cr.fetchall()]
    assert ids == list(range(ids[0], ids[0] + count)), "lot ids not consecutive"
    return ids[0]


def populate(env, n):
    """Purchased cell lots -> module batches -> N finished serials, as done orders."""
    cr = env.cr
    Product = env["product.product"]
    cell = Product.create({"name": "Bench Cell", "is_storable": True, "tracking": "lot"})
    module = Product.create({"name": "Bench Module", "is_storable": True, "tracking": "lot"})
    phone = Product.create({"name": "Bench Phone", "is_storable": True, "tracking": "serial"})
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    env.flush_all()
    lots = max(n // BATCH, 2)
    cells = _insert_lots(cr, cell.id, "CELL", lots)
    modules = _insert_lots(cr, module.id, "MOD", lots)
    phones = _insert_lots(cr, phone.id, "PH", n)
    common = {
        "company": env.company.id,
        "stock": warehouse.lot_stock_id.id,
        "prod": phone.property_stock_production.id,
        "type": warehouse.manu_type_id.id,
        "uom": phone.uom_id.id,
        "lots": lots,
        "n": n,
    }
    # One order per module batch (j) and one per finished serial (i).
    cr.execute(
        """
        CREATE TEMP TABLE bench_mo ON COMMIT DROP AS
        SELECT g AS k, %(module)s AS product, %(modules)s + g AS lot, %(batch)s AS qty,
               %(cell)s AS comp, %(cells)s + g AS comp_lot, %(batch)s AS comp_qty
          FROM generate_series(0, %(lots)s - 1) g
        UNION ALL
        SELECT %(lots)s + g, %(phone)s, %(phones)s + g, 1,
               %(module)s, %(modules)s + g %% %(lots)s, 1
          FROM generate_series(0, %(n)s - 1) g;
        ALTER TABLE bench_mo ADD COLUMN mo int, ADD COLUMN raw int, ADD COLUMN fin int;
        """,
        dict(
            common,
            module=module.id,
            modules=modules,
            cell=cell.id,
            cells=cells,
            phone=phone.id,
            phones=phones,
            batch=BATCH,
        ),
    )
    cr.execute(
        """
        WITH ins AS (
            INSERT INTO mrp_production (name, product_id, product_uom_id, product_qty,
                qty_producing, consumption, location_src_id, location_dest_id,
                production_location_id, company_id, date_start, date_finished,
                picking_type_id, state, lot_producing_id, origin,
                create_uid, create_date, write_uid, write_date)
            SELECT 'BENCH/MO/' || k, product, %(uom)s, qty, qty, 'flexible', %(stock)s,
                   %(stock)s, %(prod)s, %(company)s, now(), now(), %(type)s, 'done', lot,
                   k::text, 1, now(), 1, now()
              FROM bench_mo ORDER BY k
            RETURNING id, origin)
        UPDATE bench_mo SET mo = ins.id FROM ins WHERE ins.origin = bench_mo.k::text
        """,
        common,
    )
    move_sql = """
        WITH ins AS (
            INSERT INTO stock_move (name, product_id, product_uom, product_uom_qty,
                quantity, company_id, location_id, location_dest_id, procure_method,
                date, state, picked, %(link)s, origin,
                create_uid, create_date, write_uid, write_date)
            SELECT 'bench', %(product)s, %(uom)s, %(qty)s, %(qty)s, %(company)s,
                   %(src)s, %(dst)s, 'make_to_stock', now(), 'done', TRUE, mo, k::text,
                   1, now(), 1, now()
              FROM bench_mo
            RETURNING id, origin)
        UPDATE bench_mo SET %(col)s = ins.id FROM ins WHERE ins.origin = bench_mo.k::text
    """
    for link, product, qty, src, dst, col in (
        ("raw_material_production_id", "comp", "comp_qty", "%(stock)s", "%(prod)s", "raw"),
        ("production_id", "product", "qty", "%(prod)s", "%(stock)s", "fin"),
    ):
        cr.execute(
            move_sql
            % {
                "link": link,
                "product": product,
                "qty": qty,
                "uom": "%(uom)s",
                "company": "%(company)s",
                "src": src,
                "dst": dst,
                "col": col,
            },
            common,
        )
    line_sql = """
        INSERT INTO stock_move_line (move_id, product_id, product_uom_id, lot_id, quantity,
            quantity_product_uom, company_id, location_id, location_dest_id, date, state,
            picked, create_uid, create_date, write_uid, write_date)
        SELECT %(move)s, %(product)s, %(uom)s, %(lot)s, %(qty)s, %(qty)s, %(company)s,
               %(src)s, %(dst)s, now(), 'done', TRUE, 1, now(), 1, now()
          FROM bench_mo
    """
    for move, product, lot, qty, src, dst in (
        ("raw", "comp", "comp_lot", "comp_qty", "%(stock)s", "%(prod)s"),
        ("fin", "product", "lot", "qty", "%(prod)s", "%(stock)s"),
    ):
        cr.execute(
            line_sql
            % {
                "move": move,
                "product": product,
                "lot": lot,
                "qty": qty,
                "uom": "%(uom)s",
                "company": "%(company)s",
                "src": src,
                "dst": dst,
            },
            common,
        )
    # What mrp.production._post_inventory writes: each finished line consumed the
    # order's component lines (finished line.consume_line_ids; the column names of
    # Odoo's relation read the other way round).
    cr.execute(
        """
        INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id)
        SELECT f.id, c.id
          FROM bench_mo b
          JOIN stock_move_line c ON c.move_id = b.raw
          JOIN stock_move_line f ON f.move_id = b.fin
        """
    )
    # What the addon writes as those orders are done (here all at once, as when it is
    # installed on a database that already holds them).
    start = time.perf_counter()
    env["serial.genealogy.link"]._refresh()
    print(f"Genealogy links built in {time.perf_counter() - start:.1f} s", flush=True)
    for table in (
        "serial_genealogy_link",
        "stock_lot",
        "mrp_production",
        "stock_move",
        "stock_move_line",
        "stock_move_line_consume_rel",
    ):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    affected = env["stock.lot"].browse(range(cells, cells + lots, BATCH))
    return affected


def traceability_walk(env, lot):
    """Serial units built from ``lot``, found through Odoo's Traceability report as a
    user would: open the lot's report, follow each consumption it shows to the lines it
    was used in, open the report of those lots in turn."""
    report = env["stock.traceability.report"]
    found, seen, todo = set(), set(), [lot.id]
    while todo:
        lot_id = todo.pop()
        if lot_id in seen:
            continue
        seen.add(lot_id)
        for line in report.with_context(active_id=lot_id, model="stock.lot").get_lines():
            if not line["is_used"]:
                continue
            used_in = report.with_context(lot_name=line["lot_name"]).get_lines(
                model_id=line["model_id"], model_name="stock.move.line", level=2
            )
            for produced in used_in:
                if produced["lot_id"]:
                    found.add(produced["lot_id"])
                    todo.append(produced["lot_id"])
    return found


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    args = benchlib.parser(__doc__.splitlines()[0], 1_000_000).parse_args()
    odoo, __, addon = benchlib.start(args, None, addon_modules=("serial_tracking_mrp",))
    try:
        with addon.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            start = time.perf_counter()
            affected = populate(env, args.n)
            print(
                f"Populated {args.n} finished serials from {max(args.n // BATCH, 2)} "
                f"purchased lots in {time.perf_counter() - start:.1f} s; campaign on "
                f"{len(affected)} lots",
                flush=True,
            )
            orm_runs, sql_runs, walk_runs, delivery_runs = [], [], [], []
            floor_runs = []
            for i in range(args.repeat):
                recall = env["serial.recall"].create(
                    {"title": f"Bench {i}", "lot_ids": [(6, 0, affected.ids)]}
                )
                env.flush_all()
                orm = {}
                with benchlib.measure(orm):
                    recall.action_compute_scope()
                    env.flush_all()
                orm_runs.append(orm)
                other = env["serial.recall"].create({"title": f"Bench SQL {i}"})
                env.flush_all()
                sql = {}
                with benchlib.measure(sql):
                    cr.execute("SET LOCAL jit = off")  # as the addon's scope does
                    cr.execute(
                        HAND_SQL,
                        {"seeds": affected.ids, "recall": other.id, "company": env.company.id},
                    )
                    cr.execute("RESET jit")
                sql_runs.append(sql)
                cr.execute(
                    "SELECT recall_id, array_agg(lot_id ORDER BY lot_id) "
                    "FROM serial_recall_line WHERE recall_id IN %s GROUP BY recall_id",
                    [(recall.id, other.id)],
                )
                sets = dict(cr.fetchall())
                assert sets.get(recall.id) and sets[recall.id] == sets.get(other.id), (
                    "the scope differs from the hand-written query"
                )
                orm["count"] = len(sets[recall.id])
                floor_recall = env["serial.recall"].create({"title": f"Bench floor {i}"})
                env.flush_all()
                floor = {}
                with benchlib.measure(floor):
                    cr.execute("SET LOCAL jit = off")
                    cr.execute(FLOOR_SQL, {"recall": floor_recall.id, "source": recall.id})
                    cr.execute("RESET jit")
                floor_runs.append(floor)
                scope = set(sets[recall.id])
                # (c) Odoo's own walks, one lot at a time as its users and callers do.
                sample = affected[:WALK_SAMPLE]
                scale = len(affected) / len(sample)
                env.invalidate_all()
                walk, reached = {}, set()
                with benchlib.measure(walk):
                    for lot in sample:
                        reached |= traceability_walk(env, lot)
                units = (
                    env["stock.lot"]
                    .browse(reached)
                    .filtered(lambda lot: lot.product_id.tracking == "serial")
                )
                assert units and set(units.ids) <= scope, "the report found units out of scope"
                walk_runs.append({key: value * scale for key, value in walk.items()})
                env.invalidate_all()
                deliveries = {}
                with benchlib.measure(deliveries):
                    for lot in sample:
                        lot._find_delivery_ids_by_lot()
                delivery_runs.append({key: value * scale for key, value in deliveries.items()})
            print(f"Units in scope: {orm_runs[0]['count']} of {args.n} finished serials")
            benchlib.report(
                f"Genealogy scope (median of {args.repeat} run(s)); "
                "'bare' = (b) hand-written recursive SQL, 'addon' = (a) the addon's scope",
                [("compute scope a/b", sql_runs, orm_runs)],
            )
            benchlib.report(
                f"Core walks, {len(sample)} of {len(affected)} lots walked, extrapolated "
                "linearly; 'bare' = (a) the addon's scope, 'addon' = Odoo's walk",
                [
                    ("traceability walk c/a", orm_runs, walk_runs),
                    ("delivery walk c'/a", orm_runs, delivery_runs),
                ],
            )
            benchlib.report(
                "Floor: the same lines written with no walk; 'bare' = (d) the lines alone",
                [
                    ("scope a/d", floor_runs, orm_runs),
                    ("traceability walk c/d", floor_runs, walk_runs),
                ],
            )
            print(f"Peak memory of the process: {peak_rss_mb():.0f} MB")
            cr.rollback()
    finally:
        benchlib.close_dbs(odoo, args, addon)


if __name__ == "__main__":
    main()
