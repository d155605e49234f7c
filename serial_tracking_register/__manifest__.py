# Copyright 2026 Serial Tracking Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking - Regulatory Register",
    "summary": "Firearms acquisition and disposition book and medical device tracking "
    "(UDI, 21 CFR 821) written by stock moves: append-only, hash-chained ledger",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/serial-tracking/serial_tracking",
    "author": "Serial Tracking Developers",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "serial_tracking",
        "product_expiry",
    ],
    "data": [
        "security/serial_register_groups.xml",
        "security/ir.model.access.csv",
        "security/serial_register_security.xml",
        "data/serial_register_data.xml",
        "views/serial_register_entry_views.xml",
        "views/product_template_views.xml",
        "views/medical_views.xml",
        "views/res_partner_views.xml",
        "views/stock_picking_views.xml",
        "wizard/serial_register_correct_wizard_views.xml",
        "wizard/serial_register_opening_wizard_views.xml",
        "report/serial_register_report.xml",
        "views/serial_register_menus.xml",
        "views/medical_recall_views.xml",
        "report/medical_udi_reports.xml",
        "report/serial_register_implant_card.xml",
        "security/medical_security.xml",
        "wizard/serial_register_end_user_wizard_views.xml",
        "wizard/serial_register_event_wizard_views.xml",
        "wizard/serial_register_notification_wizard_views.xml",
    ],
    "demo": [
        "demo/serial_register_demo.xml",
        "demo/serial_register_medical_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking_register/static/tests/tours/*.js",
        ],
    },
}
