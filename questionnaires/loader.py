"""Load and validate questionnaire YAML files.

Every problem is reported as ``FILE:LINE: message`` and a file with any problem loads
nothing. The format is documented in ``questionnaires/README.md``.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import maturity
from .characters import describe
from .model import (
    BUILTIN_DIMENSIONS,
    DATA_YEARS,
    KINDS,
    QUESTION_TYPES,
    Item,
    Labelled,
    Option,
    Page,
    Question,
    Questionnaire,
    Scale,
    ShowIf,
    Text,
)
from .positions import LDict, build, line_of

QUESTIONNAIRE_DIR = Path(__file__).resolve().parent
ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
QUESTIONNAIRE_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
OPTION_RE = re.compile(r"^[a-z0-9_]+$")
MAX_TEXT_LENGTH = 10000
#: a factor's label is a short name drawn beside a chart's bar, not a sentence
MAX_FACTOR_LABEL = 80

TOP_KEYS = {"id", "version", "title", "description", "minutes", "data_year", "kind", "dimensions", "areas",
            "factors", "scales", "pages"} | maturity.ORGANISATION_KEYS
PAGE_KEYS = {"id", "title", "intro", "questions"}
COMMON_KEYS = {"id", "type", "text", "hint", "required", "show_if", "factor", "measure", "area", "reverse"}
TYPE_KEYS = {
    "scale": COMMON_KEYS | {"scale"},
    "grid": COMMON_KEYS | {"scale", "rows"},
    "single_choice": COMMON_KEYS | {"options", "dimension"},
    "multiple_choice": COMMON_KEYS | {"options", "max_choices"},
    "yes_no": COMMON_KEYS,
    "text": COMMON_KEYS | {"max_length"},
}
ROW_KEYS = {"id", "text", "factor", "measure", "area", "reverse", "show_if"}
SCALE_KEYS = {"min", "max", "labels", "dont_know", "not_applicable"}


class QuestionnaireError(Exception):
    """Raised with every problem found in one or more files."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# -- validation -------------------------------------------------------------------------

@dataclass
class _Seen:
    item: Item
    order: int


class _Parser:
    def __init__(self, data: Any):
        self.data = data
        self.problems: list[tuple[int, str]] = []
        self.items: dict[str, _Seen] = {}
        self.scored: dict[tuple[str, str], str] = {}
        #: the line where each factor is first asked
        self.factor_lines: dict[str, int] = {}

    def error(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    # small readers ----------------------------------------------------------------------
    def unknown_keys(self, mapping: LDict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(line_of(mapping, key), f"unknown key '{key}' in {where}")

    def text(self, mapping: Any, key: str, where: str, required: bool = True) -> Text | None:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        line = line_of(mapping, key, line_of(mapping))
        if value is None:
            if required:
                self.error(line, f"{where} has no '{key}' (English and Welsh text)")
            return None
        if not isinstance(value, dict):
            self.error(line, f"'{key}' of {where} must give text as {{en: ..., cy: ...}}")
            return None
        ok = True
        for lang, name in (("en", "English"), ("cy", "Welsh")):
            t = value.get(lang)
            if not isinstance(t, str) or not t.strip():
                self.error(line_of(value, lang, line), f"missing {name} text ({lang}) in '{key}' of {where}")
                ok = False
        for extra in value:
            if extra not in ("en", "cy"):
                self.error(line_of(value, extra, line), f"unknown language '{extra}' in '{key}' of {where}")
        return Text(value["en"].strip(), value["cy"].strip()) if ok else None

    def ident(self, mapping: Any, where: str, pattern: re.Pattern = ID_RE) -> str | None:
        value = mapping.get("id") if isinstance(mapping, dict) else None
        if value is None:
            self.error(line_of(mapping), f"{where} has no 'id'")
            return None
        if not isinstance(value, str) or not pattern.match(value):
            self.error(line_of(mapping, "id"), f"id '{value}' of {where} may use only letters, digits, '_' and '-'")
            return None
        return value

    def integer(self, mapping: dict, key: str, where: str, default: int | None = None,
                lo: int | None = None, hi: int | None = None) -> int | None:
        value = mapping.get(key, default)
        if value is None:
            self.error(line_of(mapping), f"{where} has no '{key}'")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(line_of(mapping, key), f"'{key}' of {where} must be a whole number")
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.error(line_of(mapping, key), f"'{key}' of {where} must be between {lo} and {hi}")
            return None
        return value

    def flag(self, mapping: dict, key: str, where: str, default: bool) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.error(line_of(mapping, key), f"'{key}' of {where} must be true or false")
            return default
        return value

    def word(self, mapping: dict, key: str, where: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not ID_RE.match(value):
            self.error(line_of(mapping, key), f"'{key}' of {where} must be a single word (letters, digits, '_', '-')")
            return None
        return value

    def listing(self, mapping: dict, key: str, where: str, required: bool = True) -> list:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(line_of(mapping), f"{where} has no '{key}'")
            return []
        if not isinstance(value, list) or (required and not value):
            self.error(line_of(mapping, key), f"'{key}' of {where} must be a non-empty list")
            return []
        return value

    # the document -----------------------------------------------------------------------
    def questionnaire(self) -> Questionnaire | None:
        data = self.data
        if not isinstance(data, dict):
            self.error(line_of(data, default=1), "a questionnaire must be a mapping with id, version, title and pages")
            return None
        self.unknown_keys(data, TOP_KEYS, "the questionnaire")
        qid = self.ident(data, "the questionnaire", QUESTIONNAIRE_ID_RE)
        if qid is None and isinstance(data.get("id"), str):
            self.problems[-1] = (line_of(data, "id"), f"questionnaire id '{data['id']}' may use only lower-case letters, digits and '-'")
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, (str, int)) or not str(version).strip():
            self.error(line_of(data, "version", line_of(data)), 'the questionnaire needs a version, written as text (version: "2026.1")')
            version = None
        title = self.text(data, "title", "the questionnaire")
        description = self.text(data, "description", "the questionnaire")
        minutes = self.integer(data, "minutes", "the questionnaire", lo=1, hi=240)
        data_year = self.data_year(data)
        kind = self.kind(data)
        if kind == "organisation":
            # its pages, questions and items are made from its functions and statements
            found = maturity.read_organisation_return(self, data)
            if self.problems or found is None:
                return None
            return Questionnaire(
                id=qid, version=str(version), title=title, description=description, minutes=minutes,
                dimensions=(), areas=(), pages=found.pages, content=normalised_content(data, {}),
                data_year=data_year, kind=kind, functions=found.functions, layers=found.layers,
            )
        for key in sorted(maturity.ORGANISATION_KEYS & set(data)):
            self.error(line_of(data, key), f"'{key}' belongs to an organisation return: "
                                           "add 'kind: organisation' or remove it")
        self.dimension_ids = set(BUILTIN_DIMENSIONS)
        dimensions = self.labelled(data, "dimensions", "dimension", self.dimension_ids)
        self.area_ids: set[str] = set()
        areas = self.labelled(data, "areas", "area", self.area_ids)
        self.factor_ids: set[str] = set()
        factors = self.labelled(data, "factors", "factor", self.factor_ids)
        self.scales = self.named_scales(data)
        self.all_ids = _all_item_ids(data)
        pages = []
        page_ids: set[str] = set()
        for raw in self.listing(data, "pages", "the questionnaire"):
            page = self.page(raw, page_ids)
            if page:
                pages.append(page)
        self.check_factor_labels(data, factors)
        if self.problems:
            return None
        content = normalised_content(data, self.scales)
        return Questionnaire(
            id=qid, version=str(version), title=title, description=description, minutes=minutes,
            dimensions=tuple(dimensions), areas=tuple(areas), pages=tuple(pages), content=content,
            data_year=data_year, factors=tuple(factors),
        )

    def kind(self, data: dict) -> str:
        """Who answers: staff (the default) or the organisation."""
        value = data.get("kind", KINDS[0])
        if not isinstance(value, str) or value not in KINDS:
            self.error(line_of(data, "kind"), "'kind' of the questionnaire must be staff (the default: each member "
                                              f"of staff answers) or organisation (one return per organisation), "
                                              f"not {value!r}")
            return KINDS[0]
        return value

    def check_factor_labels(self, data: dict, factors: list[Labelled]) -> None:
        """Factor labels are optional, but a file that gives them gives one to every factor
        it asks, only to those, and short enough to sit beside a chart's bar."""
        raw = {r.get("id"): r for r in data.get("factors") or [] if isinstance(r, dict)}
        for factor in factors:
            for language, text in (("en", factor.label.en), ("cy", factor.label.cy)):
                if len(text) > MAX_FACTOR_LABEL:
                    label = raw[factor.id]["label"]
                    self.error(line_of(label, language, line_of(label)),
                               f"the label of factor '{factor.id}' ({language}) is {len(text)} characters long: "
                               f"a factor's label is its short name, at most {MAX_FACTOR_LABEL} characters")
        if "factors" not in data:
            return
        asked = set(self.factor_lines)
        for factor in sorted(self.factor_ids - asked):
            self.error(line_of(raw.get(factor), "id"), f"factor '{factor}' has a label but no question asks it")
        for factor in sorted(asked - self.factor_ids):
            self.error(self.factor_lines[factor], f"factor '{factor}' has no label: give it one under 'factors' "
                                                  "(every factor needs one once the file gives any)")

    def data_year(self, data: dict) -> str:
        """How the questionnaire counts its data years; financial unless it says otherwise."""
        value = data.get("data_year", DATA_YEARS[0])
        if not isinstance(value, str) or value not in DATA_YEARS:
            self.error(line_of(data, "data_year"), f"'data_year' of the questionnaire must be financial (April to "
                                                   f"March, the default) or calendar, not {value!r}")
            return DATA_YEARS[0]
        return value

    def labelled(self, data: dict, key: str, noun: str, ids: set[str]) -> list[Labelled]:
        out = []
        for raw in self.listing(data, key, "the questionnaire", required=False):
            ident = self.ident(raw, f"a {noun}")
            if not isinstance(raw, dict):
                continue
            self.unknown_keys(raw, {"id", "label"}, f"{noun} '{ident}'")
            label = self.text(raw, "label", f"{noun} '{ident}'")
            if ident is None:
                continue
            if ident in ids:
                self.error(line_of(raw, "id"), f"duplicate {noun} id '{ident}'")
                continue
            ids.add(ident)
            if label:
                out.append(Labelled(ident, label))
        return out

    def named_scales(self, data: dict) -> dict[str, Scale]:
        raw = data.get("scales", {})
        if not isinstance(raw, dict):
            self.error(line_of(data, "scales"), "'scales' must map names to scales")
            return {}
        out = {}
        for name, spec in raw.items():
            scale = self.scale(spec, f"scale '{name}'", line_of(raw, name))
            if scale:
                out[name] = scale
        return out

    def scale(self, spec: Any, where: str, line: int) -> Scale | None:
        if not isinstance(spec, dict):
            self.error(line, f"{where} must be a mapping with min, max and labels")
            return None
        self.unknown_keys(spec, SCALE_KEYS, where)
        lo = self.integer(spec, "min", where)
        hi = self.integer(spec, "max", where)
        if lo is None or hi is None:
            return None
        if hi - lo < 1:
            self.error(line_of(spec, "max"), f"{where} has fewer than two points (min {lo}, max {hi})")
            return None
        labels_raw = spec.get("labels")
        labels: dict[int, Text] = {}
        if not isinstance(labels_raw, dict) or not labels_raw:
            self.error(line_of(spec, "labels", line_of(spec)), f"{where} needs labels for its end points or every point")
        else:
            for key in labels_raw:
                pline = line_of(labels_raw, key)
                point = int(key) if isinstance(key, str) and re.fullmatch(r"-?[0-9]+", key) else key
                if isinstance(point, bool) or not isinstance(point, int) or not lo <= point <= hi:
                    self.error(pline, f"label '{point}' of {where} is not a point of the scale {lo}-{hi}")
                    continue
                t = self.text(labels_raw, key, where)
                if t:
                    labels[point] = t
            if labels_raw and labels and not (lo in labels and hi in labels):
                self.error(line_of(spec, "labels"), f"{where} must label at least both end points ({lo} and {hi})")
        dont_know = self.text(spec, "dont_know", where, required=False)
        not_applicable = self.text(spec, "not_applicable", where, required=False)
        return Scale(lo, hi, labels, dont_know, not_applicable)

    def page(self, raw: Any, page_ids: set[str]) -> Page | None:
        pid = self.ident(raw, "a page")
        if not isinstance(raw, dict):
            return None
        where = f"page '{pid}'"
        self.unknown_keys(raw, PAGE_KEYS, where)
        if pid in page_ids:
            self.error(line_of(raw, "id"), f"duplicate page id '{pid}'")
        page_ids.add(pid)
        title = self.text(raw, "title", where)
        intro = self.text(raw, "intro", where, required=False)
        questions = []
        for qraw in self.listing(raw, "questions", where):
            q = self.question(qraw, pid)
            if q:
                questions.append(q)
        return Page(pid, title, intro, tuple(questions)) if title else None

    def show_if(self, raw: dict, where: str) -> ShowIf | None:
        rule = raw.get("show_if")
        if rule is None:
            return None
        line = line_of(raw, "show_if")
        if not isinstance(rule, dict) or "question" not in rule or (("equals" in rule) == ("in" in rule)):
            self.error(line, f"show_if of {where} must be {{question: ID, equals: VALUE}} or {{question: ID, in: [VALUES]}}")
            return None
        self.unknown_keys(rule, {"question", "equals", "in"}, f"show_if of {where}")
        target = rule["question"]
        values = rule.get("in") if "in" in rule else [rule["equals"]]
        if not isinstance(values, list) or not values:
            self.error(line, f"show_if of {where}: 'in' must be a non-empty list")
            return None
        values = ["yes" if v is True else "no" if v is False else v for v in values]
        seen = self.items.get(target)
        if seen is None:
            if target in self.all_ids:
                self.error(line, f"show_if of {where} refers to '{target}', which comes later: "
                                 "it can only depend on an earlier answer")
            else:
                self.error(line, f"show_if of {where} refers to an unknown question '{target}'")
            return None
        item = seen.item
        if item.type in ("grid",):
            self.error(line, f"show_if of {where} must refer to a grid row, not the grid '{target}'")
            return None
        for v in values:
            if not _answer_value_allowed(item, v):
                self.error(line, f"show_if of {where}: '{v}' is not a possible answer to '{target}'")
                return None
        return ShowIf(target, tuple(str(v) for v in values))

    def question(self, raw: Any, page_id: str) -> Question | None:
        qid = self.ident(raw, "a question")
        if not isinstance(raw, dict):
            return None
        where = f"question '{qid}'"
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            self.error(line_of(raw, "type", line_of(raw)),
                       f"unknown question type '{qtype}' for {where} (use one of: {', '.join(QUESTION_TYPES)})")
            return None
        self.unknown_keys(raw, TYPE_KEYS[qtype], where)
        text = self.text(raw, "text", where)
        hint = self.text(raw, "hint", where, required=False)
        required = self.flag(raw, "required", where, True)
        show_if = self.show_if(raw, where)  # before registering: a question cannot refer to itself
        tags = self.tags(raw, where)
        if qtype == "grid":
            scale = self.question_scale(raw, where)
            items = []
            row_ids = []
            for row in self.listing(raw, "rows", where):
                rid = self.ident(row, f"a row of {where}")
                if not isinstance(row, dict):
                    continue
                rwhere = f"row '{rid}' of {where}"
                self.unknown_keys(row, ROW_KEYS, rwhere)
                rtext = self.text(row, "text", rwhere)
                rtags = self.tags(row, rwhere, inherit=tags)
                rshow = self.show_if(row, rwhere) or show_if
                if rid and rtext and scale:
                    item = Item(id=rid, type="scale", text=rtext, question_id=qid, page_id=page_id,
                                required=required, show_if=rshow, scale=scale, **rtags)
                    row_ids.append(self.register(item, row))
            items = [i for i in row_ids if i]
        else:
            extra: dict[str, Any] = {}
            if qtype == "scale":
                extra["scale"] = self.question_scale(raw, where)
            if qtype in ("single_choice", "multiple_choice"):
                extra["options"] = self.options(raw, where)
            if qtype == "multiple_choice" and "max_choices" in raw:
                extra["max_choices"] = self.integer(raw, "max_choices", where, lo=1, hi=100)
            if qtype == "text":
                extra["max_length"] = self.integer(raw, "max_length", where, default=2000, lo=1, hi=MAX_TEXT_LENGTH)
            if "dimension" in raw:
                dim = raw["dimension"]
                if dim not in self.dimension_ids:
                    self.error(line_of(raw, "dimension"),
                               f"unknown dimension '{dim}' for {where} (declare it under 'dimensions')")
                else:
                    extra["dimension"] = dim
            if tags.get("factor") and qtype not in ("scale", "yes_no"):
                self.error(line_of(raw, "factor"), f"{where}: only scale, grid and yes_no questions can be scored")
            if tags.get("measure") and not tags.get("factor"):
                self.error(line_of(raw, "measure"), f"{where} has a measure but no factor")
            if qtype == "scale" and extra["scale"] is None:
                return None
            item = Item(id=qid, type=qtype, text=text or Text("", ""), question_id=qid, page_id=page_id,
                        required=required, show_if=show_if, **extra, **tags)
            items = [self.register(item, raw)] if qid and text else []
        if qid is None or text is None or not all(items):
            return None
        if qtype == "grid":
            self.register_question(qid, raw)
        return Question(id=qid, type=qtype, text=text, page_id=page_id, hint=hint, required=required,
                        show_if=show_if, items=tuple(items))

    def tags(self, raw: dict, where: str, inherit: dict | None = None) -> dict:
        inherit = inherit or {}
        out = {
            "factor": self.word(raw, "factor", where),
            "measure": self.word(raw, "measure", where) or inherit.get("measure"),
            "area": raw.get("area", inherit.get("area")),
            "reverse": self.flag(raw, "reverse", where, inherit.get("reverse", False)),
        }
        if "area" in raw and raw["area"] not in self.area_ids:
            self.error(line_of(raw, "area"), f"unknown area '{raw['area']}' for {where} (declare it under 'areas')")
            out["area"] = None
        return out

    def question_scale(self, raw: dict, where: str) -> Scale | None:
        spec = raw.get("scale")
        if spec is None:
            self.error(line_of(raw), f"{where} has no 'scale'")
            return None
        if isinstance(spec, str):
            if spec not in self.scales:
                self.error(line_of(raw, "scale"), f"{where} uses an unknown scale '{spec}'")
                return None
            return self.scales[spec]
        return self.scale(spec, f"the scale of {where}", line_of(raw, "scale"))

    def options(self, raw: dict, where: str) -> tuple[Option, ...]:
        out = []
        values: set[str] = set()
        for opt in self.listing(raw, "options", where):
            if not isinstance(opt, dict):
                self.error(line_of(raw, "options"), f"each option of {where} must be {{value: ..., label: ...}}")
                continue
            self.unknown_keys(opt, {"value", "label"}, f"an option of {where}")
            value = opt.get("value")
            if not isinstance(value, str) or not OPTION_RE.match(value):
                self.error(line_of(opt, "value", line_of(opt)),
                           f"option value '{value}' of {where} must use only lower-case letters, digits and '_'")
                continue
            if value in values:
                self.error(line_of(opt, "value"), f"duplicate option value '{value}' in {where}")
                continue
            values.add(value)
            label = self.text(opt, "label", f"option '{value}' of {where}")
            if label:
                out.append(Option(value, label))
        return tuple(out)

    def register(self, item: Item, raw: dict) -> Item | None:
        if item.id in self.items or item.id in getattr(self, "grid_ids", set()):
            self.error(line_of(raw, "id"), f"duplicate id '{item.id}'")
            return None
        if item.factor:
            self.factor_lines.setdefault(item.factor, line_of(raw, "factor"))
            key = (item.factor, item.measure or "")
            if key in self.scored:
                self.error(line_of(raw, "factor"),
                           f"factor '{item.factor}' with measure '{item.measure}' is already asked by '{self.scored[key]}'")
            self.scored[key] = item.id
        self.items[item.id] = _Seen(item, len(self.items))
        return item

    def register_question(self, qid: str, raw: dict) -> None:
        grid_ids = self.__dict__.setdefault("grid_ids", set())
        if qid in self.items or qid in grid_ids:
            self.error(line_of(raw, "id"), f"duplicate id '{qid}'")
        grid_ids.add(qid)


def _all_item_ids(data: dict) -> set[str]:
    ids = set()
    for page in data.get("pages") or []:
        for q in (page.get("questions") or []) if isinstance(page, dict) else []:
            if isinstance(q, dict):
                ids.add(q.get("id"))
                ids.update(r.get("id") for r in q.get("rows") or [] if isinstance(r, dict))
    return ids


def _answer_value_allowed(item: Item, value: Any) -> bool:
    if item.type == "scale":
        if isinstance(value, str):
            return value in item.scale.missing_values
        return isinstance(value, int) and not isinstance(value, bool) and value in item.scale.points
    if item.type == "yes_no":
        return value in ("yes", "no")
    if item.type in ("single_choice", "multiple_choice"):
        return item.option(value) is not None
    return False


def normalised_content(data: dict, scales: dict[str, Scale]) -> dict:
    """Plain JSON-able content with named scales written in place (what a campaign freezes)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    content = plain(data)
    content["version"] = str(content["version"])
    named = content.pop("scales", {})
    for page in content.get("pages", []):
        for q in page["questions"]:
            if isinstance(q.get("scale"), str):
                q["scale"] = named[q["scale"]]
    return content


# -- public API -------------------------------------------------------------------------

def parse(text: str, filename: str = "<string>") -> Questionnaire:
    """Parse and validate YAML text; raise QuestionnaireError listing every problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        unstorable: list[tuple[int, str]] = []
        data = build(node, unstorable) if node is not None else None
    except yaml.reader.ReaderError as exc:  # a raw character YAML does not allow; it knows the position only
        line = text.count("\n", 0, exc.position) + 1
        char = describe(chr(exc.character)) if isinstance(exc.character, int) else repr(exc.character)
        raise QuestionnaireError([f"{filename}:{line}: the file contains the {char}, which YAML does not "
                                  "allow"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise QuestionnaireError([f"{filename}:{line}: malformed YAML: {message}"]) from None
    except yaml.YAMLError as exc:
        raise QuestionnaireError([f"{filename}:1: malformed YAML: {exc}"]) from None
    if data is None:
        raise QuestionnaireError([f"{filename}:1: the file is empty"])
    parser = _Parser(data)
    result = parser.questionnaire()
    if parser.problems or unstorable:
        problems = sorted(set(parser.problems + unstorable), key=lambda p: (p[0], p[1]))
        raise QuestionnaireError([f"{filename}:{line}: {message}" for line, message in problems])
    return result


def load_file(path: str | Path) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuestionnaireError([f"{path}:1: the file is not UTF-8 text"]) from None
    except OSError as exc:
        raise QuestionnaireError([f"{path}:0: cannot read the file ({exc.strerror})"]) from None
    return parse(text, str(path))


def from_content(content: dict) -> Questionnaire:
    """Rebuild a questionnaire from the content frozen into a campaign."""
    parser = _Parser(content)
    result = parser.questionnaire()
    if parser.problems:
        raise QuestionnaireError([f"<frozen>: {m}" for _, m in parser.problems])
    return result


def available(directory: Path = QUESTIONNAIRE_DIR) -> dict[str, Questionnaire]:
    """Every questionnaire in the folder, by id. Raises if any file is invalid."""
    found: dict[str, Questionnaire] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            q = load_file(path)
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            continue
        if q.id in found:
            problems.append(f"{path}:1: questionnaire id '{q.id}' is also used by another file")
        found[q.id] = q
    if problems:
        raise QuestionnaireError(problems)
    return found


def main(argv: list[str]) -> int:
    status = 0
    for name in argv:
        try:
            q = load_file(name)
            if q.is_organisation_return:
                print(f"{name}: ok ({q.id} {q.version}, organisation return: {len(q.functions)} functions, "
                      f"{len(q.layers)} layers, {len(q.statements)} statements)")
            else:
                print(f"{name}: ok ({q.id} {q.version}, {len(q.pages)} pages, {len(q.items)} items)")
        except QuestionnaireError as exc:
            print("\n".join(exc.problems))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
