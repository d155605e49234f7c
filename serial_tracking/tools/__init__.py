from . import bulk, cursor_stack, guard, identifiers  # noqa: F401
