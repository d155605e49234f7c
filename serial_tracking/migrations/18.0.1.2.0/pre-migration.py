from odoo.tools import SQL


def migrate(cr, version):
    """An ownership period reads its product and company through its unit now.

    Drop the copies (with their foreign keys and indexes) before the registry loads, so
    that new rows are not checked against columns nobody writes any more.
    """
    if not version:
        return
    cr.execute(
        SQL(
            "ALTER TABLE serial_ownership DROP COLUMN IF EXISTS product_id, "
            "DROP COLUMN IF EXISTS company_id"
        )
    )
