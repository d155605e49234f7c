"""scripts/lib/test_summary.py turns Odoo logs and pytest reports into the verdict.

The log lines below have the exact shape Odoo 18.0 writes with --log-level=test.
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "test_summary", ROOT / "scripts" / "lib" / "test_summary.py"
)
summary = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(summary)

DB = "serial_tracking_test_1"
MOD = "odoo.addons.serial_tracking.tests.test_lot"


def line(level, logger, msg, db=DB):
    return f"2026-11-27 01:45:04,175 26002 {level} {db} {logger}: {msg} \n"


def final(failed=0, errors=0, run=0):
    level = "ERROR" if failed or errors else ("WARNING" if not run else "INFO")
    return line(
        level,
        "odoo.tests.result",
        f"{failed} failed, {errors} error(s) of {run} tests when loading database '{DB}'",
    )


def run_main(tmp_path, capsys, log_lines, odoo_exit=0, junit=None, pytest_exit=0):
    log = tmp_path / "odoo.log"
    log.write_text("".join(log_lines))
    args = ["--odoo-log", str(log), "--odoo-exit", str(odoo_exit)]
    if junit is not None:
        (tmp_path / "junit.xml").write_text(junit)
        args += ["--junit", str(tmp_path / "junit.xml"), "--pytest-exit", str(pytest_exit)]
    code = summary.main(args)
    out = capsys.readouterr().out.splitlines()
    return code, out[-1]


def test_all_green(tmp_path, capsys):
    lines = [
        line("INFO", MOD, "Starting TestLot.test_a ..."),
        line("INFO", MOD, "Starting TestLot.test_b ..."),
        final(run=2),
    ]
    assert run_main(tmp_path, capsys, lines) == (
        0,
        "serial_tracking: 2 passed, 0 failed, 0 skipped",
    )


def test_failures_errors_and_subtests(tmp_path, capsys):
    lines = [
        line("INFO", MOD, "Starting TestLot.test_a ..."),
        line("ERROR", MOD, "FAIL: Subtest TestLot.test_a (kind='imei')"),
        "Traceback (most recent call last):\n",
        "AssertionError: 1 != 2\n",
        line("ERROR", MOD, "FAIL: Subtest TestLot.test_a (kind='vin')"),
        line("INFO", MOD, "Starting TestLot.test_b ..."),
        line("ERROR", MOD, "ERROR: TestLot.test_b"),
        line("INFO", MOD, "Starting TestLot.test_c ..."),
        line(
            "ERROR",
            "odoo.modules.loading",
            "Module serial_tracking: 2 failures, 1 errors of 3 tests",
        ),
        final(failed=2, errors=1, run=3),
    ]
    code, last = run_main(tmp_path, capsys, lines, odoo_exit=1)
    assert code == 1
    # Three failure reports (Odoo's own count), two failing tests, one test passed.
    assert last == "serial_tracking: 1 passed, 3 failed, 0 skipped"


def test_a_skipped_tour_fails_the_run(tmp_path, capsys):
    lines = [
        line("INFO", MOD, "Starting TestTour.test_tour ..."),
        line("WARNING", MOD + ".TestTour.test_tour", "websocket-client module is not installed"),
        line("INFO", MOD, "skipped TestTour.test_tour : websocket-client module is not installed"),
        line("INFO", MOD, "Starting TestLot.test_a ..."),
        final(run=2),
    ]
    code, last = run_main(tmp_path, capsys, lines)
    assert (code, last) == (1, "serial_tracking: 1 passed, 0 failed, 1 skipped")


def test_class_level_skip_and_error(tmp_path, capsys):
    lines = [
        line("INFO", "odoo.tests.suite", "skipped setUpClass (x.TestA) : no chrome"),
        line("ERROR", "odoo.tests.suite", "ERROR: setUpClass (x.TestB)"),
        line("INFO", MOD, "Starting TestLot.test_a ..."),
        final(errors=1, run=1),
    ]
    code, last = run_main(tmp_path, capsys, lines, odoo_exit=1)
    assert (code, last) == (1, "serial_tracking: 1 passed, 1 failed, 1 skipped")


def test_error_lines_count_unless_a_failing_test_explains_them(tmp_path, capsys):
    lines = [
        line("ERROR", "odoo.addons.stock.models.stock_lot", "during install"),
        line("INFO", MOD, "Starting TestTour.test_tour ..."),
        line("ERROR", MOD + ".TestTour.test_tour", "Tour failed at step 3"),
        line("ERROR", MOD, "FAIL: TestTour.test_tour"),
        line("INFO", MOD, "Starting TestLot.test_logs ..."),
        line("ERROR", "odoo.addons.serial_tracking.models.stock_lot", "unexpected"),
        final(failed=1, run=2),
    ]
    code, last = run_main(tmp_path, capsys, lines, odoo_exit=1)
    # The install error and the error of the otherwise passing test count; the tour's
    # own error line is part of its failure.
    assert (code, last) == (1, "serial_tracking: 0 passed, 3 failed, 0 skipped")


def test_install_crash_without_closing_line(tmp_path, capsys):
    lines = [
        line("ERROR", "odoo.modules.registry", "Failed to load registry"),
        line("CRITICAL", "odoo.service.server", f"Failed to initialize database `{DB}`."),
    ]
    code, last = run_main(tmp_path, capsys, lines, odoo_exit=255)
    assert code == 1
    assert last == "serial_tracking: 0 passed, 3 failed, 0 skipped"


def test_no_test_at_all_fails(tmp_path, capsys):
    code, last = run_main(tmp_path, capsys, [final(run=0)])
    assert (code, last) == (1, "serial_tracking: 0 passed, 0 failed, 0 skipped")


def test_pytest_results_are_added(tmp_path, capsys):
    junit = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="1" skipped="1" tests="4">
<testcase classname="tests.test_lint" name="test_ruff"/>
<testcase classname="tests.test_lint" name="test_pylint"><failure message="bad">x</failure></testcase>
<testcase classname="tests.test_lint" name="test_skip"><skipped message="why"/></testcase>
<testcase classname="tests.test_lint" name="test_ok"/>
</testsuite></testsuites>"""
    lines = [line("INFO", MOD, "Starting TestLot.test_a ..."), final(run=1)]
    code, last = run_main(tmp_path, capsys, lines, junit=junit, pytest_exit=1)
    assert (code, last) == (1, "serial_tracking: 3 passed, 1 failed, 1 skipped")


def test_pytest_collecting_nothing_fails(tmp_path, capsys):
    junit = '<testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="0"/></testsuites>'
    lines = [line("INFO", MOD, "Starting TestLot.test_a ..."), final(run=1)]
    code, last = run_main(tmp_path, capsys, lines, junit=junit, pytest_exit=5)
    assert (code, last) == (1, "serial_tracking: 1 passed, 1 failed, 0 skipped")
