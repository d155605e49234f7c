from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

DEFAULT_RATE_LIMIT = 30


class SerialCheckRate(models.Model):
    """Public stolen checks counted per IP address and clock hour (the rate limit).

    Only the address, the hour and a count are kept, and only for a day: the serials
    checked go to the unit's chatter when it matters (units reported stolen or lost).
    """

    _name = "serial.check.rate"
    _description = "Public Serial Check Rate"
    _order = "window_start desc, id desc"
    _log_access = False

    ip = fields.Char(string="IP Address", required=True)
    window_start = fields.Datetime(string="Hour", required=True, index=True)
    hits = fields.Integer(required=True, default=0)

    _sql_constraints = [
        ("ip_window_uniq", "unique(ip, window_start)", "One counter per address and hour."),
    ]

    @api.model
    def _serial_rate_limit(self):
        """Checks allowed per IP address and hour (``0`` or less: no limit)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("serial_tracking.public_check_limit", DEFAULT_RATE_LIMIT)
        )
        try:
            return int(value)
        except (TypeError, ValueError):
            return DEFAULT_RATE_LIMIT

    @api.model
    def _serial_take_slot(self, ip, limit=None):
        """Count a check from ``ip``; return False when its quota for the hour
        (``limit``, by default the configured one) is spent.

        Race-proof: one counter row per address and hour, incremented by an upsert
        in a transaction of its own, READ COMMITTED and committed at once. Parallel
        requests queue on the row and each reads the count the previous one left
        (the request's own REPEATABLE READ snapshot would not see them), and a
        request failing later still counts.
        """
        if limit is None:
            limit = self._serial_rate_limit()
        if limit <= 0:
            return True
        window = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        registry = self.env.registry
        with registry.cursor() as cr:
            if not registry.in_test_mode():  # test cursors share the test's transaction
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute(
                SQL(
                    """
                    INSERT INTO %(table)s (ip, window_start, hits)
                    VALUES (%(ip)s, %(window)s, 1)
                    ON CONFLICT (ip, window_start) DO UPDATE SET hits = %(table)s.hits + 1
                    RETURNING hits
                    """,
                    table=SQL.identifier(self._table),
                    ip=ip or "unknown",
                    window=window,
                )
            )
            hits = cr.fetchone()[0]
        return hits <= limit

    @api.autovacuum
    def _gc_serial_check_rate(self):
        """Addresses are personal data: forget them once they no longer count."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE window_start < %s",
                SQL.identifier(self._table),
                fields.Datetime.now() - timedelta(days=1),
            )
        )
