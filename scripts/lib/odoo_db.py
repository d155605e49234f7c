"""Small database helpers for scripts/run and scripts/test.

They go through Odoo's own configuration (``~/.odoorc``, ``--db_host``, ``PG*``
variables...) so they reach exactly the PostgreSQL server Odoo will use.

Usage: odoo_db.py COMMAND [ARG] [-- ODOO_ARGS...]
  check-postgres       exit 3 with an explanation when PostgreSQL is unreachable
  db-state DB [MODS]   print "<state> <demo>": state is missing, not-odoo,
                       uninstalled or installed (all of MODS, comma-separated,
                       default serial_tracking); demo is 1 when the database
                       was created with demo data
  drop DB              drop the database and its filestore (if they exist)
  free-port            print a free TCP port on 127.0.0.1
"""

import os
import shutil
import socket
import sys


def _odoo_config(odoo_args):
    from odoo.tools import config

    config.parse_config(list(odoo_args), setup_logging=False)
    return config


def _connect(dbname):
    import psycopg2

    from odoo.sql_db import connection_info_for

    _dsn, info = connection_info_for(dbname)
    info.pop("application_name", None)
    conn = psycopg2.connect(connect_timeout=10, **info)
    conn.autocommit = True
    return conn, info


def check_postgres():
    import psycopg2

    try:
        conn, info = _connect("postgres")
    except psycopg2.Error as exc:
        from odoo.sql_db import connection_info_for

        _dsn, info = connection_info_for("postgres")
        where = "host=%s port=%s user=%s" % (
            info.get("host") or os.environ.get("PGHOST") or "(local socket)",
            info.get("port") or os.environ.get("PGPORT") or 5432,
            info.get("user") or os.environ.get("PGUSER") or _current_user(),
        )
        sys.stderr.write(
            "error: cannot connect to PostgreSQL (%s):\n  %s\n"
            "Start the server (e.g. `sudo pg_ctlcluster <version> main start` or\n"
            "`sudo service postgresql start`) and give your user a role that may create\n"
            "databases (`sudo -u postgres createuser --superuser %s`), or point Odoo at\n"
            "another server with --db_host/--db_port/--db_user/--db_password, PGHOST/PGPORT/\n"
            "PGUSER/PGPASSWORD, or ~/.odoorc.\n"
            % (where, str(exc).strip().replace("\n", "\n  "), _current_user())
        )
        return 3
    with conn, conn.cursor() as cr:
        cr.execute("SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user")
        row = cr.fetchone()
        if not (row and row[0]):
            sys.stderr.write(
                "warning: PostgreSQL role %r may not create databases; creating a new\n"
                "database will fail (`sudo -u postgres createuser --superuser %s`).\n"
                % (info.get("user") or _current_user(), _current_user())
            )
    conn.close()
    return 0


def db_state(dbname, modules="serial_tracking"):
    conn, _info = _connect("postgres")
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
        exists = cr.fetchone()
    conn.close()
    if not exists:
        print("missing 0")
        return 0
    conn, _info = _connect(dbname)
    with conn.cursor() as cr:
        cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
        if not cr.fetchone()[0]:
            print("not-odoo 0")
            return 0
        names = [name for name in modules.split(",") if name]
        cr.execute(
            "SELECT name, state, demo FROM ir_module_module WHERE name = ANY(%s)",
            [["base", *names]],
        )
        rows = {name: (state, demo) for name, state, demo in cr.fetchall()}
    conn.close()
    demo = "1" if rows.get("base", (None, False))[1] else "0"
    installed = all(rows.get(name, ("uninstalled",))[0] == "installed" for name in names)
    print("%s %s" % ("installed" if installed else "uninstalled", demo))
    return 0


def drop(dbname):
    from psycopg2 import sql

    from odoo.tools import config

    conn, _info = _connect("postgres")
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid != pg_backend_pid()",
            [dbname],
        )
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(dbname)))
    conn.close()
    shutil.rmtree(config.filestore(dbname), ignore_errors=True)
    return 0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1])
    return 0


def _current_user():
    import getpass

    return getpass.getuser()


def main(argv):
    if "--" in argv:
        idx = argv.index("--")
        argv, odoo_args = argv[:idx], argv[idx + 1 :]
    else:
        odoo_args = []
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command == "free-port":
        return free_port()
    _odoo_config(odoo_args)
    if command == "check-postgres":
        return check_postgres()
    if command == "db-state" and len(args) in (1, 2):
        return db_state(*args)
    if command == "drop" and len(args) == 1:
        return drop(args[0])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
