"""Definition 7: peer groups, the organisations a benchmark is computed over.

A peer group is all organisations, those of some type letters, those of a nation (read
from the type letter: E, C, D, L and M are English, S Scottish, W Welsh; O belongs to
none), partnerships or not, or a named group the Improve team keeps (its members given
as organisation ids). Everything here works from the organisation codes (`TYYxx`, with
`(P)` for a partnership) and ids, so it needs nothing but the values being benchmarked.

A group of fewer organisations than the minimum (5 by default, never below 3) has no
benchmark: its median and quartiles are withheld, as they would come too close to
telling one organisation another's figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

TYPE_LETTERS = "ESWCDLMO"
#: nation -> its type letters; "O" (other) belongs to no nation
NATIONS = {"england": "ECDLM", "scotland": "S", "wales": "W"}
KINDS = ("all", "type", "nation", "partnership", "group")
DEFAULT_MINIMUM = 5
LOWEST_MINIMUM = 3
_CODE = re.compile(r"^([A-Z])\d{4}(\(P\))?$")


class PeerGroupError(ValueError):
    """A peer group that cannot be read; the message says what is accepted."""


@dataclass(frozen=True)
class PeerGroup:
    """Which organisations a benchmark is computed over.

    `kind` is one of KINDS; `value` the type letters (sorted, e.g. "LM"), the nation, "yes"
    or "no" for partnerships, or a named group's id; a named group has its `name` and
    the ids of its `members`."""

    kind: str = "all"
    value: str = ""
    name: str = ""
    members: frozenset[int] = field(default=frozenset())

    @property
    def key(self) -> str:
        """How the group is written in a URL or on the command line: all, type:LM,
        nation:wales, partnership:yes, group:12."""
        return self.kind if self.kind == "all" else f"{self.kind}:{self.value}"


ALL = PeerGroup()


def parse(spec: str) -> PeerGroup:
    """The group a key names (see PeerGroup.key). A named group comes back with its id
    (or name, as given) in `value` and no members: the caller looks it up."""
    text = (spec or "").strip()
    kind, _sep, value = text.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if kind == "all" and not value:
        return ALL
    if kind == "type":
        letters = value.upper().replace(",", "").replace(" ", "")
        if letters and all(c in TYPE_LETTERS for c in letters):
            return PeerGroup("type", "".join(sorted(set(letters), key=TYPE_LETTERS.index)))
    elif kind == "nation" and value.lower() in NATIONS:
        return PeerGroup("nation", value.lower())
    elif kind == "partnership" and value.lower() in ("yes", "no"):
        return PeerGroup("partnership", value.lower())
    elif kind == "group" and value:
        return PeerGroup("group", value)
    raise PeerGroupError(
        f"Unknown peer group {text!r}: use all, type:LETTERS (e.g. type:L or type:LM; letters "
        f"{', '.join(TYPE_LETTERS)}), nation:england, nation:scotland, nation:wales, partnership:yes, "
        f"partnership:no, or group:NAME for a named group.")


def nation_of(type_letter: str) -> str | None:
    """The nation of a type letter, or None (type O, other)."""
    return next((nation for nation, letters in NATIONS.items() if type_letter in letters), None)


def code_parts(code: str) -> tuple[str, bool]:
    """(type letter, partnership) of an organisation code such as L2604 or S2017(P)."""
    m = _CODE.match(str(code))
    if m is None:
        raise PeerGroupError(f"Not an organisation code: {code!r}")
    return m.group(1), bool(m.group(2))


def selects(group: PeerGroup | None, codes: pd.Series, ids: pd.Series | None = None) -> pd.Series:
    """Whether each organisation (its code, and its id for a named group) is in the group."""
    codes = pd.Series(codes)
    if group is None or group.kind == "all":
        return pd.Series(True, index=codes.index)
    if group.kind == "group":
        if ids is None:
            raise ValueError("a named peer group needs the organisations' ids")
        return pd.Series(ids, index=codes.index).isin(group.members)
    parts = [code_parts(c) for c in codes]
    letters = pd.Series([p[0] for p in parts], index=codes.index, dtype=object)
    if group.kind == "type":
        return letters.isin(list(group.value))
    if group.kind == "nation":
        return letters.isin(list(NATIONS[group.value]))
    if group.kind == "partnership":
        return pd.Series([p[1] == (group.value == "yes") for p in parts], index=codes.index, dtype=bool)
    raise PeerGroupError(f"Unknown kind of peer group {group.kind!r}")


def groups_for(code: str) -> list[PeerGroup]:
    """The groups an organisation can compare itself against, relative to it: all, its
    type, its nation (none for type O), and partnerships or not as it is one or not."""
    letter, partnership = code_parts(code)
    out = [ALL, PeerGroup("type", letter)]
    nation = nation_of(letter)
    if nation:
        out.append(PeerGroup("nation", nation))
    out.append(PeerGroup("partnership", "yes" if partnership else "no"))
    return out


def check_minimum(value) -> int:
    """The minimum group size for a benchmark, refused below LOWEST_MINIMUM."""
    if not isinstance(value, int) or isinstance(value, bool) or value < LOWEST_MINIMUM:
        raise ValueError(f"must be a whole number, {LOWEST_MINIMUM} or more (it is {value!r})")
    return value


def withhold_small(benchmarks: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """The benchmarks with q1, median and q3 withheld (missing) wherever fewer than
    `minimum` organisations gave a value; the organisation count stays."""
    out = benchmarks.copy()
    small = out["organisations"].astype(float) < minimum
    for column in ("q1", "median", "q3"):
        out[column] = out[column].astype(float).mask(small)
    return out
