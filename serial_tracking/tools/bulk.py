"""Set-based insertion of history rows the system writes by the thousand."""

from odoo.tools import SQL, split_every

# Rows per INSERT statement: large enough to keep round trips few, small enough to
# keep each statement's parameters in a reasonable amount of memory.
INSERT_BATCH_SIZE = 1000


def insert_rows(model, rows):
    """Insert ``rows`` (dicts of stored field values) into ``model``; return the records.

    Meant for records written by the system in bulk, such as the ownership periods and
    warranty coverages a delivery of thousands of units opens. ``create()`` does per
    record work these rows do not need (defaults, company checks, filling the cache)
    and would cost more than the delivery itself.

    The rows give final values for plain stored fields only: no defaults are applied,
    so every required field must be given. Computed stored fields of the new records,
    and fields of other records that depend on them, are recomputed as after
    ``create()``; Python constraints and the multi-company consistency check run.
    Access rights are checked for creation.
    """
    if not rows:
        return model.browse()
    model.check_access("create")
    fnames = sorted({fname for row in rows for fname in row})
    fields = [model._fields[fname] for fname in fnames]
    for field in fields:
        if not field.store or not field.column_type or field.compute or field.translate:
            raise ValueError(f"{model._name}.{field.name} cannot be inserted directly")
    env = model.env
    now = env.cr.now()
    columns = [*fnames, "create_uid", "create_date", "write_uid", "write_date"]
    ids = []
    for batch in split_every(INSERT_BATCH_SIZE, rows):
        values = [
            (
                *(
                    field.convert_to_column_insert(row.get(field.name), model, row)
                    for field in fields
                ),
                env.uid,
                now,
                env.uid,
                now,
            )
            for row in batch
        ]
        env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(model._table),
                SQL(", ").join(map(SQL.identifier, columns)),
                SQL(", ").join(values),
            )
        )
        ids.extend(row[0] for row in env.cr.fetchall())
    records = model.browse(ids)
    # One2many fields pointing at the new rows may be cached: read them again.
    for field in fields:
        inverses = model.pool.field_inverses[field]
        if inverses:
            env[field.comodel_name].invalidate_model([inverse.name for inverse in inverses])
    records.modified(fnames, create=True)
    records._validate_fields(fnames)
    if model._check_company_auto:
        records._check_company()
    return records
