"""The repository passes its own linters, with its own configuration files.

The tools are those of requirements-test.txt; .pre-commit-config.yaml runs the
same ones with the same configuration (ruff.toml, .pylintrc-mandatory,
.oca_hooks.cfg), so a green pre-commit and a green CI agree.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDONS = sorted(path.parent.name for path in ROOT.glob("*/__manifest__.py"))
# Binary files, where whitespace rules do not apply.
BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".pdf", ".woff", ".woff2", ".zip"}


def _run(*cmd):
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    return result.returncode, (result.stdout + result.stderr).strip()


def _script(name):
    """A console script installed beside the running interpreter."""
    path = Path(sys.executable).with_name(name)
    return str(path) if path.exists() else shutil.which(name) or name


def _tracked_files():
    code, out = _run("git", "ls-files", "-z")
    assert code == 0, f"git ls-files failed: {out}"
    return [ROOT / name for name in out.split("\0") if name and (ROOT / name).is_file()]


def test_ruff_check():
    code, out = _run(
        sys.executable, "-m", "ruff", "check", "--no-fix", "--output-format=concise", "."
    )
    assert code == 0, out


def test_ruff_format():
    code, out = _run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert code == 0, f"{out}\n(run `ruff format .`)"


def test_pylint_odoo_mandatory_checks():
    code, out = _run(sys.executable, "-m", "pylint", "--rcfile=.pylintrc-mandatory", *ADDONS)
    assert code == 0, out


def test_oca_odoo_module_checks():
    code, out = _run(_script("oca-checks-odoo-module"), *ADDONS)
    assert code == 0, out


def test_pre_commit_config_is_valid():
    code, out = _run(
        sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"
    )
    assert code == 0, out


def test_no_trailing_whitespace_and_one_final_newline():
    problems = []
    for path in _tracked_files():
        if path.suffix.lower() in BINARY_SUFFIXES:
            continue
        data = path.read_bytes()
        if b"\0" in data or not data:
            continue
        text = data.decode("utf-8", errors="replace")
        rel = path.relative_to(ROOT)
        for lineno, line in enumerate(text.split("\n"), start=1):
            line = line.rstrip("\r")
            stripped = line.rstrip(" \t")
            # Markdown keeps exactly two trailing spaces as a line break.
            if stripped != line and not (rel.suffix == ".md" and line == stripped + "  "):
                problems.append(f"{rel}:{lineno}: trailing whitespace")
        if not text.endswith("\n") or text.endswith("\n\n") or text.endswith("\n\r\n"):
            problems.append(f"{rel}: must end with exactly one newline")
    assert not problems, "\n".join(problems)
