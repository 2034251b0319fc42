"""Named peer groups: create, rename, delete, add and remove members. They flush, never
commit. Organisations are given by code (any data year's code names the organisation)."""
from __future__ import annotations

import re

import sqlalchemy as sa

from questionnaires.characters import unstorable_character
from scoring.peers import PeerGroup, PeerGroupError, parse
from scoring.years import data_year

from ..extensions import db
from ..models import NamedPeerGroup, Organisation, PeerGroupMember
from ..models.peer_group import MAX_NAME_LENGTH


class NameTaken(PeerGroupError):
    def __init__(self, name: str):
        super().__init__(f"There is already a peer group called '{name}'.")
        self.name = name


class UnknownCodes(PeerGroupError):
    def __init__(self, codes: list[str]):
        super().__init__(f"No organisation has the code {', '.join(repr(c) for c in codes)}.")
        self.codes = codes


class NotMembers(PeerGroupError):
    def __init__(self, group: str, codes: list[str]):
        super().__init__(f"Not in the peer group '{group}': {', '.join(codes)}.")
        self.codes = codes


def _checked_name(name: str | None, keep: NamedPeerGroup | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise PeerGroupError("The peer group needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise PeerGroupError(f"The peer group's name must be {MAX_NAME_LENGTH} characters or fewer.")
    if unstorable_character(name):
        raise PeerGroupError("The peer group's name has a character that cannot be stored (a control character).")
    taken = db.session.scalar(sa.select(NamedPeerGroup).where(sa.func.lower(NamedPeerGroup.name) == name.lower()))
    if taken is not None and taken is not keep:
        raise NameTaken(taken.name)
    return name


def split_codes(text: str) -> list[str]:
    """Codes typed in a box, separated by spaces, commas or new lines."""
    return [c for c in re.split(r"[\s,;]+", text or "") if c]


def organisations_by_code(codes) -> list[Organisation]:
    """The organisations the codes name, in order, each once; every unknown code is named
    in one error (and nothing changes)."""
    found, unknown = [], []
    for code in codes:
        code = (code or "").strip()
        if not code:
            continue
        org = Organisation.by_code(code) if not unstorable_character(code) else None
        if org is None:
            unknown.append(code)
        elif org not in found:
            found.append(org)
    if unknown:
        raise UnknownCodes(unknown)
    return found


def find_group(name_or_id: str) -> NamedPeerGroup:
    """The named group with this name (regardless of case) or id."""
    text = " ".join((name_or_id or "").split())
    group = None
    if text and not unstorable_character(text):
        group = db.session.scalar(sa.select(NamedPeerGroup).where(sa.func.lower(NamedPeerGroup.name) == text.lower()))
        if group is None and text.isdigit() and len(text) < 10:
            group = db.session.get(NamedPeerGroup, int(text))
    if group is None:
        raise PeerGroupError(f"No peer group is called '{text}' (see `flask peers list`).")
    return group


def all_groups() -> list[NamedPeerGroup]:
    return list(db.session.scalars(sa.select(NamedPeerGroup).order_by(sa.func.lower(NamedPeerGroup.name))))


def create_group(name: str, codes=()) -> NamedPeerGroup:
    """A new named group, with the organisations the codes name."""
    members = organisations_by_code(codes)
    group = NamedPeerGroup(name=_checked_name(name))
    db.session.add(group)
    group.members.extend(PeerGroupMember(organisation_id=org.id) for org in members)
    db.session.flush()
    return group


def rename_group(group: NamedPeerGroup, name: str) -> NamedPeerGroup:
    group.name = _checked_name(name, keep=group)
    db.session.flush()
    return group


def delete_group(group: NamedPeerGroup) -> None:
    db.session.delete(group)
    db.session.flush()


def add_members(group: NamedPeerGroup, codes) -> list[Organisation]:
    """Adds the organisations the codes name; returns those that were not members yet."""
    orgs = organisations_by_code(codes)
    if not orgs:
        raise PeerGroupError("Give the code of at least one organisation to add.")
    have = group.organisation_ids
    added = [org for org in orgs if org.id not in have]
    group.members.extend(PeerGroupMember(organisation_id=org.id) for org in added)
    db.session.flush()
    return added


def remove_members(group: NamedPeerGroup, codes) -> list[Organisation]:
    """Removes the organisations the codes name; a code of an organisation not in the
    group is an error (and nothing changes)."""
    orgs = organisations_by_code(codes)
    if not orgs:
        raise PeerGroupError("Give the code of at least one organisation to remove.")
    have = group.organisation_ids
    outside = [org for org in orgs if org.id not in have]
    if outside:
        raise NotMembers(group.name, [org.code_for(_any_year(org)) for org in outside])
    ids = {org.id for org in orgs}
    for member in [m for m in group.members if m.organisation_id in ids]:
        group.members.remove(member)
    db.session.flush()
    return orgs


def _any_year(org: Organisation) -> int:
    """The organisation's latest data year with a campaign (or the one it was added in),
    to name it by a code it has had."""
    from ..models import Campaign

    year = db.session.scalar(sa.select(sa.func.max(Campaign.year)).where(Campaign.organisation_id == org.id))
    return year if year is not None else data_year(org.created_at.date())


def member_codes(group: NamedPeerGroup, year: int | None = None) -> list[str]:
    """The members' codes (for `year`, or each one's latest data year), sorted."""
    return sorted(m.organisation.code_for(year if year is not None else _any_year(m.organisation))
                  for m in group.members)


def peer_group(spec: str | None) -> PeerGroup | None:
    """The peer group a key names (scoring.peers.parse), a named group with its members;
    None for none given. PeerGroupError says what is wrong."""
    if spec is None or not str(spec).strip():
        return None
    group = parse(spec)
    if group.kind != "group":
        return group
    named = find_group(group.value)
    return PeerGroup("group", str(named.id), named.name, named.organisation_ids)
