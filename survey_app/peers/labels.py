"""Peer groups as people read them, in the current locale."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scoring.peers import ALL, NATIONS, TYPE_LETTERS, PeerGroup

TYPE_NAMES = {
    "E": _l("English unitary authorities"), "S": _l("Scottish unitary authorities"),
    "W": _l("Welsh unitary authorities"), "C": _l("English county councils"),
    "D": _l("English district councils"), "L": _l("London boroughs"),
    "M": _l("Metropolitan boroughs"), "O": _l("Other organisations"),
}
NATION_NAMES = {"england": _l("Organisations in England"), "scotland": _l("Organisations in Scotland"),
                "wales": _l("Organisations in Wales")}


def peer_group_label(group: PeerGroup | None) -> str:
    """e.g. "All organisations", "London boroughs (type L)", "Organisations in Wales"."""
    if group is None or group.kind == "all":
        return _("All organisations")
    if group.kind == "type":
        if len(group.value) == 1:
            return _("%(types)s (type %(letter)s)", types=TYPE_NAMES[group.value], letter=group.value)
        return _("Organisations of types %(letters)s", letters=", ".join(group.value))
    if group.kind == "nation":
        return str(NATION_NAMES[group.value])
    if group.kind == "partnership":
        return _("Partnerships") if group.value == "yes" else _("Organisations that are not partnerships")
    return group.name or group.value


def every_peer_group(named: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """(key, label) of every peer group the Improve team may export over: all, each
    type, each nation, partnerships or not, then the named groups."""
    groups = [ALL, *(PeerGroup("type", t) for t in TYPE_LETTERS), *(PeerGroup("nation", n) for n in NATIONS),
              PeerGroup("partnership", "yes"), PeerGroup("partnership", "no")]
    return [(g.key, peer_group_label(g)) for g in groups] + [(f"group:{i}", name) for i, name in named]
