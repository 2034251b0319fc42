"""What the return's tests share: reading a page's form as a browser would send it,
editing a function page, and what the database holds."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

#: the first function and its statements, two per layer (questionnaires/dma.yaml)
VL = "vision_leadership"
VL_STATEMENTS = [f"VL{layer}.{n}" for layer in range(1, 6) for n in (1, 2)]
FUNCTIONS = ["vision_leadership", "culture_skills", "user_centred_design", "digital_services", "data_analytics",
             "technology", "agile_working", "security_governance", "suppliers_partnerships"]


@dataclass
class Person:
    campaign: object
    contributor: object
    token: str

    @property
    def start(self) -> str:
        return f"/s/{self.token}"

    @property
    def url(self) -> str:
        return f"/s/{self.token}/return/"

    def page(self, name: str) -> str:
        return f"/s/{self.token}/return/{name}"

    def function(self, function_id: str = VL) -> str:
        return f"/s/{self.token}/return/f/{function_id}"


class FormReader(HTMLParser):
    """The fields one form of a page sends, as a browser sends them (no button)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif self.inside and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind != "submit":
                self.fields.append((a["name"], a.get("value", "")))
        elif self.inside and tag == "textarea":
            self._textarea = (a["name"], [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, form_id: str = "answers") -> MultiDict:
    reader = FormReader(form_id)
    reader.feed(html)
    assert reader.fields, f"no form #{form_id} on the page"
    return MultiDict(reader.fields)


def slug(statement_id: str) -> str:
    return statement_id.replace(".", "-")


def fill(html: str, answers: dict | None = None, notes: dict | None = None, action: str = "continue") -> MultiDict:
    """The function page's form as loaded, with some answers and notes changed."""
    data = form_fields(html)
    for statement, value in (answers or {}).items():
        data.setlist(f"answer-{slug(statement)}", [] if value is None else [value])
    for statement, note in (notes or {}).items():
        data[f"note-{slug(statement)}"] = note
    data["action"] = action
    return data


def edit(client, person: Person, answers: dict | None = None, notes: dict | None = None, *,
         function_id: str = VL, action: str = "continue", page: str | None = None):
    """Load a function page (unless its HTML is given, loaded earlier) and save changes."""
    if page is None:
        loaded = client.get(person.function(function_id))
        assert loaded.status_code == 200, loaded.status_code
        page = loaded.text
    return client.post(person.function(function_id), data=fill(page, answers, notes, action))


def stored(campaign) -> dict[str, tuple]:
    """statement id -> (value, note, revision, changed_by participant id), read afresh."""
    from survey_app.extensions import db
    from survey_app.models import MaturityAnswer, MaturityReturn

    db.session.expire_all()
    rows = db.session.execute(db.select(MaturityAnswer).join(MaturityReturn)
                              .where(MaturityReturn.campaign_id == campaign.id)).scalars()
    return {a.statement_id: (a.value, a.note, a.revision, a.changed_by_id) for a in rows}


def return_row(campaign):
    from survey_app.extensions import db
    from survey_app.models import MaturityReturn

    db.session.expire_all()
    return db.session.execute(db.select(MaturityReturn).where(MaturityReturn.campaign_id == campaign.id)
                              ).scalar_one_or_none()


def statement_text(campaign, statement_id: str, language: str = "en") -> str:
    from survey_app.extensions import db
    from survey_app.models import Campaign

    q = db.session.get(Campaign, campaign.id).questionnaire_version.parsed()
    return q.item(statement_id).text.get(language)


def text_of(html: str) -> str:
    """The page's words, tags taken out (inline ones without a space) and spaces run
    together, entities read."""
    from html import unescape

    inline = re.sub(r"</?(?:a|span|strong)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", inline)))


def submit_form(html: str, confirm: bool = False) -> MultiDict:
    data = form_fields(html, "submit-return")
    if confirm:
        data["confirm-unanswered"] = "yes"
    return data
