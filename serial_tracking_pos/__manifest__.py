# Copyright 2026 Serial Tracking Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking - Point of Sale",
    "summary": "Serial checks at the till (format, stock of the shop, blocked units), "
    "held POS pickings instead of lost orders, ownership and warranty from POS sales",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/serial-tracking/serial_tracking",
    "author": "Serial Tracking Developers",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": [
        "serial_tracking",
        "point_of_sale",
    ],
    "data": [
        "views/product_template_views.xml",
    ],
    "demo": [
        "demo/serial_tracking_pos_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "serial_tracking_pos/static/src/**/*",
        ],
        "web.assets_tests": [
            "serial_tracking_pos/static/tests/tours/*.js",
        ],
    },
}
