"""Who sees what: every organisation route, as another organisation's admin and signed out."""
from __future__ import annotations

import pytest

from tests.factories import make_campaign, make_org

ORG_ROUTES = ["/organisations/{org}/", "/campaigns/{campaign}/", "/campaigns/{campaign}/rate.json",
              "/campaigns/{campaign}/results", "/campaigns/{campaign}/results?by=device",
              "/campaigns/{campaign}/download.csv", "/campaigns/{campaign}/download.xlsx",
              "/campaigns/{campaign}/report.pdf"]
CONSOLE_ROUTES = ["/console/", "/console/organisations/new", "/console/campaigns/new", "/console/exports",
                  "/console/baselines"]
#: console routes that only take a POST (tested in their own files)
POST_CONSOLE_ROUTES = ["/console/baselines/<int:baseline_id>/delete"]
#: console routes of one campaign: the Improve team only
CAMPAIGN_CONSOLE_ROUTES = ["/console/campaigns/{campaign}/participants", "/console/campaigns/{campaign}/release"]
#: the named peer groups: the Improve team only (pages, then forms that only take a POST)
PEER_GROUP_ROUTES = ["/console/peer-groups", "/console/peer-groups/{group}", "/console/peer-groups/{group}/delete"]
PEER_GROUP_POSTS = ["/console/peer-groups/{group}/members", "/console/peer-groups/{group}/rename",
                    "/console/peer-groups/{group}/members/{org}/remove", "/console/peer-groups/{group}/delete"]


@pytest.fixture
def two_orgs(app, make_user, make_response):
    a, b = make_org(name="Council A"), make_org(name="Council B")
    # three responses each, the threshold: every results route has figures to show
    ca, cb = make_campaign(a, anonymity_threshold=3), make_campaign(b, anonymity_threshold=3)
    for campaign in (ca, cb):
        for _ in range(3):
            make_response(campaign, {"overall": "5", "device": "laptop"})
    make_user("admin-a@example.org", role="org_admin", organisation=a)
    make_user("improve@example.org")
    return {"a": (a.id, ca.id), "b": (b.id, cb.id)}


def routes(org_id: int, campaign_id: int) -> list[str]:
    return [r.format(org=org_id, campaign=campaign_id) for r in ORG_ROUTES]


def test_every_route_lists_what_the_app_has(app):
    """If a route is added without being listed here, this fails: list it and test it."""
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("dashboard", "console")}
    listed = {r.split("?")[0].replace("{org}", "<int:organisation_id>").replace("{campaign}", "<int:campaign_id>")
              .replace("download.csv", "download.<file_format>").replace("download.xlsx", "download.<file_format>")
              .replace("{group}", "<int:group_id>")
              for r in ORG_ROUTES + CONSOLE_ROUTES + CAMPAIGN_CONSOLE_ROUTES + PEER_GROUP_ROUTES + PEER_GROUP_POSTS}
    assert rules == listed | set(POST_CONSOLE_ROUTES)


def test_admin_of_another_organisation_gets_404_everywhere(client, two_orgs, signer):
    signer(client, "admin-a@example.org")
    for path in routes(*two_orgs["a"]):
        assert client.get(path).status_code == 200, path
    own_console = [r.format(campaign=two_orgs["a"][1]) for r in CAMPAIGN_CONSOLE_ROUTES]
    for path in routes(*two_orgs["b"]) + routes(999999, 999999) + CONSOLE_ROUTES + own_console:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Council B" not in response.text


def test_signed_out_sees_nothing(client, two_orgs):
    for path in routes(*two_orgs["a"]) + CONSOLE_ROUTES:
        response = client.get(path)
        if path.endswith(".json"):
            assert response.status_code == 401, path
        else:
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path
        assert "Council A" not in response.text


def test_improve_team_sees_everything(client, two_orgs, signer):
    signer(client, "improve@example.org")
    for key in ("a", "b"):
        for path in routes(*two_orgs[key]):
            assert client.get(path).status_code == 200, path
    for path in CONSOLE_ROUTES + [r.format(campaign=two_orgs["b"][1]) for r in CAMPAIGN_CONSOLE_ROUTES]:
        assert client.get(path).status_code == 200, path


def test_peer_groups_are_the_improve_teams_only(client, two_orgs, signer, csrf):
    from survey_app.extensions import db
    from survey_app.models import Organisation
    from survey_app.peers.operations import create_group

    org = db.session.get(Organisation, two_orgs["a"][0])
    group = create_group("Test group", [org.code_for(2026)])
    db.session.commit()
    pages = [r.format(group=group.id) for r in PEER_GROUP_ROUTES]
    posts = [r.format(group=group.id, org=org.id) for r in PEER_GROUP_POSTS]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path
    signer(client, "admin-a@example.org")
    for path in pages:
        assert client.get(path).status_code == 404, path
    token = csrf(client.get(f"/organisations/{two_orgs['a'][0]}/").text)
    for path in posts:
        assert client.post(path, data={"csrf_token": token, "name": "Mine", "codes": "X"}).status_code == 404, path
    db.session.expire_all()
    assert [g.name for g in db.session.scalars(db.select(type(group)))] == ["Test group"]
    assert len(db.session.scalars(db.select(type(group))).one().members) == 1
