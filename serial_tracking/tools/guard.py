"""Write guards: fields that no client may set through ``write()``/``create()``.

Odoo's ``readonly`` is a view attribute: an RPC client can still write any field. The
addon's models keep two kinds of values that must only ever come from its own code:

- stored computed fields (``serial_blocked``, a warranty's ``state``, counters...):
  nobody writes them, their compute method is the only source; nor the non-stored
  ones a model names (``serial_block_reason``), whose value written would only sit
  in the cache and look saved;
- state fields that only a flow changes (``serial_state``, the owner, the theft
  registry...): the flow checks who may do it, then writes as superuser.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


def readonly_computed(model, fnames):
    """Names among ``fnames`` of computed fields nobody may write.

    Stored or not: a non-stored one would be silently ignored, refuse it as clearly.
    """
    return sorted(
        fname
        for fname in fnames
        if (field := model._fields.get(fname)) is not None
        and field.compute
        and field.readonly
        and not field.inverse
    )


def check_write(records, vals, system_fields=()):
    """Refuse ``vals`` that set a computed field, or a system field without sudo.

    ``system_fields`` are written by the addon's flows only, as superuser after their
    own access checks. Raises ``AccessError`` naming the fields.
    """
    forbidden = readonly_computed(records, vals)
    if not records.env.su:
        forbidden += sorted(set(system_fields) & set(vals))
    if forbidden:
        raise AccessError(_forbidden_message(records, forbidden))


def check_create(model, vals_list, system_fields=()):
    """Refuse non-default values of ``system_fields`` at creation (but for sudo)."""
    if model.env.su:
        return
    forbidden = set()
    for vals in vals_list:
        for fname in set(system_fields) & set(vals):
            field = model._fields[fname]
            value = vals[fname]
            default = field.default(model) if callable(field.default) else field.default
            if value and value != default and not _empty_commands(value):
                forbidden.add(fname)
    if forbidden:
        raise AccessError(_forbidden_message(model, sorted(forbidden)))


def readable_sql(model, id_sql):
    """SQL boolean: the ``model`` record of id ``id_sql`` is readable by the user.

    For lookups that join other tables in one statement, past their record rules: a
    joined name is shown only where this holds. A correlated ``EXISTS`` keeps the
    lookup a single indexed statement. Archived records count as readable.
    """
    sub = model.with_context(active_test=False)._search([])
    sub.add_where(SQL("%s = %s", SQL.identifier(sub.table, "id"), id_sql))
    return SQL("EXISTS(%s)", sub.select(SQL("1")))


def _empty_commands(value):
    """True for x2many commands that leave the relation empty (clear, set [])."""
    return isinstance(value, list | tuple) and all(
        isinstance(cmd, list | tuple)
        and cmd
        and (cmd[0] == 5 or (cmd[0] == 6 and len(cmd) == 3 and not cmd[2]))
        for cmd in value
    )


def _forbidden_message(model, fnames):
    labels = ", ".join(
        model._fields[fname]._description_string(model.env) or fname for fname in fnames
    )
    return model.env._(
        "%(fields)s of %(model)s cannot be set directly: they follow from the unit's "
        "moves and from the actions made for them (report, recall, return...).",
        fields=labels,
        model=model.env["ir.model"]._get(model._name).name or model._description,
    )


def check_no_nul(model, vals, fnames):
    """Refuse text with a NUL character: PostgreSQL cannot store it."""
    for fname in fnames:
        value = vals.get(fname)
        if isinstance(value, str) and "\x00" in value:
            raise UserError(
                model.env._(
                    "%(field)s contains control or invisible characters (NUL): type or scan "
                    "it again.",
                    field=model._fields[fname]._description_string(model.env),
                )
            )
