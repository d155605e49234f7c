from . import bulk, identifiers  # noqa: F401
