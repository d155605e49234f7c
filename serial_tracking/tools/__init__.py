from . import bulk, guard, identifiers  # noqa: F401
