"""Turn an Odoo test log and a pytest JUnit report into one verdict.

Odoo 18.0 writes no per-run skip count and treats any ERROR/CRITICAL log line
as a failure on its own CI, so the log is read line by line:

* ``<module logger>: Starting Class.test ...``           a test starts (INFO)
* ``<module logger>: FAIL: Class.test`` / ``ERROR: ...``  a failure (ERROR)
* ``<module logger>: skipped Class.test : reason``       a skip (INFO)
* ``odoo.tests.result: F failed, E error(s) of N tests when loading database 'db'``
  the closing count (absent when loading the database crashed).

Any other ERROR/CRITICAL line counts as one more failure, unless it was
logged while a test ran that is already reported as failed (a failing tour
logs the browser error, then the test fails: one failure, not two).

Prints the details, then as its very last line
``serial_tracking: N passed, N failed, N skipped``; exits 1 when anything
failed or was skipped, or when no test ran.
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z_?]+) (?P<db>\S+) "
    r"(?P<logger>[^\s:]+): (?P<msg>.*)$"
)
FINAL = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests"
    r" when loading database"
)
MODULE_SUMMARY = re.compile(r"^Module \S+: \d+ failures, \d+ errors of \d+ tests$")
STARTING = re.compile(r"^Starting (?P<test>\S+) \.\.\.$")
FAILURE = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>.+)$")
SKIP = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
# Lines that mark the end of a test (or of all tests) for attribution purposes.
OUTSIDE_TESTS = (
    "odoo.modules.loading",
    "odoo.modules.registry",
    "odoo.service.server",
    "odoo.tests.result",
    "odoo.tests.stats",
)
CLASS_LEVEL = ("setUpClass", "tearDownClass", "setUpModule", "tearDownModule")


def _test_key(description):
    """'Subtest C.m (x=1)' and 'C.m' both map to 'C.m'."""
    description = description.strip()
    if description.startswith("Subtest "):
        description = description[len("Subtest ") :].split(" ", 1)[0]
    return description


def _skip_hint(reason):
    low = reason.lower()
    if "websocket" in low:
        return "tours need the websocket-client package: pip install -r requirements-test.txt"
    if "chrome" in low or "chromium" in low or "browser" in low:
        return "tours need Chromium: apt-get install chromium"
    return "a skipped test does not prove anything: make it run"


class OdooReport:
    def __init__(self):
        self.ran = None  # from the closing line
        self.failed = 0
        self.errors = 0
        self.failures = []  # (kind, description, last traceback line)
        self.failed_tests = set()
        self.skips = []  # (description, reason)
        self.stray_errors = []  # ERROR/CRITICAL lines not explained by a failed test
        self.erring_tests = set()  # tests that logged such a line
        self.started = 0

    @classmethod
    def parse(cls, lines):
        report = cls()
        current = None  # test running when a line is logged
        pending = []  # (test, line) error lines logged while `test` ran
        last_failure = None
        for raw in lines:
            raw = ANSI.sub("", raw.rstrip("\n"))
            match = LINE.match(raw)
            if not match:
                # Continuation (traceback) line: keep the last one of a failure.
                if last_failure is not None and raw.strip():
                    last_failure[2] = raw.strip()
                continue
            last_failure = None
            level, logger, msg = match["level"], match["logger"], match["msg"].rstrip()
            if logger.startswith(OUTSIDE_TESTS):
                current = None
            started = STARTING.match(msg)
            if started and level == "INFO":
                current = _test_key(started["test"])
                report.started += 1
                continue
            skipped = SKIP.match(msg)
            if skipped and level == "INFO":
                report.skips.append((skipped["test"], skipped["reason"]))
                continue
            final = FINAL.match(msg)
            if final and logger == "odoo.tests.result":
                report.ran = int(final["run"])
                report.failed = int(final["failed"])
                report.errors = int(final["errors"])
                continue
            if level not in ("ERROR", "CRITICAL"):
                continue
            failure = FAILURE.match(msg)
            if failure and logger.startswith(("odoo.addons.", "odoo.tests")):
                entry = [failure["kind"], failure["test"], ""]
                report.failures.append(entry)
                report.failed_tests.add(_test_key(failure["test"]))
                last_failure = entry
            elif MODULE_SUMMARY.match(msg) or msg.startswith("Test suite halted"):
                pass  # restates failures already counted
            else:
                pending.append((current, "%s %s: %s" % (level, logger, msg)))
        unexplained = [(test, line) for test, line in pending if test not in report.failed_tests]
        report.stray_errors = [line for _test, line in unexplained]
        # A test that logged an error is not a passed test, even if it asserted nothing wrong.
        report.erring_tests = {test for test, _line in unexplained if test is not None}
        return report

    @property
    def skipped(self):
        return len(self.skips)

    @property
    def passed(self):
        if self.ran is None:
            return 0
        started_skips = sum(1 for test, _reason in self.skips if not test.startswith(CLASS_LEVEL))
        started_failures = sum(1 for test in self.failed_tests if not test.startswith(CLASS_LEVEL))
        return max(0, self.ran - started_skips - started_failures - len(self.erring_tests))

    def failed_count(self, exit_code):
        count = len(self.stray_errors)
        if self.ran is None:
            count += max(1, len(self.failures))
        else:
            count += self.failed + self.errors
        if exit_code not in (0, None) and count == 0:
            count = 1
        return count


class PytestReport:
    def __init__(self, tests=0, failures=0, errors=0, skipped=0):
        self.tests, self.failures, self.errors, self.skipped = tests, failures, errors, skipped
        self.problems = []

    @classmethod
    def parse(cls, path, exit_code):
        report = cls()
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as exc:
            report.problems.append("no JUnit report from pytest (%s)" % exc)
            report.errors += 1
            return report
        suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
        for suite in suites:
            report.tests += int(suite.get("tests", 0))
            report.failures += int(suite.get("failures", 0))
            report.errors += int(suite.get("errors", 0))
            report.skipped += int(suite.get("skipped", 0))
            for case in suite.iter("testcase"):
                name = "%s::%s" % (case.get("classname"), case.get("name"))
                for child in case:
                    if child.tag in ("failure", "error"):
                        # The first lines that say something (not pylint's banners).
                        lines = [
                            line.strip()
                            for line in (child.get("message") or "").splitlines()
                            if line.strip() and not line.lstrip().startswith("*****")
                        ]
                        report.problems.append(
                            "%s %s\n      %s"
                            % (child.tag.upper(), name, "\n      ".join(lines[:3]))
                        )
                    elif child.tag == "skipped":
                        report.problems.append(
                            "SKIPPED %s : %s" % (name, child.get("message") or "")
                        )
        if exit_code == 5:
            report.problems.append("pytest collected no test")
            report.errors += 1
        elif exit_code not in (0, 1):
            report.problems.append("pytest stopped with exit code %s" % exit_code)
            if not (report.failures or report.errors):
                report.errors += 1
        return report

    @property
    def failed(self):
        return self.failures + self.errors

    @property
    def passed(self):
        return max(0, self.tests - self.failures - self.errors - self.skipped)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--name", default="serial_tracking")
    parser.add_argument("--odoo-log")
    parser.add_argument("--odoo-exit", type=int)
    parser.add_argument("--junit")
    parser.add_argument("--pytest-exit", type=int)
    args = parser.parse_args(argv)

    passed = failed = skipped = 0
    if args.odoo_log:
        try:
            with open(args.odoo_log, encoding="utf-8", errors="replace") as log:
                odoo = OdooReport.parse(log)
        except OSError as exc:
            odoo = OdooReport()
            odoo.stray_errors.append("cannot read the Odoo log: %s" % exc)
        o_failed = odoo.failed_count(args.odoo_exit)
        print("--- Odoo tests (log: %s)" % args.odoo_log)
        if odoo.ran is None:
            print(
                "  Odoo never reported its test results: installing serial_tracking or"
                " loading the database failed (exit code %s); see the log above." % args.odoo_exit
            )
        for kind, test, last in odoo.failures:
            print("  %s: %s%s" % (kind, test, ("  -> " + last) if last else ""))
        for test, reason in odoo.skips:
            print("  SKIPPED: %s : %s\n    (%s)" % (test, reason, _skip_hint(reason)))
        for line in odoo.stray_errors:
            print("  error in the log (counts as a failure): %s" % line[:300])
        if args.odoo_exit not in (0, None):
            print("  Odoo exited with status %s" % args.odoo_exit)
        print(
            "  odoo: %d passed, %d failed, %d skipped (%s tests run)"
            % (odoo.passed, o_failed, odoo.skipped, odoo.ran if odoo.ran is not None else "no")
        )
        passed += odoo.passed
        failed += o_failed
        skipped += odoo.skipped
    if args.junit:
        pyt = PytestReport.parse(args.junit, args.pytest_exit)
        print("--- repository tests (pytest, %s)" % args.junit)
        for problem in pyt.problems:
            print("  " + problem[:600])
        print("  pytest: %d passed, %d failed, %d skipped" % (pyt.passed, pyt.failed, pyt.skipped))
        passed += pyt.passed
        failed += pyt.failed
        skipped += pyt.skipped

    verdict = 0
    if failed or skipped:
        verdict = 1
        if skipped and not failed:
            print(
                "  FAILED because %d test(s) were skipped: skipped tests are not green." % skipped
            )
    if passed + failed + skipped == 0:
        verdict = 1
        print("  FAILED because no test ran.")
    sys.stdout.flush()
    print("%s: %d passed, %d failed, %d skipped" % (args.name, passed, failed, skipped))
    return verdict


if __name__ == "__main__":
    sys.exit(main())
