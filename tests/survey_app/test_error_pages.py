"""The pages nginx shows for its own errors (survey_app/error_pages.py): `flask error-pages`
writes each one in Welsh and English from the app's templates and catalogue. nginx serving
them is tested in tests/deploy/test_nginx.py."""
from __future__ import annotations

import re

from flask_babel import force_locale

from survey_app import create_app, error_pages

SECRETS = {"SECRET_KEY": "error-pages-test-secret-0123456789abcdef0123",
           "EMAIL_HASH_KEY": "error-pages-test-hash-key-0123456789abcdef01", "TESTING": True}


def columns(html: str) -> dict[str, list[str]]:
    """Each language's column -> the texts of its heading and paragraphs."""
    found = re.findall(r'<div class="govuk-grid-column-one-half" lang="(cy|en)">(.*?)</div>', html, re.S)
    return {code: [t.strip().replace("&#39;", "'") for t in re.findall(r"<(?:h1|p)[^>]*>(.*?)</", part, re.S)]
            for code, part in found}


def test_flask_error_pages_writes_each_page_in_welsh_then_english(tmp_path):
    app = create_app({**SECRETS, "INSTANCE_PATH": str(tmp_path / "instance")})
    folder = tmp_path / "errors"
    folder.mkdir()
    (folder / "a-page-no-longer-made.html").write_text("old")
    result = app.test_cli_runner().invoke(args=["error-pages", "--folder", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(error_pages.PAGES)
    with app.test_request_context("/"):
        for name, page in error_pages.PAGES.items():
            html = (folder / name).read_text(encoding="utf-8")
            assert html.startswith('<!DOCTYPE html>\n<html lang="cy"'), name
            expected = {}
            for code, locale in (("cy", "cy"), ("en", "en_GB")):
                with force_locale(locale):
                    expected[code] = [str(page.title), *(str(p) for p in page.paragraphs)]
            assert columns(html) == expected, name
            assert expected["cy"] != expected["en"], f"{name}: the Welsh catalogue is missing its words"
            # the header, skip link and footer in both languages too, each marked; no switch
            for welsh, english in (("Arolwg defnyddwyr TGCh", "ICT user survey"),
                                   ("Neidio i'r prif gynnwys", "Skip to main content"),
                                   ("Mae eich atebion yn gyfrinachol.", "Your answers are confidential.")):
                assert re.search(f'lang="cy"[^>]*>{welsh}<', html.replace("&#39;", "'")), (name, welsh)
                assert re.search(f'lang="en"[^>]*>{english}<', html), (name, english)
            assert "app-language-switch" not in html
            assert re.search(r'href="/static/govuk/survey\.css\?v=[0-9a-f]{10}"', html), name
