from odoo.tools.sql import drop_index

# Created by stock.lot.init(): Odoo removes the addon's columns and constraints on
# uninstall, but not an index it did not declare on a field.
SERIAL_NAME_INDEX = "stock_lot_serial_name_index"


def post_init_hook(env):
    """Derive the status of the units that existed before the addon was installed."""
    lots = env["stock.lot"].search([("product_id.tracking", "=", "serial")])
    lots._serial_refresh_state()


def uninstall_hook(env):
    """Leave stock_lot as Odoo had it: drop the exact-match index on serial names."""
    drop_index(env.cr, SERIAL_NAME_INDEX, "stock_lot")
