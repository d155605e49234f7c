"""Every addon of the repository is a well-formed, installable, packageable Odoo 18.0
module.

These checks read the files on disk only (no database): the manifest, the files
it lists, the XML/CSV data, and the wheel built by the whool backend.
"""

import ast
import csv
import glob
import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
ADDONS = sorted(path.parent for path in ROOT.glob("*/__manifest__.py"))
ALLOWED_LICENSES = {"LGPL-3", "AGPL-3", "GPL-3", "GPL-3 or any later version", "OPL-1"}
# Asset directives whose last element is not a file of ours.
ASSET_DIRECTIVES_WITHOUT_OWN_FILE = {"include", "remove"}


def _manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


per_addon = pytest.mark.parametrize("addon", ADDONS, ids=[addon.name for addon in ADDONS])


def test_the_repository_holds_the_core_addon_and_its_bridges():
    names = [addon.name for addon in ADDONS]
    assert "serial_tracking" in names and "serial_tracking_repair" in names
    core = _manifest(ROOT / "serial_tracking")
    # The core addon forces no optional Odoo app on its users: the bridges bring them.
    assert not {"repair", "mrp", "point_of_sale"} & set(core["depends"]), core["depends"]
    for addon in ADDONS:
        if addon.name != "serial_tracking":
            manifest = _manifest(addon)
            assert "serial_tracking" in manifest["depends"], addon.name
            assert manifest.get("auto_install") or addon.name == "serial_tracking_register"


def _core_addons_dirs():
    # Located without importing Odoo (which would load its whole framework).
    spec = importlib.util.find_spec("odoo")
    assert spec and spec.submodule_search_locations, "Odoo is not importable"
    pkg = Path(list(spec.submodule_search_locations)[0])
    return [path for path in (pkg.parent / "addons", pkg / "addons") if path.is_dir()]


def _data_files(manifest):
    return [name for key in ("data", "demo") for name in manifest.get(key, [])]


@per_addon
def test_manifest_is_a_literal_dict_with_the_required_keys(addon):
    manifest = _manifest(addon)
    assert isinstance(manifest, dict)
    missing = {"name", "version", "license", "author", "depends", "data"} - manifest.keys()
    assert not missing, f"manifest lacks {sorted(missing)}"
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"]), (
        f"version {manifest['version']!r} is not 18.0.x.y.z"
    )
    assert manifest["license"] in ALLOWED_LICENSES
    assert manifest.get("installable", True) is True
    assert isinstance(manifest["depends"], list) and manifest["depends"]
    assert (addon / "__init__.py").is_file()


@per_addon
def test_dependencies_are_odoo_modules(addon):
    dirs = [*_core_addons_dirs(), ROOT]
    unknown = [
        dep
        for dep in _manifest(addon)["depends"]
        if not any((path / dep / "__manifest__.py").is_file() for path in dirs)
    ]
    assert not unknown, f"depends on modules found nowhere in {dirs}: {unknown}"


@per_addon
def test_listed_data_files_exist(addon):
    manifest = _manifest(addon)
    missing = [name for name in _data_files(manifest) if not (addon / name).is_file()]
    assert not missing, f"files listed in the manifest but absent: {missing}"
    duplicated = {name for name in _data_files(manifest) if _data_files(manifest).count(name) > 1}
    assert not duplicated, f"files listed twice in the manifest: {sorted(duplicated)}"


@per_addon
def test_asset_paths_match_files(addon):
    unmatched = []
    for bundle, items in _manifest(addon).get("assets", {}).items():
        for item in items:
            if isinstance(item, (list, tuple)):
                if item[0] in ASSET_DIRECTIVES_WITHOUT_OWN_FILE:
                    continue
                item = item[-1]
            if not glob.glob(str(ROOT / item), recursive=True):
                unmatched.append(f"{bundle}: {item}")
    assert not unmatched, f"asset paths that match no file: {unmatched}"


@per_addon
def test_xml_files_are_well_formed(addon):
    files = sorted(addon.rglob("*.xml"))
    assert files, f"{addon.name} has no XML file"
    errors = []
    for path in files:
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            errors.append(f"{path.relative_to(ROOT)}: {exc}")
    assert not errors, "\n".join(errors)


@per_addon
def test_csv_data_files_are_consistent(addon):
    errors = []
    for name in _data_files(_manifest(addon)):
        if not name.endswith(".csv"):
            continue
        with open(addon / name, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        if not rows or "id" not in rows[0]:
            errors.append(f"{name}: no header row with an 'id' column")
            continue
        ids = [row[rows[0].index("id")] for row in rows[1:] if row]
        errors += [f"{name}: duplicate id {i}" for i in {i for i in ids if ids.count(i) > 1}]
        errors += [
            f"{name}:{lineno}: {len(row)} columns instead of {len(rows[0])}"
            for lineno, row in enumerate(rows[1:], start=2)
            if row and len(row) != len(rows[0])
        ]
    assert not errors, "\n".join(errors)


@per_addon
def test_pyproject_uses_whool(addon):
    text = (addon / "pyproject.toml").read_text(encoding="utf-8")
    assert 'build-backend = "whool.buildapi"' in text
    assert re.search(r'requires = \[\s*"whool', text)


@per_addon
def test_wheel_builds_with_the_manifest_inside(addon, tmp_path):
    manifest = _manifest(addon)
    # --no-build-isolation: use the whool of requirements-test.txt instead of
    # downloading it again; the backend is the one pyproject.toml names.
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"),
            *("--disable-pip-version-check", "-q", "-w", str(tmp_path), str(addon)),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(tmp_path.glob("*.whl"))
    assert [w.name for w in wheels] == [
        f"odoo_addon_{addon.name}-{manifest['version']}-py3-none-any.whl"
    ]
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
        metadata = next(wheel.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    prefix = f"odoo/addons/{addon.name}/"
    expected = {prefix + "__manifest__.py", prefix + "__init__.py"}
    expected |= {prefix + name for name in _data_files(manifest)}
    absent = sorted(expected - names)
    assert not absent, f"missing from the wheel (not tracked by git?): {absent}"
    assert f"Name: odoo-addon-{addon.name}" in metadata
    assert re.search(r"^Requires-Dist: odoo[^\n]*18\.0", metadata, re.M), metadata
