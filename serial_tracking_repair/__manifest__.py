# Copyright 2026 Serial Tracking Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking - Repairs",
    "summary": "Repairs of serial units: under warranty from the unit's coverage, "
    "'in repair' status, open a repair from the warranty lookup",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/serial-tracking/serial_tracking",
    "author": "Serial Tracking Developers",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": [
        "serial_tracking",
        "repair",
    ],
    "data": [
        "views/repair_order_views.xml",
        "views/stock_lot_views.xml",
        "wizard/serial_warranty_lookup_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking_repair/static/tests/tours/*.js",
        ],
    },
}
