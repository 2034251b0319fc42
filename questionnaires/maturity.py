"""Validate an organisation return (`kind: organisation`): the Digital Maturity Assessment.

An organisation return has no pages of its own. It declares its functions (each becomes a
page), its five layers of maturity and a flat list of Yes/No statements, each tagged with
its function and layer; DESIGN.md definition 9 works a function's level out from them.
Every rule here protects that definition: a level can only be reached when every layer
below it can be completed, so every function needs statements in every layer.

The loader's parser is passed in for its readers (`error`, `text`, `ident`,
`unknown_keys`, `listing`); problems go to it with their lines, and nothing is built when
there is any.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from .model import LAYER_LEVELS, Function, Item, Layer, Page, Question, Text
from .positions import line_of

#: the keys only an organisation return has
ORGANISATION_KEYS = frozenset({"functions", "layers", "statements"})
#: the keys of a staff survey an organisation return must not have: its pages are made
#: from its functions, and nobody's answers are broken down or rated on a scale
STAFF_KEYS = ("pages", "scales", "dimensions", "areas", "factors")
FUNCTION_KEYS = {"id", "label", "guidance", "source"}
LAYER_KEYS = {"level", "label", "description", "source"}
STATEMENT_KEYS = {"id", "function", "layer", "text", "hint"}
FUNCTION_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: a statement id is its function's prefix, its layer and a number: VL1.1, DA5.2
STATEMENT_ID_RE = re.compile(r"^([A-Z]{1,4})([0-9]+)\.([1-9][0-9]*)$")
#: a function's or layer's label names a chart's bar or a grid's column
MAX_LABEL = 80
LEVELS_TEXT = f"{LAYER_LEVELS[0]} to {LAYER_LEVELS[-1]}"


class Parser(Protocol):
    problems: list[tuple[int, str]]

    def error(self, line: int, message: str) -> None: ...
    def text(self, mapping: Any, key: str, where: str, required: bool = True) -> Text | None: ...
    def ident(self, mapping: Any, where: str, pattern: re.Pattern = ...) -> str | None: ...
    def unknown_keys(self, mapping: Any, allowed: set[str], where: str) -> None: ...
    def listing(self, mapping: dict, key: str, where: str, required: bool = True) -> list: ...


@dataclass(frozen=True)
class OrganisationReturn:
    functions: tuple[Function, ...]
    layers: tuple[Layer, ...]
    #: one page per function, in the functions' order
    pages: tuple[Page, ...]


@dataclass
class _Statement:
    item: Item
    hint: Text | None


def read_organisation_return(parser: Parser, data: dict) -> OrganisationReturn | None:
    """The functions, layers and pages of an organisation return, or None after reporting
    every problem to `parser`."""
    for key in STAFF_KEYS:
        if key in data:
            parser.error(line_of(data, key), f"an organisation return (kind: organisation) has no '{key}': "
                                             "its pages are its functions and its questions are its statements")
    reader = _Reader(parser)
    functions = reader.functions(data)
    layers = reader.layers(data)
    statements = reader.statements(data)
    reader.coverage()
    if reader.failed:
        return None
    pages = []
    for function in functions.values():
        questions = tuple(
            Question(id=s.item.id, type="yes_no", text=s.item.text, page_id=function.id, hint=s.hint,
                     required=False, items=(s.item,))
            for s in statements if s.item.function == function.id)
        pages.append(Page(function.id, function.label, function.guidance, questions))
    return OrganisationReturn(tuple(functions.values()), tuple(layers.values()), tuple(pages))


class _Reader:
    def __init__(self, parser: Parser):
        self.parser = parser
        self.error = parser.error
        self.text = parser.text
        self.known_problems = len(parser.problems)
        #: where each function and layer is declared, for the coverage errors
        self.function_lines: dict[str, int] = {}
        self.layer_lines: dict[int, int] = {}
        #: (function, layer) of every statement whose function and layer could be read
        self.present: set[tuple[str, int]] = set()

    @property
    def failed(self) -> bool:
        return len(self.parser.problems) > self.known_problems

    def label(self, raw: dict, where: str) -> Text | None:
        label = self.text(raw, "label", where)
        for language, text in (("en", label.en), ("cy", label.cy)) if label else ():
            if len(text) > MAX_LABEL:
                self.error(line_of(raw["label"], language, line_of(raw, "label")),
                           f"the label of {where} ({language}) is {len(text)} characters long: "
                           f"a label is a short name, at most {MAX_LABEL} characters")
        return label

    def source(self, raw: dict, where: str) -> str | None:
        value = raw.get("source")
        if not isinstance(value, str) or not value.strip():
            self.error(line_of(raw, "source", line_of(raw)),
                       f"{where} has no 'source': say where its definition comes from")
            return None
        return " ".join(value.split())

    def entries(self, data: dict, key: str, noun: str, keys: str) -> list[dict]:
        listed = self.parser.listing(data, key, "the questionnaire")
        out = []
        for raw in listed:
            if isinstance(raw, dict):
                out.append(raw)
            else:
                self.error(line_of(listed), f"each entry of '{key}' must be a {noun} with {keys}")
        return out

    # functions and layers ---------------------------------------------------------------
    def functions(self, data: dict) -> dict[str, Function]:
        out: dict[str, Function] = {}
        for raw in self.entries(data, "functions", "function", "id, label, guidance and source"):
            fid = raw.get("id")
            if not isinstance(fid, str) or not FUNCTION_ID_RE.match(fid):
                self.error(line_of(raw, "id", line_of(raw)),
                           f"a function needs an id of lower-case letters, digits and '_' (vision_leadership), "
                           f"not {fid!r}")
                fid = None
            where = f"function '{fid}'"
            self.parser.unknown_keys(raw, FUNCTION_KEYS, where)
            label = self.label(raw, where)
            guidance = self.text(raw, "guidance", where)
            source = self.source(raw, where)
            if fid is None:
                continue
            if fid in self.function_lines:
                self.error(line_of(raw, "id"), f"function '{fid}' is declared twice "
                                               f"(first on line {self.function_lines[fid]})")
                continue
            self.function_lines[fid] = line_of(raw, "id")
            if label and guidance and source:
                out[fid] = Function(fid, label, guidance, source)
        return out

    def layers(self, data: dict) -> dict[int, Layer]:
        out: dict[int, Layer] = {}
        for raw in self.entries(data, "layers", "layer", "level, label, description and source"):
            level = raw.get("level")
            if isinstance(level, bool) or not isinstance(level, int) or level not in LAYER_LEVELS:
                self.error(line_of(raw, "level", line_of(raw)),
                           f"the level of a layer must be a whole number from {LEVELS_TEXT}, not {level!r}")
                level = None
            where = f"layer {level}"
            self.parser.unknown_keys(raw, LAYER_KEYS, where)
            label = self.label(raw, where)
            description = self.text(raw, "description", where)
            source = self.source(raw, where)
            if level is None:
                continue
            if level in self.layer_lines:
                self.error(line_of(raw, "level"), f"layer {level} is declared twice "
                                                  f"(first on line {self.layer_lines[level]})")
                continue
            if self.layer_lines and level < max(self.layer_lines):
                self.error(line_of(raw, "level"), f"layer {level} comes after layer {max(self.layer_lines)}: "
                                                  "declare the layers in order, 1 first")
            self.layer_lines[level] = line_of(raw, "level")
            if label and description and source:
                out[level] = Layer(level, label, description, source)
        if self.layer_lines:
            for level in LAYER_LEVELS:
                if level not in self.layer_lines:
                    self.error(line_of(data, "layers"), f"layer {level} is missing: an organisation return has the "
                                                        f"layers {LEVELS_TEXT}, each declared once")
        return dict(sorted(out.items()))

    # statements -------------------------------------------------------------------------
    def statements(self, data: dict) -> list[_Statement]:
        out: list[_Statement] = []
        ids: dict[str, int] = {}
        prefixes: dict[str, str] = {}  # function -> its statements' prefix
        order = list(self.function_lines)
        last: tuple[int, int] | None = None  # (function index, layer) of the statement before
        for raw in self.entries(data, "statements", "statement", "id, function, layer and text"):
            sid = raw.get("id")
            line = line_of(raw, "id", line_of(raw))
            where = f"statement '{sid}'"
            self.parser.unknown_keys(raw, STATEMENT_KEYS, where)
            text = self.text(raw, "text", where)
            hint = self.text(raw, "hint", where, required=False)
            match = STATEMENT_ID_RE.match(sid) if isinstance(sid, str) else None
            if match is None:
                self.error(line, f"a statement needs an id made of its function's prefix in capitals, its layer and "
                                 f"a number (VL1.1, DA5.2), not {sid!r}")
            elif sid in ids:
                self.error(line, f"statement id '{sid}' is used twice (first on line {ids[sid]})")
                match = None
            else:
                ids[sid] = line
            function = self.statement_function(raw, where)
            layer = self.statement_layer(raw, where)
            if function is not None and layer is not None:
                self.present.add((function, layer))
            if match is None or function is None or layer is None or text is None:
                continue
            prefix, id_layer = match.group(1), int(match.group(2))
            if id_layer != layer:
                self.error(line, f"{where} is in layer {layer} but its id says layer {id_layer}: "
                                 f"number it {prefix}{layer}.N")
            known = prefixes.setdefault(function, prefix)
            if known != prefix:
                self.error(line, f"{where} belongs to '{function}', whose statements start with '{known}'")
            elif (other := next((f for f, p in prefixes.items() if p == prefix and f != function), None)):
                self.error(line, f"{where} belongs to '{function}', but the prefix '{prefix}' is that of '{other}'")
            place = (order.index(function), layer)
            if last is not None and place < last:  # against the one before only: one misplaced statement, one error
                self.error(line, f"{where} is out of order: list the statements function by function, in the order "
                                 "of 'functions', and layer by layer within each function")
            last = place
            item = Item(id=sid, type="yes_no", text=text, question_id=sid, page_id=function, required=False,
                        function=function, layer=layer)
            out.append(_Statement(item, hint))
        return out

    def statement_function(self, raw: dict, where: str) -> str | None:
        function = raw.get("function")
        if function is None:
            self.error(line_of(raw, "id", line_of(raw)), f"{where} has no 'function'")
            return None
        if function not in self.function_lines:
            self.error(line_of(raw, "function"), f"{where} names an unknown function '{function}' "
                                                 f"(declare it under 'functions')")
            return None
        return function

    def statement_layer(self, raw: dict, where: str) -> int | None:
        layer = raw.get("layer")
        if layer is None:
            self.error(line_of(raw, "id", line_of(raw)), f"{where} has no 'layer'")
            return None
        if isinstance(layer, bool) or not isinstance(layer, int) or layer not in LAYER_LEVELS:
            self.error(line_of(raw, "layer"), f"the layer of {where} must be a whole number from {LEVELS_TEXT}, "
                                              f"not {layer!r}")
            return None
        return layer

    # every function in every layer ------------------------------------------------------
    def coverage(self) -> None:
        """A level needs every layer below it: a layer no function can complete, or a
        function with nothing to complete in some layer, would make the levels wrong."""
        present = self.present
        empty = []
        for level, line in self.layer_lines.items():
            if not any(layer == level for _, layer in present):
                empty.append(level)
                self.error(line, f"layer {level} has no statements")
        for fid, line in self.function_lines.items():
            missing = [level for level in LAYER_LEVELS if (fid, level) not in present and level not in empty]
            if not any(function == fid for function, _ in present):
                self.error(line, f"function '{fid}' has no statements")
            elif missing:
                listed = ", ".join(str(level) for level in missing)
                self.error(line, f"function '{fid}' has no statements in layer {listed}: every function needs "
                                 "at least one statement in every layer")
