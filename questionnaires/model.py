"""The in-memory shape of a validated questionnaire.

Nothing here knows about Flask or the database: the loader builds these objects from a
YAML file, and a campaign rebuilds them from its frozen content.
"""
from __future__ import annotations

import json
import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping

BUILTIN_DIMENSIONS = ("device", "location", "role", "working_mode")
QUESTION_TYPES = ("scale", "grid", "single_choice", "multiple_choice", "yes_no", "text")
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
LANGUAGES = ("en", "cy")
#: how a questionnaire counts its data years (DESIGN.md definition 8; scoring/years.py
#: works them out): the financial year April to March, the default, or the calendar year
DATA_YEARS = ("financial", "calendar")
#: who answers: each member of staff for themselves (the default), or the organisation
#: once, about its policies (the Digital Maturity Assessment, DESIGN.md definition 9)
KINDS = ("staff", "organisation")
#: an organisation return's layers of maturity are these levels, each declared once
LAYER_LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Text:
    """A piece of respondent-facing text in both languages."""

    en: str
    cy: str

    def get(self, language: str) -> str:
        return self.cy if language == "cy" else self.en

    def as_dict(self) -> dict:
        return {"en": self.en, "cy": self.cy}


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: Mapping[int, Text]
    dont_know: Text | None = None
    not_applicable: Text | None = None

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)

    @property
    def missing_values(self) -> tuple[str, ...]:
        """The non-numeric answers this scale offers, in display order."""
        out = []
        if self.dont_know:
            out.append(DONT_KNOW)
        if self.not_applicable:
            out.append(NOT_APPLICABLE)
        return tuple(out)

    def missing_label(self, value: str) -> Text | None:
        return {DONT_KNOW: self.dont_know, NOT_APPLICABLE: self.not_applicable}.get(value)


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class ShowIf:
    """Show a question only when an earlier answer is one of `values`."""

    question: str
    values: tuple[str, ...]

    def matches(self, answer: Any) -> bool:
        if answer is None:
            return False
        if isinstance(answer, (list, tuple)):
            return any(str(a) in self.values for a in answer)
        return str(answer) in self.values


@dataclass(frozen=True)
class Item:
    """One answerable thing: a question, or one row of a grid.

    Answers are stored per item; scoring works per item.
    """

    id: str
    type: str  # the question type; a grid row has the type "scale"
    text: Text
    question_id: str
    page_id: str
    required: bool = True
    show_if: ShowIf | None = None
    scale: Scale | None = None
    options: tuple[Option, ...] = ()
    max_length: int | None = None
    max_choices: int | None = None
    dimension: str | None = None
    factor: str | None = None
    measure: str | None = None
    area: str | None = None
    reverse: bool = False
    #: an organisation return's statement: the function it belongs to and its layer (1-5)
    function: str | None = None
    layer: int | None = None

    @property
    def scored(self) -> bool:
        return self.factor is not None

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: Text
    page_id: str
    hint: Text | None = None
    required: bool = True
    show_if: ShowIf | None = None
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Page:
    id: str
    title: Text
    intro: Text | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Labelled:
    id: str
    label: Text


@dataclass(frozen=True)
class Function:
    """One of an organisation return's functions (Vision and Leadership, ...): a page of
    statements, with guidance on what it covers and what evidence to note."""

    id: str
    label: Text
    guidance: Text
    #: where its definition comes from (provenance, for the Improve team; not shown)
    source: str


@dataclass(frozen=True)
class Layer:
    """One of an organisation return's layers of maturity, 1 (lowest) to 5."""

    level: int
    label: Text
    description: Text
    #: where its definition comes from (provenance, for the Improve team; not shown)
    source: str


@dataclass
class Questionnaire:
    id: str
    version: str
    title: Text
    description: Text
    minutes: int
    dimensions: tuple[Labelled, ...]
    areas: tuple[Labelled, ...]
    pages: tuple[Page, ...]
    #: the normalised content, as frozen into a campaign
    content: dict = field(repr=False)
    #: one of DATA_YEARS: which data year a campaign of it belongs to
    data_year: str = "financial"
    #: the factors' short names for results ("Downtime"), where the file gives them
    factors: tuple[Labelled, ...] = ()
    #: one of KINDS
    kind: str = "staff"
    #: an organisation return's functions and layers, in file order (empty for staff)
    functions: tuple[Function, ...] = ()
    layers: tuple[Layer, ...] = ()

    @property
    def is_organisation_return(self) -> bool:
        """Answered once by the organisation (its lead and contributors), not by each member of staff."""
        return self.kind == "organisation"

    @property
    def statements(self) -> list[Item]:
        """An organisation return's statements, function by function, each in file order."""
        return [i for i in self.items if i.function is not None]

    def statements_of(self, function_id: str) -> list[Item]:
        return [i for i in self.statements if i.function == function_id]

    def function(self, function_id: str) -> Function | None:
        return next((f for f in self.functions if f.id == function_id), None)

    def layer(self, level: int) -> Layer | None:
        return next((layer for layer in self.layers if layer.level == level), None)

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)

    @property
    def questions(self) -> list[Question]:
        return [q for p in self.pages for q in p.questions]

    @property
    def items(self) -> list[Item]:
        return [i for q in self.questions for i in q.items]

    def item(self, item_id: str) -> Item | None:
        return self._item_index().get(item_id)

    def factor_label(self, factor: str) -> Text | None:
        """The factor's short name for results: its declared label, else the text of the
        first item that asks it (a questionnaire that declares no labels), else None."""
        declared = next((f.label for f in self.factors if f.id == factor), None)
        if declared is not None:
            return declared
        return next((i.text for i in self.items if i.factor == factor), None)

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)

    def _item_index(self) -> dict[str, Item]:
        index = self.__dict__.get("_items_by_id")
        if index is None:
            index = {i.id: i for i in self.items}
            self.__dict__["_items_by_id"] = index
        return index

    @property
    def all_dimensions(self) -> tuple[str, ...]:
        return BUILTIN_DIMENSIONS + tuple(d.id for d in self.dimensions)

    def visible(self, item: Item, answers: Mapping[str, Any]) -> bool:
        """Whether an item is shown, given the answers so far (show_if chains)."""
        seen: set[str] = set()
        current: Item | None = item
        while current is not None and current.show_if is not None:
            if current.id in seen:  # the loader forbids cycles; stay safe anyway
                return False
            seen.add(current.id)
            rule = current.show_if
            if not rule.matches(answers.get(rule.question)):
                return False
            current = self.item(rule.question)
        return True


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON of a questionnaire's content."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
