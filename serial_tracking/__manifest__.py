# Copyright 2026 Serial Tracking Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking",
    "summary": "Serialized units from receipt to customer and back: identifier "
    "validation, ownership, theft registry, warranty and recall campaigns",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/serial-tracking/serial_tracking",
    "author": "Serial Tracking Developers",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "post_init_hook": "post_init_hook",
    "depends": [
        "stock",
        "sale_stock",
        "repair",
        "portal",
    ],
    "data": [
        "security/serial_tracking_groups.xml",
        "security/ir.model.access.csv",
        "security/serial_tracking_security.xml",
        "views/product_template_views.xml",
        "views/stock_lot_views.xml",
        "views/serial_ownership_views.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/serial_capture_wizard_views.xml",
        "wizard/serial_loss_report_wizard_views.xml",
        "wizard/serial_loss_clear_wizard_views.xml",
        "data/serial_warranty_data.xml",
        "views/serial_warranty_term_views.xml",
        "views/serial_warranty_views.xml",
        "views/sale_order_views.xml",
        "views/repair_order_views.xml",
        "wizard/serial_transfer_wizard_views.xml",
        "wizard/serial_warranty_lookup_views.xml",
        "report/serial_warranty_report.xml",
        "views/serial_tracking_menus.xml",
    ],
    "demo": [
        "demo/serial_tracking_demo.xml",
        "demo/serial_warranty_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking/static/tests/tours/*.js",
        ],
    },
}
