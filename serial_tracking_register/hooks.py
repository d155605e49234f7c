from odoo.tools import SQL

from .models.serial_register_entry import IMMUTABLE_FUNCTION, IMMUTABLE_TRIGGER


def uninstall_hook(env):
    """Drop the trigger that keeps the book append-only, and its function: Odoo
    removes the addon's records and table afterwards."""
    env.cr.execute(
        SQL(
            "DROP TRIGGER IF EXISTS %s ON serial_register_entry; DROP FUNCTION IF EXISTS %s()",
            SQL.identifier(IMMUTABLE_TRIGGER),
            SQL.identifier(IMMUTABLE_FUNCTION),
        )
    )
