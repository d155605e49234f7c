from . import identifiers  # noqa: F401
