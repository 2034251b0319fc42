"""Peer groups as people read them, in the current locale."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scoring.peers import PeerGroup

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
