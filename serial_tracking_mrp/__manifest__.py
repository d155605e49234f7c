# Copyright 2026 Serial Tracking Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking - Manufacturing",
    "summary": "Genealogy of serial units built by manufacturing orders: recalls and "
    "quality holds that follow affected components into finished units",
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
        "mrp",
    ],
    "data": [
        "security/ir.model.access.csv",
        "views/serial_recall_views.xml",
        "views/serial_recall_line_views.xml",
        "views/stock_lot_views.xml",
        "views/mrp_production_views.xml",
        "views/serial_tracking_mrp_menus.xml",
        "report/serial_genealogy_report.xml",
    ],
    "post_init_hook": "post_init_hook",
    "demo": [
        "demo/serial_tracking_mrp_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking_mrp/static/tests/tours/*.js",
        ],
    },
}
