#!/usr/bin/env python3
"""Concurrency load test: 8 JSON-RPC clients race on the same serial units.

Usage: python3 bench/concurrency.py [-n 200] [--reuse-db] [--db-prefix st_bench]

Starts a real Odoo server (4 workers, no cron, on 127.0.0.1) on a database with
serial_tracking (no demo data); then 8 client threads, each with its own session as a
restricted user, race on the same units in four scenarios:

1. inventory users receive overlapping lists of IMEIs;
2. salespeople capture the same unit on quotations, then swap the unit of their
   confirmed order onto the same free unit;
3. inventory users validate deliveries while others report the same units stolen;
4. inventory managers open recall campaigns over overlapping units.

The clients meet at a barrier before each contended call, so that the calls really
overlap. After each scenario, SQL checks its invariants. Exit status: 1 when one is
broken, 2 when the server or a client failed. ``-n`` is the number of units per
scenario; every run works on new products and serials (the users are kept).
"""

import hashlib
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from itertools import count
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

CLIENTS = 8
WORKERS = 4
MIN_UNITS = 16
MAX_ROUNDS = 32  # scenario 2: beyond this, each round races on several units
DELIVERERS = 4  # scenario 3: clients 0-3 deliver, 4-7 report thefts
REPORT_DELAY = 0.25  # scenario 3: reporters start 0 to 3 times this after the barrier
LOT_SCOPED = 6  # scenario 4: campaigns 0-5 list units, 6-7 take the whole product
ROLES = {
    "stock": "stock.group_stock_user",
    "sale": "sales_team.group_sale_salesman",
    "manager": "stock.group_stock_manager",
}
# Mails stay queued: nothing listens on the SMTP port.
RPC_CONTEXT = {"lang": "en_US", "mail_notify_force_send": False}
TIMEOUT = 900  # above --limit-time-real: the server gives up first
SOURCE_KEY = "serial_tracking_bench.concurrency_source"


# ----------------------------------------------------------------------
# Database and fixtures, in process, before the clients start
# ----------------------------------------------------------------------


def addon_fingerprint():
    """Hash of the addon's code and data.

    A reused database keeps the schema it was installed with: a new constraint of the
    addon, the very thing this test is about, would be missing from it.
    """
    root = benchlib.REPO / "serial_tracking"
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.suffix in (".py", ".xml", ".csv") and rel.parts[0] != "tests":
            digest.update(str(rel).encode() + path.read_bytes())
    return digest.hexdigest()


def stored_fingerprint(odoo, name):
    from odoo.service import db  # noqa: PLC0415

    if not db.exp_db_exist(name):
        return None
    try:
        with odoo.sql_db.db_connect(name).cursor() as cr:
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [SOURCE_KEY])
            row = cr.fetchone()
    except Exception:  # not an Odoo database: recreate it
        return None
    return row and row[0]


def open_db(odoo, args):
    name = f"{args.db_prefix}_concurrency"
    fingerprint = addon_fingerprint()
    reuse = args.reuse_db and stored_fingerprint(odoo, name) == fingerprint
    print(f"Database {name}: serial_tracking{' (reused)' if reuse else ''}", flush=True)
    registry = benchlib.fresh_db(odoo, name, ["serial_tracking"], reuse=reuse)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param(SOURCE_KEY, fingerprint)
        # Eight users per role; password = login, on a throw-away database.
        Users = env["res.users"].with_context(no_reset_password=True, active_test=False)
        existing = set(Users.search([("login", "=like", "conc%")]).mapped("login"))
        Users.create(
            [
                {
                    "name": f"Concurrency {role} {i}",
                    "login": login,
                    "password": login,
                    "email": f"{login}@example.com",  # authors of chatter messages
                    "groups_id": [odoo.Command.set([env.ref(group).id])],
                }
                for role, group in ROLES.items()
                for i in range(CLIENTS)
                if (login := f"conc_{role}_{i}") not in existing
            ]
        )
    return registry


def split(items, parts):
    """``items`` cut into ``parts`` consecutive slices of nearly equal sizes."""
    size = len(items)
    return [items[k * size // parts : (k + 1) * size // parts] for k in range(parts)]


def round_count(n, per_round):
    return max(min(2, n // CLIENTS), math.ceil(n / per_round))


def imei(body14):
    """A valid IMEI: the 14 digits and their Luhn check digit."""
    total = 0
    for pos, char in enumerate(reversed(body14)):
        digit = int(char) * (2 - pos % 2)
        total += digit - 9 if digit > 9 else digit
    return f"{body14}{-total % 10}"


class Stock:
    """Superuser helpers putting units where the scenarios need them, by done moves."""

    def __init__(self, odoo, env, tag):
        self.odoo, self.env, self.tag = odoo, env, tag
        self.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        self.stock = self.warehouse.lot_stock_id
        self.customer = env.ref("stock.stock_location_customers")
        self.vendor = env["res.partner"].create({"name": f"Vendor {tag}"})
        self.customers = env["res.partner"].create(
            [{"name": f"Customer {tag}-{i}", "email": f"c{i}.{tag}@example.com"} for i in (0, 1)]
        )

    def product(self, name, **vals):
        return self.env["product.product"].create(
            {"name": f"{name} {self.tag}", "is_storable": True, "tracking": "serial", **vals}
        )

    def picking_vals(self, ptype, partner, src=None, dest=None):
        """Values of a new picking, in the shape the clients send them."""
        return {
            "picking_type_id": ptype.id,
            "partner_id": partner.id,
            "location_id": (src or ptype.default_location_src_id).id,
            "location_dest_id": (dest or ptype.default_location_dest_id).id,
        }

    def _picking(self, vals, product, qty):
        move = {"name": product.name, "product_id": product.id, "product_uom_qty": qty}
        move.update(location_id=vals["location_id"], location_dest_id=vals["location_dest_id"])
        picking = self.env["stock.picking"].create(
            dict(vals, move_ids=[self.odoo.Command.create(move)])
        )
        picking.action_confirm()
        return picking

    def _validate(self, picking, lines):
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [dict(move._prepare_move_line_vals(quantity=1), picked=True, **vals) for vals in lines]
        )
        picking.button_validate()
        assert picking.state == "done", picking.state

    def receive(self, product, units):
        """Receive ``units`` [(serial, location)]; return ``{serial: lot id}``."""
        vals = self.picking_vals(self.warehouse.in_type_id, self.vendor)
        picking = self._picking(vals, product, len(units))
        self._validate(picking, [{"lot_name": s, "location_dest_id": loc.id} for s, loc in units])
        return {lot.name: lot.id for lot in picking.move_line_ids.lot_id}

    def deliver(self, lots, partner):
        vals = self.picking_vals(self.warehouse.out_type_id, partner, dest=self.customer)
        self._validate(
            self._picking(vals, lots.product_id, len(lots)), [{"lot_id": lot.id} for lot in lots]
        )

    def reserve(self, product, qty, partner):
        """A pending delivery that reserved ``qty`` units (Odoo chooses which)."""
        vals = self.picking_vals(self.warehouse.out_type_id, partner, dest=self.customer)
        self._picking(vals, product, qty).action_assign()


def make_fixtures(odoo, registry, n):
    """New products and units for one run, as plain ids and names for the clients."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        stamp = int(time.time() * 10) % 10**7
        # IMEIs are unique database-wide: skip a stamp that an earlier run used.
        while env["stock.lot"].search_count([("name", "=like", f"35{stamp:07d}%")], limit=1):
            stamp = (stamp + 1) % 10**7
        stock = Stock(odoo, env, f"{stamp:07d}")
        fx = {
            "tag": stock.tag,
            "imei": imei_fixtures(stock, n),
            "sale": sale_fixtures(stock, n),
            "loss": loss_fixtures(stock, n),
            "recall": recall_fixtures(stock, n),
        }
        benchlib.analyze(env)
    return fx


def imei_fixtures(stock, n):
    product = stock.product("Phone", serial_identifier_type="imei")
    serials = [imei(f"35{stock.tag}{i:05d}") for i in range(n)]
    return {
        "product": product.id,
        "picking": stock.picking_vals(stock.warehouse.in_type_id, stock.vendor),
        "serials": serials,
        "rounds": split(serials, round_count(n, 40)),
    }


def sale_fixtures(stock, n):
    """Units raced on by quotations, units of the confirmed orders, units swapped to."""
    product = stock.product("Camera", serial_sale_capture=True)
    names = [f"CAM{stock.tag}-{i:05d}" for i in range(n)]
    ids = stock.receive(product, [(name, stock.stock) for name in names])
    lots = [ids[name] for name in names]
    quoted = (n - CLIENTS) // 2
    free = lots[quoted + CLIENTS :]
    return {
        "product": product.id,
        "customer": stock.customers[0].id,
        "quote_rounds": split(lots[:quoted], min(quoted, MAX_ROUNDS)),
        "held": lots[quoted : quoted + CLIENTS],
        "swap_rounds": split(free, min(len(free), MAX_ROUNDS)),
    }


def loss_fixtures(stock, n):
    """One shelf per deliverer: a delivery's reservation takes nobody else's units."""
    product = stock.product("Bike")
    shelves = stock.env["stock.location"].create(
        [
            {"name": f"Shelf {stock.tag}-{d}", "usage": "internal", "location_id": stock.stock.id}
            for d in range(DELIVERERS)
        ]
    )
    rounds = [
        split([f"BK{stock.tag}-{r}-{i:05d}" for i in numbers], DELIVERERS)
        for r, numbers in enumerate(split(range(n), round_count(n, 40)))
    ]
    ids = stock.receive(
        product, [(name, shelves[d]) for rnd in rounds for d, sl in enumerate(rnd) for name in sl]
    )
    out = stock.warehouse.out_type_id
    return {
        "product": product.id,
        "pickings": [
            stock.picking_vals(out, stock.customers[d % 2], shelves[d], stock.customer)
            for d in range(DELIVERERS)
        ],
        "rounds": [[[(ids[name], name) for name in sl] for sl in rnd] for rnd in rounds],
    }


def recall_fixtures(stock, n):
    """One product per round; a quarter of its units at customers, some reserved."""
    rounds = []
    for r, numbers in enumerate(split(range(n), math.ceil(n / 100))):
        product = stock.product(f"Widget {r}")
        names = [f"RW{stock.tag}-{r}-{i:05d}" for i in numbers]
        ids = stock.receive(product, [(name, stock.stock) for name in names])
        lots = stock.env["stock.lot"].browse([ids[name] for name in names])
        for partner, part in zip(stock.customers, split(lots[: len(lots) // 4], 2), strict=True):
            if part:
                stock.deliver(part, partner)
        stock.reserve(product, max(1, len(lots) // 8), stock.customers[0])
        rounds.append({"product": product.id, "lots": lots.ids})
    return {"rounds": rounds, "products": [rnd["product"] for rnd in rounds]}


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (\w+) \S+ (\S+): (.*)$", re.M)


class Server:
    """``odoo`` with workers, in its own process group: stopped whatever happens."""

    def __init__(self, odoo, db):
        self.db, self.port = db, free_port()
        fd, self.log_path = tempfile.mkstemp(prefix="st_conc_server_", suffix=".log")
        os.close(fd)
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = [
            *(sys.executable, "-m", "odoo", f"--addons-path={benchlib.addons_path(odoo)}"),
            *(f"--database={db}", f"--db-filter=^{re.escape(db)}$", "--without-demo=all"),
            *(f"--workers={WORKERS}", "--max-cron-threads=0", "--http-interface=127.0.0.1"),
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",  # the websocket process listens too
            *(f"--limit-time-real={TIMEOUT - 300}", f"--limit-time-cpu={TIMEOUT - 300}"),
            "--log-level=info",  # serialization retries are logged at INFO
            "--log-handler=werkzeug:WARNING",
        ]
        self.proc = None
        self.died = False

    def __enter__(self):
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                self.cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.25)
        self.__exit__(None, None, None)
        raise RuntimeError(f"the server did not start; see {self.log_path}")

    def __exit__(self, *exc):
        self.died = self.proc.poll() is not None
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:  # workers left behind by a master that died or hung
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        if exc[0]:
            print(f"Server log: {self.log_path}", file=sys.stderr)

    def health(self):
        """What the log says: retries, failed queries, crashes, killed workers."""
        health = {"retries": 0, "gave_up": 0, "killed": 0, "critical": 0}
        health.update(queries=Counter(), crashes=Counter())
        text = Path(self.log_path).read_text(errors="replace")
        records = list(LOG_RECORD.finditer(text))
        for record, following in zip(records, records[1:] + [None], strict=True):
            level, logger, message = record.groups()
            rest = text[record.end() : following.start() if following else len(text)]
            if "tries left, try again" in message:
                health["retries"] += 1
            elif "maximum number of tries reached" in message:
                health["gave_up"] += 1
            elif logger == "odoo.sql_db" and message.startswith("bad query"):
                # Odoo logs every failed query, also those that a retry then absorbs.
                error = re.search(r"^ERROR: *(.*)", rest, re.M)
                health["queries"][error.group(1) if error else message] += 1
            elif "Exception during request handling" in message:
                last = [ln for ln in rest.splitlines() if ln and not ln[0].isspace()]
                health["crashes"][last[-1] if last else message] += 1
            elif re.search(r"timeout after \d+s|memory limit", message):
                health["killed"] += 1
            elif level == "CRITICAL":
                health["critical"] += 1
        return health


# ----------------------------------------------------------------------
# Clients
# ----------------------------------------------------------------------


class Refused(Exception):
    """An error answer of the server: Odoo's exception type and message."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name, self.message = name, message or ""

    @property
    def raw(self):
        # Odoo's own exceptions carry messages written for users; others are crashes.
        return not self.name.startswith("odoo.exceptions.")

    def summary(self):
        line = next((ln.strip() for ln in self.message.splitlines() if ln.strip()), "")
        # Serials, order and campaign names differ from one refusal to the next.
        line = re.sub(r"#(, #)+", "#", re.sub(r"[\w./-]*\d[\w./-]*", "#", line))
        line = line if len(line) <= 110 else line[:107] + "..."
        return f"[raw {self.name}] {line}" if self.raw else line


class Client:
    """One user's JSON-RPC session (cookie), as the web client has."""

    _ids = count()

    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.http = requests.Session()

    def _post(self, path, params):
        body = {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(self._ids)}
        answer = self.http.post(self.url + path, json=body, timeout=TIMEOUT)
        answer.raise_for_status()
        answer = answer.json()
        if "error" in answer:
            data = answer["error"].get("data") or {}
            raise Refused(data.get("name", "?"), data.get("message") or answer["error"]["message"])
        return answer["result"]

    def authenticate(self):
        params = {"db": self.db, "login": self.login, "password": self.login}
        if not self._post("/web/session/authenticate", params).get("uid"):
            raise RuntimeError(f"{self.login} could not log in")

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", RPC_CONTEXT)
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self._post(f"/web/dataset/call_kw/{model}/{method}", params)


def in_threads(target, items):
    """Run ``target(i, item)`` for every item, each in its own thread; wait for all.

    Daemon threads: an interrupted run exits without waiting for their calls.
    """
    threads = [threading.Thread(target=target, args=args, daemon=True) for args in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def log_in_all(server):
    """One session per user, opened in parallel (password hashing is slow on purpose)."""
    clients = {
        role: [Client(server.url, server.db, f"conc_{role}_{i}") for i in range(CLIENTS)]
        for role in ROLES
    }
    errors = []

    def log_in(__, client):
        try:
            client.authenticate()
        except Exception as exc:
            errors.append(f"{client.login}: {exc!r}")

    in_threads(log_in, [c for role_clients in clients.values() for c in role_clients])
    if errors:
        raise RuntimeError(f"users could not log in: {errors}")
    return clients


class Scenario:
    """One scenario's outcome: calls, time, client failures and SQL checks."""

    def __init__(self, title):
        self.title = title
        self.outcomes = []  # (kind, counted, Refused or None)
        self.failures = []
        self.elapsed = 0.0
        self.checks = []  # (column, units, what)
        self.barrier = None

    def sync(self):
        self.barrier.wait(timeout=TIMEOUT)

    def attempt(self, kind, func, *args, counted=True):
        """Call ``func(*args)``; record whether the server committed or refused it."""
        try:
            result = func(*args)
        except Refused as refusal:
            self.outcomes.append((kind, counted, refusal))
            return False, None
        self.outcomes.append((kind, counted, None))
        return True, result

    def drive(self, clients, work):
        """Run ``work(i, client)`` in one thread per client, all at once."""
        self.barrier = threading.Barrier(len(clients))

        def target(i, client):
            try:
                work(i, client)
            except threading.BrokenBarrierError:
                pass  # another client failed, and says why
            except Exception as exc:  # transport error, unexpected answer: run is void
                self.failures.append(f"{client.login}: {exc!r}")
                self.barrier.abort()

        start = time.perf_counter()
        in_threads(target, clients)
        self.elapsed += time.perf_counter() - start

    def check(self, registry, checks, params):
        """Run the SQL ``checks`` [(column, what, query)], each counting broken units."""
        with registry.cursor() as cr:
            for column, what, query in checks:
                cr.execute(query, params)
                self.checks.append((column, cr.fetchone()[0], what))

    def committed(self, kind):
        return sum(1 for k, __, refusal in self.outcomes if k == kind and refusal is None)


def new_picking(client, vals, product, qty, serials):
    """Create and confirm a picking, then enter its serials with the capture wizard."""
    move = {"name": "Concurrency", "product_id": product, "product_uom_qty": qty}
    move.update(location_id=vals["location_id"], location_dest_id=vals["location_dest_id"])
    picking = client.call("stock.picking", "create", dict(vals, move_ids=[(0, 0, move)]))
    client.call("stock.picking", "action_confirm", [picking])
    [move_id] = client.call("stock.picking", "read", [picking], ["move_ids"])[0]["move_ids"]
    wizard_vals = {"move_id": move_id, "serials_text": "\n".join(serials)}
    wizard = client.call("serial.capture.wizard", "create", wizard_vals)
    client.call("serial.capture.wizard", "action_confirm", [wizard])
    return picking


def validate(client, picking):
    result = client.call("stock.picking", "button_validate", [picking])
    if result is not True:
        what = result.get("res_model") if isinstance(result, dict) else result
        raise Refused("bench.NotDone", f"button_validate answered {what!r}, not True")


# ----------------------------------------------------------------------
# Scenarios
# ----------------------------------------------------------------------


def receipts(registry, clients, fx):
    """Client i receives segments i and i+1 of the round's IMEIs: each IMEI is in two
    receipts validated at the same time."""
    sc = Scenario("1 overlapping IMEI receipts")
    data = fx["imei"]

    def work(i, client):
        for serials in data["rounds"]:
            segments = split(serials, CLIENTS)
            mine = segments[i] + segments[(i + 1) % CLIENTS]
            ok, picking = False, None
            if mine:
                args = (client, data["picking"], data["product"], len(mine), mine)
                ok, picking = sc.attempt("receipt setup", new_picking, *args, counted=False)
            sc.sync()
            if ok:
                sc.attempt("receipt validation", validate, client, picking)

    sc.drive(clients["stock"], work)
    params = {"product": data["product"], "names": data["serials"]}
    sc.check(registry, RECEIPT_CHECKS, dict(params, committed=sc.committed("receipt validation")))
    return sc


def new_quotation(client, data, lot):
    line = {"product_id": data["product"], "product_uom_qty": 1, "serial_lot_ids": [(6, 0, [lot])]}
    vals = {"partner_id": data["customer"], "order_line": [(0, 0, line)]}
    return client.call("sale.order", "create", vals)


def confirmed_line(client, data, lot):
    order = new_quotation(client, data, lot)
    client.call("sale.order", "action_confirm", [order])
    return client.call("sale.order", "read", [order], ["order_line"])[0]["order_line"][0]


def swap(client, line, lot):
    client.call("sale.order.line", "write", [line], {"serial_lot_ids": [(6, 0, [lot])]})


def sales(registry, clients, fx):
    """Quotations capturing the same unit, then confirmed lines swapping onto one."""
    sc = Scenario("2 captures and swaps on orders")
    data = fx["sale"]

    def work(i, client):
        for units in data["quote_rounds"]:
            sc.sync()
            sc.attempt("quotation capture", new_quotation, client, data, units[i % len(units)])
        args = (client, data, data["held"][i])
        ok, line = sc.attempt("confirmed order setup", confirmed_line, *args, counted=False)
        for units in data["swap_rounds"]:
            sc.sync()
            if ok:
                sc.attempt("swap on confirmed order", swap, client, line, units[i % len(units)])

    sc.drive(clients["sale"], work)
    sc.check(registry, SALE_CHECKS, {"product": data["product"]})
    return sc


def report_loss(client, wizard):
    client.call("serial.loss.report.wizard", "action_confirm", [wizard])


def thefts(registry, clients, fx):
    """Deliverer d validates its shelf's units of the round; reporter k reports half of
    shelf k and all of shelf k+1: every unit is raced on, half of them twice."""
    sc = Scenario("3 theft reports vs deliveries")
    data = fx["loss"]

    def deliver(d, client, slices):
        names = [name for __, name in slices[d]]
        args = (client, data["pickings"][d], data["product"], len(names), names)
        ok, picking = sc.attempt("delivery setup", new_picking, *args, counted=False)
        sc.sync()
        if ok:
            sc.attempt("delivery validation", validate, client, picking)

    def report(k, client, slices, r):
        own, following = slices[k], slices[(k + 1) % DELIVERERS]
        vals = {
            "lot_ids": [(6, 0, [lot for lot, __ in own[len(own) // 2 :] + following])],
            "loss_state": "stolen",
            "reference": f"POL-{fx['tag']}-{r}-{k}",
        }
        wizard = "serial.loss.report.wizard"
        ok, wiz = sc.attempt("report setup", client.call, wizard, "create", vals, counted=False)
        sc.sync()
        # Staggered: some reports race the validations, others come right after them.
        time.sleep(REPORT_DELAY * ((k + r) % DELIVERERS))
        if ok:
            sc.attempt("theft report", report_loss, client, wiz)

    def work(i, client):
        for r, slices in enumerate(data["rounds"]):
            if i < DELIVERERS:
                deliver(i, client, slices)
            else:
                report(i - DELIVERERS, client, slices, r)

    sc.drive(clients["stock"], work)
    sc.check(registry, THEFT_CHECKS, {"product": data["product"]})
    return sc


def new_recall(client, vals):
    recall = client.call("serial.recall", "create", vals)
    client.call("serial.recall", "action_compute_scope", [recall])
    return recall


def recalls(registry, clients, fx):
    """Campaigns 0-5 list overlapping windows of the round's units, 6-7 take the whole
    product: every unit is in at least two campaigns, opened at the same time."""
    sc = Scenario("4 concurrent recall openings")
    data = fx["recall"]

    def scope(i, rnd):
        if i >= LOT_SCOPED:
            return {"product_ids": [(6, 0, [rnd["product"]])]}
        lots = rnd["lots"]
        start, width = i * len(lots) // LOT_SCOPED, max(1, len(lots) // 3)
        return {"lot_ids": [(6, 0, [lots[(start + j) % len(lots)] for j in range(width)])]}

    def work(i, client):
        for r, rnd in enumerate(data["rounds"]):
            vals = {"title": f"Load test {fx['tag']}-{r}-{i}", "reason": "Load test"}
            ok, recall = sc.attempt(
                "campaign setup", new_recall, client, vals | scope(i, rnd), counted=False
            )
            sc.sync()
            if ok:
                args = ("serial.recall", "action_open", [recall])
                sc.attempt("campaign opening", client.call, *args)

    sc.drive(clients["manager"], work)
    sc.check(registry, RECALL_CHECKS, {"products": data["products"]})
    return sc


# ----------------------------------------------------------------------
# Invariants: SQL on the run's products, each query counts broken units
# ----------------------------------------------------------------------

SQL_IMEI_DUPS = """
    SELECT count(*) FROM (SELECT name FROM stock_lot WHERE name = ANY(%(names)s)
                           GROUP BY name HAVING count(*) > 1) d
"""
SQL_ON_HAND_TWICE = """
    SELECT count(*) FROM (
        SELECT q.lot_id FROM stock_quant q JOIN stock_location loc ON loc.id = q.location_id
         WHERE q.product_id = %(product)s AND loc.usage = 'internal'
         GROUP BY q.lot_id HAVING sum(q.quantity) > 1) d
"""
SQL_NOT_ONE_MOVE = """
    SELECT count(*) FROM stock_lot lot
     WHERE lot.product_id = %(product)s
       AND (SELECT count(*) FROM stock_move_line ml
             WHERE ml.lot_id = lot.id AND ml.state = 'done') <> 1
"""
SQL_RECEIPTS_MISMATCH = """
    SELECT abs(count(DISTINCT picking_id) - %(committed)s) FROM stock_move
     WHERE product_id = %(product)s AND state = 'done'
"""
SQL_HOLD_DUPS = """
    SELECT count(*) FROM (
        SELECT rel.line_id, rel.lot_id FROM sale_order_line_serial_open_lot_rel rel
          JOIN stock_lot lot ON lot.id = rel.lot_id
         WHERE lot.product_id = %(product)s GROUP BY 1, 2 HAVING count(*) > 1) d
"""
SQL_DOUBLE_HOLDS = """
    SELECT count(*) FROM (
        SELECT rel.lot_id FROM sale_order_line_serial_open_lot_rel rel
          JOIN stock_lot lot ON lot.id = rel.lot_id
         WHERE lot.product_id = %(product)s GROUP BY rel.lot_id HAVING count(*) > 1) d
"""
SQL_DOUBLE_RESERVED = """
    SELECT count(*) FROM (
        SELECT lot_id FROM stock_move_line
         WHERE product_id = %(product)s AND state NOT IN ('done', 'cancel') AND quantity > 0
         GROUP BY lot_id HAVING count(DISTINCT picking_id) > 1) d
"""
SQL_HELD_NOT_RESERVED = """
    SELECT count(*) FROM sale_order_line_serial_open_lot_rel rel
      JOIN sale_order_line sol ON sol.id = rel.line_id
     WHERE sol.product_id = %(product)s AND sol.state = 'sale'
       AND NOT EXISTS (
           SELECT 1 FROM stock_move m JOIN stock_move_line ml ON ml.move_id = m.id
            WHERE m.sale_line_id = sol.id AND ml.lot_id = rel.lot_id
              AND ml.state NOT IN ('done', 'cancel') AND ml.quantity > 0)
"""
# A done line's write_date is its delivery's transaction start (the ORM's cr.now()).
SQL_DELIVERIES = """
    SELECT ml.lot_id, ml.write_date FROM stock_move_line ml
      JOIN stock_location dest ON dest.id = ml.location_dest_id
     WHERE ml.product_id = %(product)s AND ml.state = 'done' AND dest.usage = 'customer'
"""
# The start of the transaction that reported the unit: create_date of the tracking
# message of serial_loss_state.
SQL_REPORTS = """
    SELECT msg.res_id AS lot_id, min(msg.create_date) AS reported FROM mail_message msg
      JOIN mail_tracking_value track ON track.mail_message_id = msg.id
      JOIN ir_model_fields field ON field.id = track.field_id
     WHERE msg.model = 'stock.lot' AND field.model = 'stock.lot'
       AND field.name = 'serial_loss_state'
     GROUP BY msg.res_id
"""
SQL_DELIVERED_TWICE = f"""
    SELECT count(*) FROM (SELECT lot_id FROM ({SQL_DELIVERIES}) d
                           GROUP BY lot_id HAVING count(*) > 1) t
"""
SQL_STOCK_AND_DELIVERED = f"""
    SELECT count(*) FROM stock_lot lot
     WHERE lot.product_id = %(product)s
       AND (SELECT coalesce(sum(q.quantity), 0) FROM stock_quant q
              JOIN stock_location loc ON loc.id = q.location_id
             WHERE q.lot_id = lot.id AND loc.usage = 'internal')
         + (SELECT count(*) FROM ({SQL_DELIVERIES}) d WHERE d.lot_id = lot.id) > 1
"""
SQL_DELIVERED_AFTER_REPORT = f"""
    SELECT count(DISTINCT lot.id) FROM stock_lot lot
      JOIN ({SQL_DELIVERIES}) d ON d.lot_id = lot.id
      JOIN ({SQL_REPORTS}) rep ON rep.lot_id = lot.id
     WHERE lot.product_id = %(product)s AND lot.serial_loss_state <> 'none'
       AND d.write_date > rep.reported
"""
SQL_SILENT_REPORTS = f"""
    SELECT count(*) FROM stock_lot lot
     WHERE lot.product_id = %(product)s AND lot.serial_loss_state <> 'none'
       AND lot.id NOT IN (SELECT lot_id FROM ({SQL_REPORTS}) rep)
"""
SQL_RECALL_DUPS = """
    SELECT count(*) FROM (SELECT recall_id, lot_id FROM serial_recall_line
                           WHERE product_id = ANY(%(products)s)
                           GROUP BY 1, 2 HAVING count(*) > 1) d
"""
SQL_BLOCKED_RESERVED = """
    SELECT count(DISTINCT ml.lot_id) FROM stock_move_line ml
      JOIN stock_lot lot ON lot.id = ml.lot_id
      JOIN stock_location dest ON dest.id = ml.location_dest_id
     WHERE lot.product_id = ANY(%(products)s) AND lot.serial_blocked
       AND ml.state NOT IN ('done', 'cancel') AND ml.quantity > 0 AND dest.usage = 'customer'
"""
SQL_BLOCK_MISMATCH = """
    SELECT count(*) FROM stock_lot lot
     WHERE lot.product_id = ANY(%(products)s)
       AND coalesce(lot.serial_blocked, FALSE) <> (
           lot.serial_loss_state <> 'none' OR coalesce(lot.serial_quarantine, FALSE)
           OR EXISTS (SELECT 1 FROM serial_recall_line line
                        JOIN serial_recall recall ON recall.id = line.recall_id
                       WHERE line.lot_id = lot.id AND line.blocking
                         AND recall.state = 'open'))
"""
SQL_OPEN_NOT_BLOCKING = """
    SELECT count(*) FROM serial_recall_line line
      JOIN serial_recall recall ON recall.id = line.recall_id
     WHERE line.product_id = ANY(%(products)s) AND recall.state = 'open'
       AND recall.process_state = 'done' AND NOT coalesce(line.blocking, FALSE)
"""

RECEIPT_CHECKS = [
    ("dups", "serials stored more than once", SQL_IMEI_DUPS),
    ("held2x", "serials with more than one unit on hand", SQL_ON_HAND_TWICE),
    ("broken", "units without exactly one done move", SQL_NOT_ONE_MOVE),
    ("broken", "receipts done in the database but not for the clients", SQL_RECEIPTS_MISMATCH),
]
SALE_CHECKS = [
    ("dups", "duplicate (line, unit) rows in the open hold table", SQL_HOLD_DUPS),
    ("held2x", "units held by more than one open line (double holds)", SQL_DOUBLE_HOLDS),
    ("broken", "units reserved on two pickings", SQL_DOUBLE_RESERVED),
    ("broken", "units of confirmed lines not reserved for them", SQL_HELD_NOT_RESERVED),
]
THEFT_CHECKS = [
    ("dups", "units delivered twice", SQL_DELIVERED_TWICE),
    ("held2x", "units both on hand and delivered", SQL_STOCK_AND_DELIVERED),
    ("broken", "stolen units delivered after the report began (*)", SQL_DELIVERED_AFTER_REPORT),
    ("broken", "stolen units without a report in their history", SQL_SILENT_REPORTS),
]
RECALL_CHECKS = [
    ("dups", "units twice in one campaign", SQL_RECALL_DUPS),
    ("held2x", "blocked units still reserved for a delivery", SQL_BLOCKED_RESERVED),
    ("broken", "units blocked without an open campaign, or the reverse", SQL_BLOCK_MISMATCH),
    ("broken", "units of open campaigns not blocking", SQL_OPEN_NOT_BLOCKING),
]
COLUMNS = ("dups", "held2x", "broken")

# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------

LEGEND = """
ops: contended calls (setup calls apart); raw: refusals other than Odoo's user errors
(crashes, serialization failures past the retries); ops/s: contended calls per second
of scenario time, setup and barrier waits included. dups, held2x, broken: units
failing the SQL checks listed under each scenario; all must be 0.
(*) A report and a delivery of the same unit both write the unit's row: if both
commit, PostgreSQL made the later one start after the earlier one committed, so it
saw it; a delivery whose transaction started after the report's missed the block."""


def print_table(scenarios):
    header = (
        f"{'scenario':<32}{'ops':>6}{'committed':>11}{'refused':>9}{'raw':>5}"
        f"{'dups':>6}{'held2x':>8}{'broken':>8}{'ops/s':>10}{'s':>8}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for sc in scenarios:
        counted = [refusal for __, counted, refusal in sc.outcomes if counted]
        refused = [r for r in counted if r is not None]
        broken = [sum(units for col, units, __ in sc.checks if col == c) for c in COLUMNS]
        rate = len(counted) / sc.elapsed if sc.elapsed else 0
        print(
            f"{sc.title:<32}{len(counted):>6}{len(counted) - len(refused):>11}{len(refused):>9}"
            f"{sum(r.raw for r in refused):>5}{broken[0]:>6}{broken[1]:>8}{broken[2]:>8}"
            f"{rate:>10.3f}{sc.elapsed:>8.1f}"
        )


def print_details(sc):
    print(f"\n{sc.title}")
    by_kind = defaultdict(list)
    for kind, counted, refusal in sc.outcomes:
        by_kind[(not counted, kind)].append(refusal)
    for (setup, kind), outcomes in sorted(by_kind.items()):
        refused = [r for r in outcomes if r is not None]
        print(
            f"  {kind}{' (not counted)' if setup else ''}: {len(outcomes)} calls, "
            f"{len(outcomes) - len(refused)} committed, {len(refused)} refused"
        )
        for message, times in Counter(r.summary() for r in refused).most_common():
            print(f"    {times:>5}x  {message}")
    for column, units, what in sc.checks:
        print(f"  {column:<7}{units:>5}  {what}")
    for failure in sc.failures:
        print(f"  CLIENT FAILED: {failure}")


def print_server(server):
    health = server.health()
    print(
        f"\nServer ({WORKERS} workers): {health['retries']} serialization retries, "
        f"{health['gave_up']} calls out of retries, {sum(health['crashes'].values())} "
        f"request crashes, {health['killed']} workers killed, {health['critical']} "
        f"critical errors{', DIED during the run' if server.died else ''}"
    )
    for title, key in (("failed queries", "queries"), ("request crashes", "crashes")):
        for message, times in health[key].most_common(8):
            print(f"  {title}: {times:>5}x  {message[:120]}")
    return server.died or health["killed"] or health["critical"], health["crashes"]


def run_scenarios(registry, clients, fx):
    """The four scenarios in turn; a failed client voids the rest."""
    scenarios = []
    for scenario in (receipts, sales, thefts, recalls):
        scenarios.append(scenario(registry, clients, fx))
        if scenarios[-1].failures:
            break
    print_table(scenarios)
    for sc in scenarios:
        print_details(sc)
    broken = any(units for sc in scenarios for __, units, __ in sc.checks)
    return broken, any(sc.failures for sc in scenarios)


def main():
    # SIGTERM must run the finally clauses: they stop the server, drop the database.
    signal.signal(signal.SIGTERM, lambda *__: sys.exit(143))
    parser = benchlib.parser(__doc__.splitlines()[0], 200)
    args = parser.parse_args()
    if not MIN_UNITS <= args.n <= 99_999:  # serials carry a 5-digit index
        parser.error(f"-n must be between {MIN_UNITS} and 99999")
    odoo = benchlib.import_odoo()
    benchlib.setup_odoo(odoo, args)
    registry = open_db(odoo, args)
    broken = failed = False
    try:
        fx = make_fixtures(odoo, registry, args.n)
        with Server(odoo, registry.db_name) as server:
            clients = log_in_all(server)
            for run in range(args.repeat):
                fx = make_fixtures(odoo, registry, args.n) if run else fx
                print(
                    f"\nRun {run + 1}/{args.repeat} ({fx['tag']}): {CLIENTS} clients, "
                    f"{WORKERS} workers, {args.n} units per scenario",
                    flush=True,
                )
                run_broken, run_failed = run_scenarios(registry, clients, fx)
                broken, failed = broken or run_broken, failed or run_failed
        server_failed, crashes = print_server(server)
        failed = failed or server_failed
        print(LEGEND)
    finally:
        if not (args.keep_db or args.reuse_db):
            benchlib.drop_db(odoo, registry.db_name)
    if failed or broken or crashes:
        print(f"Server log: {server.log_path}")
    else:
        os.unlink(server.log_path)
    if failed:
        print("\nFAILED: the server or a client failed (see above).")
        sys.exit(2)
    if broken:
        print("\nBROKEN: an invariant does not hold (see the checks above).")
        sys.exit(1)
    print("\nAll invariants hold.")


if __name__ == "__main__":
    main()
