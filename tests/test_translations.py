"""Welsh stays 100% translated: a string in the code without Welsh fails here."""
from __future__ import annotations

from io import BytesIO

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

WELSH_PLURAL_SAMPLES = {0: 0, 1: 1, 2: 2, 3: 3, 6: 4, 4: 5, 5: 5, 7: 5, 10: 5, 100: 5}


def welsh_catalog(repo_root):
    with open(repo_root / "locales" / "cy" / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale="cy")


def source_messages(repo_root) -> set[str]:
    with open(repo_root / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
                "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(repo_root), method_map, options_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_string_has_welsh(repo_root):
    catalog = welsh_catalog(repo_root)
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        forms = [m.string] if isinstance(m.string, str) else list(m.string)
        translated[key] = (forms, m.fuzzy)
    missing = sorted(s for s in source_messages(repo_root) if s not in translated)
    assert missing == [], f"strings missing from locales/cy (run `make extract-messages`): {missing}"
    untranslated = sorted(k for k, (forms, fuzzy) in translated.items() if fuzzy or not all(f.strip() for f in forms))
    assert untranslated == [], f"Welsh translation missing or fuzzy: {untranslated}"


def test_welsh_catalogue_declares_six_plural_forms(repo_root):
    catalog = welsh_catalog(repo_root)
    assert catalog.num_plurals == 6
    for m in catalog:
        if m.id and not isinstance(m.id, str):
            assert len(m.string) == 6 and all(m.string), f"{m.id[0]!r} needs all six Welsh plural forms"


def test_welsh_plural_rule_picks_the_cldr_category(repo_root):
    catalog = welsh_catalog(repo_root)
    import gettext

    rule = gettext.c2py(catalog.plural_expr)  # how gettext reads the compiled header
    assert {n: rule(n) for n in WELSH_PLURAL_SAMPLES} == WELSH_PLURAL_SAMPLES


def test_compiled_catalogue_is_current(repo_root):
    """The .mo used at run time says the same as the .po (make compiles it)."""
    from babel.messages.mofile import read_mo

    with open(repo_root / "locales" / "cy" / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = read_mo(BytesIO(f.read()))
    po = welsh_catalog(repo_root)
    def ids(catalog):
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}

    assert ids(po) <= ids(compiled)
