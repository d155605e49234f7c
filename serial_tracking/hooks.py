def post_init_hook(env):
    """Derive the status of the units that existed before the addon was installed."""
    lots = env["stock.lot"].search([("product_id.tracking", "=", "serial")])
    lots._serial_refresh_state()
