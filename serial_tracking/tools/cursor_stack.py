"""Values a flow hands to the code it calls, kept on the database cursor.

A context comes from the client: any key in it can be sent over RPC. What a flow
must tell the code it runs (the units it restocks after a theft, the POS lines it
holds...) and that switches a check on or off is kept on the cursor instead, where
no client reaches. Each key holds a stack: a flow run inside another one sees its
own value, and the outer one gets its value back when the inner one ends.
"""

from contextlib import contextmanager


@contextmanager
def pushed(cr, key, value):
    """Make ``value`` the current value of ``key`` on ``cr`` while the block runs."""
    stack = cr.cache.setdefault(key, [])
    stack.append(value)
    try:
        yield value
    finally:
        stack.pop()


def current(cr, key, default):
    """The value of the innermost running :func:`pushed` block for ``key``, else
    ``default``."""
    stack = cr.cache.get(key)
    return stack[-1] if stack else default
