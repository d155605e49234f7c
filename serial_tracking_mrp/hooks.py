def post_init_hook(env):
    """Link the lots of the orders done before the addon was installed."""
    env["serial.genealogy.link"]._refresh()
