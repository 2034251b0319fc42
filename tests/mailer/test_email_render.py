"""Email bodies in both languages, checked against snapshots in tests/mailer/snapshots/.

After an intended change to a template or a translation, regenerate them with
UPDATE_SNAPSHOTS=1 and read the diff before committing it. CI never may: with CI set,
UPDATE_SNAPSHOTS=1 fails every snapshot test instead of writing (and .ci/run unsets it).
"""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from mailer.render import EmailFacts, Renderer, RenderError, closing_date
from tests.mailer.mailtools import CASES, facts

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def updating() -> bool:
    """UPDATE_SNAPSHOTS=1 outside CI: a snapshot test writes what it rendered as the
    expectation. In CI that would pass whatever the templates produce, so it is refused."""
    if os.environ.get("UPDATE_SNAPSHOTS", "") in ("", "0"):
        return False
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("UPDATE_SNAPSHOTS is set in CI: snapshots are only rewritten by hand, outside CI, "
                    "and the diff read before it is committed", pytrace=False)
    return True


@pytest.fixture(scope="module")
def renderer(repo_root):
    return Renderer(str(repo_root / "locales"))


def check_snapshot(name: str, content: str) -> None:
    path = SNAPSHOTS / name
    if updating():
        path.write_text(content, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: write it with UPDATE_SNAPSHOTS=1 and check it"
    assert content == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


@pytest.mark.parametrize("name", sorted(CASES))
def test_email_matches_its_snapshot(renderer, name):
    email = renderer.render(*CASES[name])
    check_snapshot(f"{name}.txt", f"Subject: {email.subject}\n\n{email.text}")
    check_snapshot(f"{name}.html", email.html)


def test_ci_cannot_rewrite_a_snapshot(renderer, monkeypatch):
    name = "invitation_en.txt"
    before = (SNAPSHOTS / name).read_bytes()
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("UPDATE_SNAPSHOTS", "1")
    with pytest.raises(pytest.fail.Exception, match="UPDATE_SNAPSHOTS is set in CI"):
        check_snapshot(name, "Subject: anything at all\n")
    assert (SNAPSHOTS / name).read_bytes() == before


def test_snapshots_have_no_stray_files():
    expected = {f"{name}.{ext}" for name in CASES for ext in ("txt", "html")}
    assert {p.name for p in SNAPSHOTS.iterdir()} == expected


def test_bilingual_parts_are_equal_in_content_and_layout(renderer):
    email = renderer.render(facts(), "cy+en")
    welsh, english = (re.search(f'<div lang="{lang}" id="{lang}">(.*?)</div>', email.html, re.S).group(1)
                      for lang in ("cy", "en"))
    tags = [re.findall(r"<(h1|p|a|strong)\b", part) for part in (welsh, english)]
    assert tags[0] == tags[1] and len(tags[0]) > 8
    assert "Annwyl gydweithiwr," in welsh and "Dear colleague," in english
    assert "dydd Sul 31 Mawrth 2030" in welsh and "Sunday 31 March 2030" in english
    # the note at the top, in the second language, points to it
    assert '<p lang="en" style="margin: 0 0 20px 0;"><a href="#en"' in email.html
    text_welsh, text_english = email.text.split("-" * 60)
    assert text_welsh.strip().startswith("The English version of this email is below.")
    welsh_lines, english_lines = text_welsh.strip().splitlines()[2:], text_english.strip().splitlines()
    assert [bool(line) for line in welsh_lines] == [bool(line) for line in english_lines]  # same shape


def test_dates_are_written_in_the_message_language():
    assert closing_date(date(2026, 12, 31), "cy") == "dydd Iau 31 Rhagfyr 2026"
    assert closing_date(date(2026, 12, 31), "en") == "Thursday 31 December 2026"


def test_organisation_names_are_escaped_in_html_only(renderer):
    email = renderer.render(facts(organisation="Smith & Jones <Council>"), "en")
    assert "Smith &amp; Jones &lt;Council&gt; is taking part" in email.html
    assert "Smith & Jones <Council> is taking part" in email.text


def test_minutes_use_the_plural_forms(renderer):
    one = EmailFacts(**{**facts().__dict__, "minutes": 1})
    assert "It takes about 1 minute." in renderer.render(one, "en").text
    assert "Mae'n cymryd tua 1 munud." in renderer.render(one, "cy").text


def test_unknown_languages_and_missing_catalogues_are_refused(renderer, tmp_path):
    with pytest.raises(RenderError, match="Unknown message language 'fr'"):
        renderer.render(facts(), "fr")
    with pytest.raises(RenderError, match="Unknown message language 'cy\\+cy'"):
        renderer.render(facts(), "cy+cy")
    with pytest.raises(RenderError, match="No compiled 'cy' catalogue"):
        Renderer(str(tmp_path)).render(facts(), "cy")
