"""Named peer groups in the Improve team's console: create, add, remove, rename, delete,
and bad input refused with a message on its field, changing nothing."""
from __future__ import annotations

import html
from datetime import date

import pytest

from scoring.years import data_year
from survey_app.extensions import db
from survey_app.models import NamedPeerGroup
from tests.factories import make_org

YY = data_year(date.today()) % 100


@pytest.fixture
def console(client, make_user, signer):
    for letter, number in (("L", 1), ("L", 2), ("M", 3), ("S", 4)):
        make_org(name=f"Console Council {letter}{number}", type_letter=letter, number=number)
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    return client


def code(letter, number):
    return f"{letter}{YY:02d}{number:02d}"


def members():
    group = db.session.scalar(db.select(NamedPeerGroup))
    if group is None:
        return None
    db.session.refresh(group)
    return group.name, sorted(m.organisation.code_for(data_year(date.today())) for m in group.members)


def test_a_group_from_creation_to_deletion(console, csrf):
    page = console.get("/console/peer-groups")
    assert page.status_code == 200 and "There are no named peer groups yet." in page.text
    made = console.post("/console/peer-groups", data={"csrf_token": csrf(page.text), "name": "Inner cities",
                                                      "codes": f"{code('L', 1)}, {code('l', 2)}\n"})
    assert made.status_code == 302
    assert members() == ("Inner cities", [code("L", 1), code("L", 2)])
    shown = html.unescape(console.get(made.headers["Location"]).text)
    assert "Peer group ‘Inner cities’ created." in shown and "Console Council L1" in shown
    assert "2 organisations." in shown and "only when at least 5 of its organisations have results" in shown

    group_id = db.session.scalar(db.select(NamedPeerGroup.id))
    token = csrf(shown)
    assert console.post(f"/console/peer-groups/{group_id}/members",
                        data={"csrf_token": token, "codes": f"{code('M', 3)} {code('S', 4)}"}).status_code == 302
    assert members()[1] == [code("L", 1), code("L", 2), code("M", 3), code("S", 4)]
    m3 = db.session.scalar(db.select(NamedPeerGroup)).members
    org_id = next(m.organisation_id for m in m3 if m.organisation.type_letter == "M")
    assert console.post(f"/console/peer-groups/{group_id}/members/{org_id}/remove",
                        data={"csrf_token": token}).status_code == 302
    assert members()[1] == [code("L", 1), code("L", 2), code("S", 4)]
    assert console.post(f"/console/peer-groups/{group_id}/rename",
                        data={"csrf_token": token, "name": "Big cities"}).status_code == 302
    assert members()[0] == "Big cities"
    listed = html.unescape(console.get("/console/peer-groups").text)
    assert "Big cities" in listed
    confirm = console.get(f"/console/peer-groups/{group_id}/delete")
    assert "Delete the peer group Big cities?" in html.unescape(confirm.text)
    gone = console.post(f"/console/peer-groups/{group_id}/delete", data={"csrf_token": csrf(confirm.text)})
    assert gone.status_code == 302 and members() is None
    assert console.get(f"/console/peer-groups/{group_id}").status_code == 404


@pytest.mark.parametrize("path, data, field, message", [
    ("create", {"name": "", "codes": ""}, "name", "Enter the peer group's name"),
    ("create", {"name": "x" * 101, "codes": ""}, "name", "The peer group's name must be 100 characters or fewer"),
    ("create", {"name": "Another", "codes": "L9999 X0101"}, "codes",
     "No organisation has the code L9999, X0101. Check the codes and try again."),
    ("create", {"name": "cities", "codes": ""}, "name", "There is already a peer group called ‘Cities’."),
    ("create", {"name": "Another", "codes": "L" * 4001}, "codes", "The list of codes must be 4000 characters or fewer"),
    ("create", {"name": "Bad\x07name", "codes": ""}, "name", "contains a control character"),
    ("add", {"codes": ""}, "codes", "Enter the code of at least one organisation"),
    ("add", {"codes": "Q1234"}, "codes", "No organisation has the code Q1234."),
    ("rename", {"name": " "}, "name", "Enter the peer group's name"),
])
def test_bad_input_names_the_field_and_changes_nothing(console, csrf, path, data, field, message):
    page = console.get("/console/peer-groups")
    console.post("/console/peer-groups", data={"csrf_token": csrf(page.text), "name": "Cities",
                                               "codes": code("L", 1)})
    before = members()
    group_id = db.session.scalar(db.select(NamedPeerGroup.id))
    url = {"create": "/console/peer-groups", "add": f"/console/peer-groups/{group_id}/members",
           "rename": f"/console/peer-groups/{group_id}/rename"}[path]
    response = console.post(url, data={"csrf_token": csrf(page.text), **data})
    assert response.status_code == 400
    text = html.unescape(response.text)
    assert "There is a problem" in text and message in text
    assert f'href="#{field}"' in text
    assert members() == before


def test_removing_a_non_member_and_other_ids_are_not_found(console, csrf):
    page = console.get("/console/peer-groups")
    console.post("/console/peer-groups", data={"csrf_token": csrf(page.text), "name": "Cities",
                                               "codes": code("L", 1)})
    group_id = db.session.scalar(db.select(NamedPeerGroup.id))
    assert console.post(f"/console/peer-groups/{group_id}/members/99999/remove",
                        data={"csrf_token": csrf(page.text)}).status_code == 404
    assert console.get("/console/peer-groups/99999").status_code == 404
    assert members() == ("Cities", [code("L", 1)])


def test_organisation_admins_cannot_reach_it(client, make_user, signer):
    org = make_org(name="Council A")
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    assert client.get("/console/peer-groups").status_code in (403, 404)


def test_the_page_in_welsh(console):
    page = html.unescape(console.get("/console/peer-groups?lang=cy").text)
    assert "Grwpiau cymheiriaid" in page and "Creu grŵp cymheiriaid" in page


def test_exports_over_a_peer_group(client, make_user, signer, make_response):
    import csv
    import io
    import zipfile

    from tests.peer_round import make_peer_round

    _campaign, codes = make_peer_round(make_response, make_user)
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    page = html.unescape(client.get("/console/exports").text)
    assert '<option value="nation:wales" >Organisations in Wales</option>' in page
    year = _campaign.year_label
    got = client.get(f"/console/exports?questionnaire=user-satisfaction&year={year}&format=csv&peers=type:L")
    assert got.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(got.data))
    assert all("-type-l-" in n for n in archive.namelist())
    long_name = next(n for n in archive.namelist() if n.endswith("long.csv"))
    found = {r["organisation_code"] for r in csv.DictReader(io.StringIO(archive.read(long_name).decode("utf-8-sig")))}
    assert found == {codes[("L", 1)], codes[("L", 2)], codes[("L", 3)]}
    assert client.get(f"/console/exports?questionnaire=user-satisfaction&year={year}&format=csv"
                      "&peers=nation:mars").status_code == 404
