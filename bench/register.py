#!/usr/bin/env python3
"""Receive then deliver N firearms: serial_tracking alone vs + serial_tracking_register.

Usage: python3 bench/register.py [-n 10000] [--repeat 1] [--no-pdf] [--medical]

Both sides receive N units of a serial-tracked pistol from a vendor, then deliver them
to a customer. On the register side the product is a firearm: each validation also
writes one book line per unit (numbered, hash-chained, with its snapshots), checks the
Form 4473 number and looks for multiple handgun sales. The register side then times
the bound book of the 2 x N lines: CSV export and PDF (wkhtmltopdf), which have no
counterpart on the other side.

With ``--medical``, both sides run on the register database with a medical device that
uses expiry dates: side A types plain serials into the capture wizard, side B scans full
UDIs as a scanner sends them (DI, manufacturing and expiry dates, lot, serial, with GS
separators). Each side times the wizard, the receipt and the delivery.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

BARE_MODULES = ["serial_tracking"]
ADDON_MODULES = ["serial_tracking", "serial_tracking_register"]


def picking(env, picking_type, product, n, src, dest, partner, **vals):
    result = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": src.id,
            "location_dest_id": dest.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": n,
                        "product_uom": product.uom_id.id,
                        "location_id": src.id,
                        "location_dest_id": dest.id,
                    },
                )
            ],
            **vals,
        }
    )
    result.action_confirm()
    return result


def empty_receipt(env, product, n, vendor_name, customer_name):
    """A confirmed receipt of n units from a new vendor, without its move lines (each
    scenario fills them its own way), and a new customer to deliver them to."""
    vendor = env["res.partner"].create({"name": vendor_name})
    customer = env["res.partner"].create({"name": customer_name, "city": "Dayton"})
    warehouse = env["stock.warehouse"].search([], limit=1)
    receipt = picking(
        env,
        warehouse.in_type_id,
        product,
        n,
        env.ref("stock.stock_location_suppliers"),
        warehouse.lot_stock_id,
        vendor,
    )
    receipt.move_ids.move_line_ids.unlink()
    return receipt, customer


def run(odoo, registry, n, with_addon, offset):
    results = {"receive": {}, "deliver": {}}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        vals = {"name": "Bench Pistol", "is_storable": True, "tracking": "serial"}
        if with_addon:
            vals.update(
                serial_register_kind="firearm",
                serial_firearm_type="pistol",
                serial_firearm_caliber="9mm Luger",
            )
        product = env["product.product"].create(vals)
        receipt, customer = empty_receipt(env, product, n, "Bench Distributor", "Bench Customer")
        warehouse, stock = receipt.picking_type_id.warehouse_id, receipt.location_dest_id
        env["stock.move.line"].create(
            [
                dict(
                    receipt.move_ids._prepare_move_line_vals(quantity=1),
                    lot_name=f"BP{offset + i:08d}",
                    picked=True,
                )
                for i in range(n)
            ]
        )
        benchlib.analyze(env)
        with benchlib.measure(results["receive"]):
            receipt.button_validate()
            env.flush_all()
        assert receipt.state == "done", receipt.state
        extra = {"serial_transaction_ref": "4473-BENCH"} if with_addon else {}
        delivery = picking(
            env,
            warehouse.out_type_id,
            product,
            n,
            stock,
            env.ref("stock.stock_location_customers"),
            customer,
            **extra,
        )
        assert len(delivery.move_line_ids) == n
        benchlib.analyze(env)
        with benchlib.measure(results["deliver"]):
            delivery.move_ids.picked = True
            delivery.button_validate()
            env.flush_all()
        assert delivery.state == "done", delivery.state
        if with_addon:
            lines = env["serial.register.entry"].search_count([("product_id", "=", product.id)])
            assert lines == 2 * n, lines
            assert env["serial.register.entry"].action_verify_integrity()
        cr.rollback()
    results["total"] = {
        key: sum(r[key] for r in results.values()) for key in ("time", "cpu", "queries")
    }
    return results


def run_book(odoo, registry, n, pdf):
    """Write 2 x n book lines (committed nowhere), then time the CSV and the PDF."""
    results = {"csv": {}, "pdf": {}}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        rows = [
            {
                "company_id": company.id,
                "register_kind": "firearm",
                "entry_type": "acquisition" if i % 2 == 0 else "disposition",
                "event": "receipt" if i % 2 == 0 else "delivery",
                "serial": f"BOOK{i // 2:08d}",
                "partner_name": "Bench Partner",
                "partner_address": "1 Main Street, Dayton",
                "model": "P9",
                "firearm_type": "Pistol",
                "caliber": "9mm Luger",
                "manufacturer": "Bench Arms",
            }
            for i in range(2 * n)
        ]
        env["serial.register.entry"]._append(rows)
        env.flush_all()
        wizard = env["serial.register.book.wizard"].create({})
        with benchlib.measure(results["csv"]):
            data = wizard._serial_book_csv()
        assert data.count(b"\n") == 2 * n + 1, data.count(b"\n")
        if pdf:
            report = env.ref("serial_tracking_register.action_report_serial_register_book")
            with benchlib.measure(results["pdf"]):
                content, kind = report._render_qweb_pdf(report.report_name, wizard.ids)
            assert kind == "pdf" and content.startswith(b"%PDF"), kind
        cr.rollback()
    return results


def run_medical(odoo, registry, n, udi, offset):
    """Capture n units of a medical device (plain serials, or full UDIs), receive and
    deliver them; both sides write the register."""
    results = {"capture": {}, "receive": {}, "deliver": {}}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        from odoo.addons.serial_tracking.tools.identifiers import gtin_check_digit

        gtin = "950600099001"
        gtin += gtin_check_digit(gtin)
        product = env["product.product"].create(
            {
                "name": "Bench Infusion Set",
                "is_storable": True,
                "tracking": "serial",
                "barcode": gtin,
                "serial_register_kind": "medical_device",
                "use_expiration_date": True,
                "expiration_time": 365,
            }
        )
        di = product._serial_udi_di()
        receipt, customer = empty_receipt(env, product, n, "Bench Maker", "Bench Clinic")
        warehouse, stock = receipt.picking_type_id.warehouse_id, receipt.location_dest_id
        if udi:
            entries = [
                f"01{di}11260101173012311026A{i % 7}\x1d21MD{offset + i:08d}" for i in range(n)
            ]
        else:
            entries = [f"MD{offset + i:08d}" for i in range(n)]
        wizard = env["serial.capture.wizard"].create(
            {"move_id": receipt.move_ids.id, "serials_text": "\n".join(entries)}
        )
        benchlib.analyze(env)
        with benchlib.measure(results["capture"]):
            wizard.action_confirm()
            env.flush_all()
        with benchlib.measure(results["receive"]):
            receipt.button_validate()
            env.flush_all()
        assert receipt.state == "done", receipt.state
        delivery = picking(
            env,
            warehouse.out_type_id,
            product,
            n,
            stock,
            env.ref("stock.stock_location_customers"),
            customer,
        )
        benchlib.analyze(env)
        with benchlib.measure(results["deliver"]):
            delivery.move_ids.picked = True
            delivery.button_validate()
            env.flush_all()
        assert delivery.state == "done", delivery.state
        lots = receipt.move_line_ids.lot_id
        assert len(lots) == n and all(lots.mapped("expiration_date"))
        if udi:
            assert set(lots.mapped("serial_udi_lot")) == {f"26A{i}" for i in range(min(n, 7))}
        entries = env["serial.register.entry"].search_count([("product_id", "=", product.id)])
        assert entries == 2 * n, entries
        cr.rollback()
    results["total"] = {
        key: sum(r[key] for r in results.values()) for key in ("time", "cpu", "queries")
    }
    return results


def main_medical(args):
    odoo, _bare, addon = benchlib.start(args, [], ADDON_MODULES)
    try:
        plain_runs, udi_runs = benchlib.compare(
            odoo, addon, addon, run_medical, args.n, args.repeat
        )
        rows = [
            (phase, [r[phase] for r in plain_runs], [r[phase] for r in udi_runs])
            for phase in ("capture", "receive", "deliver", "total")
        ]
        benchlib.report(
            f"Medical devices, {args.n} units: plain serials (bare column) vs full UDI "
            f"scans (addon column), median of {args.repeat} run(s)",
            rows,
        )
    finally:
        benchlib.close_dbs(odoo, args, addon)


def main():
    p = benchlib.parser(__doc__.splitlines()[0], 10000)
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF of the book")
    p.add_argument(
        "--medical",
        action="store_true",
        help="medical devices: plain serials vs full UDI scans in the capture wizard",
    )
    args = p.parse_args()
    # Databases of their own: the other benchmarks' "bare" has no serial_tracking.
    args.db_prefix = f"{args.db_prefix}_register"
    if args.medical:
        return main_medical(args)
    odoo, bare, addon = benchlib.start(args, BARE_MODULES, ADDON_MODULES)
    try:
        bare_runs, addon_runs = benchlib.compare(odoo, bare, addon, run, args.n, args.repeat)
        book_runs = [run_book(odoo, addon, args.n, not args.no_pdf) for _i in range(args.repeat)]
        rows = [
            (phase, [r[phase] for r in bare_runs], [r[phase] for r in addon_runs])
            for phase in ("receive", "deliver", "total")
        ]
        rows.append((f"book CSV, {2 * args.n} lines", [], [r["csv"] for r in book_runs]))
        if not args.no_pdf:
            rows.append((f"book PDF, {2 * args.n} lines", [], [r["pdf"] for r in book_runs]))
        benchlib.report(
            f"Receipt then delivery of {args.n} firearms (median of {args.repeat} run(s))",
            rows,
        )
    finally:
        benchlib.close_dbs(odoo, args, bare, addon)


if __name__ == "__main__":
    main()
