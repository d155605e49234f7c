"""Every addon ships complete French and Spanish translations of its template.

The template (``i18n/<addon>.pot``) is checked against Odoo's own export by the addons'
tests (``test_i18n``); here, without Odoo, each ``.po`` must translate exactly the
terms of that template, every one of them.
"""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDONS = sorted(path.parent.name for path in ROOT.glob("*/__manifest__.py"))
LANGUAGES = ("fr", "es")


def _key(entry):
    return (entry.msgctxt, entry.msgid)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("addon", ADDONS)
def test_translation_is_complete(addon, lang):
    pot_path = ROOT / addon / "i18n" / f"{addon}.pot"
    if not pot_path.exists():
        pytest.fail(f"{addon} has no translation template i18n/{addon}.pot")
    po_path = ROOT / addon / "i18n" / f"{lang}.po"
    assert po_path.exists(), f"{addon} has no {lang}.po"
    template = {_key(entry) for entry in polib.pofile(str(pot_path)) if not entry.obsolete}
    po = polib.pofile(str(po_path))
    terms = {_key(entry) for entry in po if not entry.obsolete}
    missing = sorted(msgid for _ctx, msgid in template - terms)
    stale = sorted(msgid for _ctx, msgid in terms - template)
    untranslated = sorted(
        entry.msgid
        for entry in po
        if not entry.obsolete and (not entry.msgstr or "fuzzy" in entry.flags)
    )
    assert not missing, f"{addon}/{lang}.po lacks {len(missing)} terms, e.g. {missing[:5]}"
    assert not stale, f"{addon}/{lang}.po has {len(stale)} terms no longer used: {stale[:5]}"
    assert not untranslated, (
        f"{addon}/{lang}.po leaves {len(untranslated)} terms untranslated, e.g. {untranslated[:5]}"
    )
