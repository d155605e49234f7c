"""Checks of the translation files shipped with the repository's addons.

The ``.pot`` of an addon is what Odoo's own export produces on a database where the
repository's addons are installed without demo data (``scripts/i18n-export``). The
tests export it again in memory and compare.
"""

import io
import os
import re

import polib
from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tools.translate import TranslationFileWriter, TranslationModuleReader

REGENERATE = (
    "Regenerate the translation templates with `scripts/i18n-export` (from the "
    "repository root; it uses a temporary database) and commit the .pot files."
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def demo_xmlids(env, module):
    """External ids of the records an addon's demo files define.

    With the ids Odoo gives the parents of ``_inherits`` models (the template of a
    demo product variant: ``<id>_product_template``).
    """
    path = get_module_path(module)
    xmlids = set()
    for fname in get_manifest(module).get("demo", []):
        if not fname.endswith(".xml"):
            continue
        for node in etree.parse(os.path.join(path, fname)).iter("record"):
            xmlid = node.get("id")
            xmlid = xmlid if "." in xmlid else f"{module}.{xmlid}"
            xmlids.add(xmlid)
            model = env.get(node.get("model"))
            for parent in model._inherits if model is not None else ():
                xmlids.add(f"{xmlid}_{parent.replace('.', '_')}")
    return xmlids


def export_pot(env, module):
    """The ``.pot`` of ``module`` as Odoo exports it, without demo records' terms.

    Odoo's export (what ``--i18n-export`` and ``trans_export`` run), with the terms
    of demo records left out: the shipped template is made on a database without
    demo data, the tests may run on one with it.
    """
    demo = demo_xmlids(env, module)
    rows = [
        row
        for row in TranslationModuleReader(env.cr, modules=[module])
        if not (row[1] in ("model", "model_terms") and row[3] in demo)
    ]
    buffer = io.BytesIO()
    TranslationFileWriter(buffer, fileformat="po", lang=None).write_rows(rows)
    return buffer.getvalue().decode()


def pot_entries(text):
    """Entries of a ``.po``/``.pot`` text, header (dates, versions) left out."""
    return [
        (entry.msgid, entry.comment, tuple(entry.occurrences))
        for entry in polib.pofile(text, wrapwidth=0)
    ]


def shipped_pot_path(module):
    return os.path.join(get_module_path(module), "i18n", f"{module}.pot")


def pot_differences(module, exported_text):
    """How the shipped ``.pot`` of ``module`` differs from ``exported_text`` (or None)."""
    path = shipped_pot_path(module)
    if not os.path.isfile(path):
        return f"{module}: i18n/{module}.pot is missing. {REGENERATE}"
    with open(path, encoding="utf-8") as pot:
        shipped = pot_entries(pot.read())
    exported = pot_entries(exported_text)
    if shipped == exported:
        return None
    shipped_ids = {entry[0] for entry in shipped}
    exported_ids = {entry[0] for entry in exported}
    lines = [f"{module}: i18n/{module}.pot is out of date. {REGENERATE}"]
    for title, msgids in (
        ("terms missing from the .pot", exported_ids - shipped_ids),
        ("terms the code no longer has", shipped_ids - exported_ids),
    ):
        if msgids:
            lines.append(f"{len(msgids)} {title}, e.g.:")
            lines += [f"  {msgid!r}" for msgid in sorted(msgids)[:10]]
    if shipped_ids == exported_ids:
        moved = [new for old, new in zip(shipped, exported, strict=False) if old != new]
        lines.append(f"Same terms, other sources or comments, e.g. {moved[0][0]!r}.")
    return "\n".join(lines)


def repository_po_files():
    """Every ``i18n/*.po`` of the addons that sit beside serial_tracking."""
    root = os.path.dirname(get_module_path("serial_tracking"))
    for addon in sorted(os.listdir(root)):
        i18n = os.path.join(root, addon, "i18n")
        if os.path.isfile(os.path.join(root, addon, "__manifest__.py")) and os.path.isdir(i18n):
            for fname in sorted(os.listdir(i18n)):
                if fname.endswith(".po"):
                    yield os.path.join(addon, "i18n", fname), os.path.join(i18n, fname)
