"""Set-based insertion of history rows the system writes by the thousand."""

from collections import defaultdict

from odoo.models import LOG_ACCESS_COLUMNS
from odoo.osv import expression
from odoo.tools import SQL, split_every

# Rows per INSERT statement: large enough to keep round trips few, small enough to
# keep each statement's parameters in a reasonable amount of memory.
INSERT_BATCH_SIZE = 1000

# Field types whose empty value is the same in the cache as read from a NULL column.
PLAIN_TYPES = {
    "boolean",
    "char",
    "date",
    "datetime",
    "float",
    "integer",
    "many2one",
    "selection",
    "text",
}


def insert_rows(model, rows):
    """Insert ``rows`` (dicts of stored field values) into ``model``; return the records.

    Meant for records written by the system in bulk, such as the ownership periods and
    warranty coverages a delivery of thousands of units opens. ``create()`` does per
    record work these rows do not need (defaults, company checks and cache filling
    record by record) and would cost more than the delivery itself.

    The rows give final values for stored fields with a column: no defaults are
    applied, so every required field must be given. Computed fields are refused,
    except those declared ``precompute=True``, which are written in the INSERT: they
    must be given by every row, and are trusted, so the caller computes them exactly
    as the field's compute method would. Models with stored related fields are
    refused: nothing here reads their source records. The
    other computed fields of the new records, and the fields of other records that
    depend on them, are recomputed as after ``create()``; Python constraints and the
    multi-company consistency check run. Access rights are checked for creation.
    """
    if not rows:
        return model.browse()
    model.check_access("create")
    fnames = sorted({fname for row in rows for fname in row})
    fields = [model._fields[fname] for fname in fnames]
    protected = []  # precomputed fields, with the fields their method computes too
    for field in fields:
        if not field.store or not field.column_type or field.translate:
            raise ValueError(f"{model._name}.{field.name} cannot be inserted directly")
        if field.compute:
            if not field.precompute:
                raise ValueError(f"{model._name}.{field.name} is computed after insertion")
            # Fields computed together are protected together: all must be given.
            computed_together = model.pool.field_computed.get(field, [field])
            for computed in computed_together:
                if any(computed.name not in row for row in rows):
                    raise ValueError(f"{model._name}.{computed.name} must be given in every row")
            protected.extend(computed_together)
    related = [f.name for f in model._fields.values() if f.related and f.store and f.column_type]
    if related:
        raise ValueError(f"{model._name} has stored related fields: {', '.join(related)}")
    env = model.env
    now = env.cr.now()
    columns = [*fnames, "create_uid", "create_date", "write_uid", "write_date"]
    ids = []
    for batch in split_every(INSERT_BATCH_SIZE, rows):
        # One array per column, unnested in the database: the driver quotes a list in
        # C, where a tuple per row would be quoted value by value in Python.
        arrays = [
            SQL(
                "%s::%s[]",
                [field.convert_to_column_insert(row.get(field.name), model, row) for row in batch],
                SQL(field.column_type[1]),
            )
            for field in fields
        ]
        env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT *, %s, %s, %s, %s FROM unnest(%s) RETURNING id",
                SQL.identifier(model._table),
                SQL(", ").join(map(SQL.identifier, columns)),
                env.uid,
                now,
                env.uid,
                now,
                SQL(", ").join(arrays),
            )
        )
        ids.extend(row[0] for row in env.cr.fetchall())
    records = model.browse(ids)
    # One2many fields pointing at the new rows may be cached: read them again. First,
    # as this also drops the cached values of the new rows' many2one fields.
    for field in fields:
        inverses = model.pool.field_inverses[field]
        if inverses:
            env[field.comodel_name].invalidate_model([inverse.name for inverse in inverses])
    # The rows hold what was inserted: cache it, as create() does, so that the checks
    # below and the caller do not fetch thousands of new rows back.
    for field in fields:
        env.cache.update(
            records, field, [field.convert_to_cache(row.get(field.name), records) for row in rows]
        )
    # The other plain columns are empty: NULL (or a boolean's DEFAULT false) in the
    # database, which Odoo reads as the empty value cached here.
    for field in _empty_fields(model, fnames):
        env.cache.update(records, field, [field.convert_to_cache(False, records)] * len(rows))
    # Given precomputed values are final, as in create(): not recomputed, not rewritten.
    with env.protecting(protected, records):
        records.modified(fnames, create=True)
    records._validate_fields(fnames)
    if model._check_company_auto:
        check_company(records, fnames, rows)
    return records


def _empty_fields(model, fnames):
    """The plain stored fields of ``model`` that rows giving ``fnames`` leave empty."""
    given = {"id", *fnames, *LOG_ACCESS_COLUMNS}
    return [
        field
        for field in model._fields.values()
        if field.type in PLAIN_TYPES
        and field.store
        and field.name not in given
        and not (field.compute or field.translate or field.company_dependent)
    ]


def check_company(records, fnames, rows):
    """Set-based ``records._check_company(fnames)`` for inserted records with a
    ``company_id``; ``rows`` are their inserted values, in the same order.

    The core check builds and evaluates a domain per record and field; here the linked
    records of all the records of one company are checked together, their ids taken
    from the rows. Any inconsistency is reported by the core check, run on the records
    of that company.
    """
    if "company_id" not in records._fields or records._name == "res.company":
        records._check_company(fnames)
        return
    if "company_id" in fnames:
        fnames = records._fields  # as in the core check: a new company affects all links
    fields = [
        field
        for field in map(records._fields.get, fnames)
        if field.relational and field.check_company
    ]
    if any(field.company_dependent for field in fields):
        records._check_company(fnames)  # checked against the current company instead
        return
    # Only many2one fields have a column, so only they can be given by a row.
    fields = [field for field in fields if field.type == "many2one"]
    if not fields:
        return
    linked_ids = defaultdict(lambda: defaultdict(set))  # {company id: {field: ids}}
    for row in rows:
        by_field = linked_ids[row.get("company_id") or False]
        for field in fields:
            if row.get(field.name):
                by_field[field].add(row[field.name])
    for company_id, by_field in linked_ids.items():
        company = records.env["res.company"].browse(company_id)
        for field, ids in by_field.items():
            linked = records.env[field.comodel_name].sudo().browse(ids)
            domain = linked._check_company_domain(company)
            if not domain:
                continue
            # Counted by the database: evaluating the domain on thousands of linked
            # records in Python costs more than the insertion.
            matching = linked.with_context(active_test=False).search_count(
                expression.AND([[("id", "in", linked.ids)], domain])
            )
            if matching != len(linked):
                company_records = records.filtered(
                    lambda record, company=company: record.company_id == company
                )
                company_records._check_company([field.name])
