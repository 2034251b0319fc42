"""Historical baselines: benchmark figures per factor from an earlier period (the
benchmarking report's "first five years", 1999-2004), read from a CSV file the Improve
team keeps, checked like every import, and shown beside this year's results.

The file (questionnaires/README.md, "Historical baselines"): UTF-8, a first line naming
the columns, one row per factor and measure:

    factor,measure,median,q1,q3,organisations
    S1,satisfaction,4.81,4.50,5.12,31

`factor`, `measure` and `median` are needed; `q1`, `q3` and `organisations` may be left
out or empty. Every problem is reported with its line and column, and nothing is stored
unless the whole file is right.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from questionnaires import QuestionnaireError, available
from questionnaires.characters import code_point, unstorable_character
from questionnaires.model import Questionnaire

from ..extensions import db
from ..models import BaselineFigure, BenchmarkBaseline, QuestionnaireVersion
from ..models.baseline import LABEL_LENGTH

#: a baseline has a row per factor and measure: a few dozen lines, never megabytes
MAX_BYTES = 256 * 1024
REQUIRED = ("factor", "measure", "median")
OPTIONAL = ("q1", "q3", "organisations")
COLUMNS = REQUIRED + OPTIONAL
#: a plain decimal number, as a spreadsheet saves one: 4, 4.5, -1 (no exponent, no "nan")
NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
LO, HI = 1, 7


@dataclass(frozen=True)
class BaselineProblem:
    #: the line of the file (None: the file as a whole)
    line: int | None
    message: str
    column: str | None = None
    #: 1-based column number
    position: int | None = None

    def where(self) -> str:
        """The problem as a page lists it: 'Line 3, column factor (A): message'."""
        if self.line is None:
            return self.message
        if self.column is None:
            return _("Line %(line)d: %(message)s", line=self.line, message=self.message)
        return _("Line %(line)d, column %(name)s (%(letter)s): %(message)s", line=self.line, name=self.column,
                 letter=get_column_letter(self.position), message=self.message)

    def describe(self, filename: str) -> str:
        """FILE:LINE: column NAME (LETTER): message"""
        where = filename if self.line is None else f"{filename}:{self.line}"
        if self.column is not None:
            where += ": " + _("column %(name)s (%(letter)s)", name=self.column,
                              letter=get_column_letter(self.position))
        return f"{where}: {self.message}"


class BaselineError(ValueError):
    """Nothing was stored; `problems` says why, each with its line and column."""

    def __init__(self, problems: list[BaselineProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class Figure:
    line: int
    factor: str
    measure: str
    median: float
    q1: float | None = None
    q3: float | None = None
    organisations: int | None = None


@dataclass(frozen=True)
class Baseline:
    """A stored baseline as the results page uses it."""

    label: str
    #: (factor, measure) -> median
    figures: dict


def questionnaire_factors(questionnaire_id: str) -> dict[str, list[str]]:
    """The questionnaire's factors and the measures each is asked as, in questionnaire
    order: from its YAML file, or the newest version stored when the file is gone.
    Raises BaselineError naming the known questionnaires when there is neither."""
    try:
        found = available()
    except QuestionnaireError:  # a broken file elsewhere in the folder
        found = {}
    if questionnaire_id in found and found[questionnaire_id].is_organisation_return:
        raise BaselineError([BaselineProblem(None, _(
            "‘%(id)s’ is an organisation's own return: it has no factor scores to keep a baseline of.",
            id=questionnaire_id))])
    # an organisation's own return (the DMA) has levels, not factor scores
    found = {key: q for key, q in found.items() if not q.is_organisation_return}
    questionnaire: Questionnaire | None = found.get(questionnaire_id)
    if questionnaire is None:
        version = db.session.scalar(sa.select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire == questionnaire_id).order_by(QuestionnaireVersion.id.desc()).limit(1))
        questionnaire = version.parsed() if version is not None else None
    if questionnaire is None:
        known = ", ".join(sorted(found)) or "–"
        raise BaselineError([BaselineProblem(None, _("Unknown questionnaire ‘%(id)s’: use one of %(known)s.",
                                                     id=questionnaire_id, known=known))])
    factors: dict[str, list[str]] = {}
    for item in questionnaire.items:
        if item.factor is not None and item.measure not in factors.setdefault(item.factor, []):
            factors[item.factor].append(item.measure)
    return factors


def check_label(questionnaire_id: str, label: str, replace: bool = False) -> str:
    """The label as stored (trimmed); raises BaselineError when it cannot be."""
    label = (label or "").strip()
    problem = None
    if not label:
        problem = _("The baseline needs a label naming its period, for example 1999-2004.")
    elif char := unstorable_character(label) or next((c for c in label if c in "\t\r\n"), None):  # one line
        problem = _("The label contains the control character %(code)s, which cannot be stored.",
                    code=code_point(char))
    elif len(label) > LABEL_LENGTH:
        problem = _("The label is longer than %(max)d characters.", max=LABEL_LENGTH)
    elif not replace and find_baseline(questionnaire_id, label) is not None:
        problem = _("%(questionnaire)s already has a baseline labelled ‘%(label)s’: delete it first, or replace it.",
                    questionnaire=questionnaire_id, label=label)
    if problem:
        raise BaselineError([BaselineProblem(None, problem)])
    return label


def check_size(size: int) -> None:
    """Raises BaselineError for a file of `size` bytes beyond the limit (before reading it)."""
    if size > MAX_BYTES:
        raise BaselineError([BaselineProblem(None, _(
            "The file is larger than %(kb)d KB: a baseline has one row per factor and measure.",
            kb=MAX_BYTES // 1024))])


def decode(data: bytes) -> str:
    """The text of the file: UTF-8, with or without a byte order mark, within the size limit."""
    check_size(len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BaselineError([BaselineProblem(line, _("This line is not UTF-8 text: save the file as ‘CSV UTF-8’ "
                                                     "and try again."))]) from None


def read_figures(questionnaire_id: str, text: str) -> list[Figure]:
    """Every figure of the file's text, checked against the questionnaire's factors;
    raises BaselineError with every problem found."""
    factors = questionnaire_factors(questionnaire_id)
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[BaselineProblem] = []
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error:
        raise BaselineError([BaselineProblem(1, _("This line cannot be read as CSV."))]) from None
    if not any(h.strip() for h in header):
        raise BaselineError([BaselineProblem(1, _("The file is empty: its first line must name the columns, "
                                                  "for example: factor,measure,median"))])
    names = [h.strip().lower() for h in header]
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if char := unstorable_character(name):
            problems.append(BaselineProblem(1, _("This column name contains the control character %(code)s.",
                                                 code=code_point(char)), name.encode("unicode_escape").decode(),
                                            position))
        elif name in seen:
            problems.append(BaselineProblem(1, _("The column ‘%(name)s’ appears twice.", name=name), name, position))
        elif name not in COLUMNS:
            problems.append(BaselineProblem(1, _("Unknown column ‘%(name)s’: use %(known)s.", name=name,
                                                 known=", ".join(COLUMNS)), name or "–", position))
        seen.setdefault(name, position)
    for name in REQUIRED:
        if name not in seen:
            problems.append(BaselineProblem(1, _("The file has no ‘%(name)s’ column: its first line must name the "
                                                 "columns, for example: factor,measure,median", name=name)))
    if problems:
        raise BaselineError(problems)

    figures: list[Figure] = []
    first: dict[tuple[str, str], int] = {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(BaselineProblem(line, _("This line cannot be read as CSV.")))
            break
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            problems.append(BaselineProblem(start, _("This row has %(found)d values but the first line names "
                                                     "%(expected)d columns.", found=len(cells), expected=len(names))))
            continue
        found = _read_row(start, dict(zip(names, (c.strip() for c in cells))), seen, factors, questionnaire_id,
                          problems)
        if found is None:
            continue
        key = (found.factor, found.measure)
        if key in first:
            problems.append(BaselineProblem(start, _("%(factor)s %(measure)s is already given on line %(first)d.",
                                                     factor=found.factor, measure=found.measure, first=first[key]),
                                            "factor", seen["factor"]))
            continue
        first[key] = start
        figures.append(found)
    if not figures and not problems:
        problems.append(BaselineProblem(line, _("The file has no figures below its first line.")))
    if problems:
        raise BaselineError(problems)
    return figures


def _read_row(line: int, row: dict[str, str], seen: dict[str, int], factors: dict[str, list[str]],
              questionnaire_id: str, problems: list[BaselineProblem]) -> Figure | None:
    before = len(problems)

    def problem(name: str, message: str) -> None:
        problems.append(BaselineProblem(line, message, name, seen[name]))

    for name, value in row.items():
        if char := unstorable_character(value):
            problem(name, _("Contains the control character %(code)s, which cannot be stored.", code=code_point(char)))
    if len(problems) > before:
        return None
    factor, measure = row["factor"], row["measure"]
    if not factor:
        problem("factor", _("No factor is given."))
    elif factor not in factors:
        problem("factor", _("Unknown factor ‘%(value)s’: the factors of %(questionnaire)s are %(known)s.",
                            value=factor, questionnaire=questionnaire_id, known=", ".join(factors)))
    elif not measure:
        problem("measure", _("No measure is given: use %(known)s.", known=", ".join(factors[factor])))
    elif measure not in factors[factor]:
        problem("measure", _("‘%(value)s’ is not a measure of %(factor)s: use %(known)s.", value=measure,
                             factor=factor, known=", ".join(factors[factor])))
    values = {name: _score(name, row.get(name, ""), problem) for name in ("median", "q1", "q3")}
    if not row["median"]:
        problem("median", _("No median is given."))
    median, q1, q3 = values["median"], values["q1"], values["q3"]
    if median is not None and q1 is not None and q1 > median:
        problem("q1", _("The 1st quartile %(q1)s is above the median %(median)s.", q1=row["q1"], median=row["median"]))
    if median is not None and q3 is not None and q3 < median:
        problem("q3", _("The 3rd quartile %(q3)s is below the median %(median)s.", q3=row["q3"], median=row["median"]))
    organisations = None
    if row.get("organisations"):
        value = row["organisations"]
        if not value.isascii() or not value.isdigit() or int(value) < 1 or len(value) > 6:
            problem("organisations", _("‘%(value)s’ is not a number of organisations: write a whole number "
                                       "from 1, or leave it empty.", value=value))
        else:
            organisations = int(value)
    if len(problems) > before:
        return None
    return Figure(line=line, factor=factor, measure=measure, median=median, q1=q1, q3=q3,
                  organisations=organisations)


def _score(name: str, value: str, problem) -> float | None:
    if not value:
        return None
    if not NUMBER.match(value):
        problem(name, _("‘%(value)s’ is not a number: write it with a point, for example 4.25.", value=value))
        return None
    number = float(value)
    if not LO <= number <= HI:
        problem(name, _("%(value)s is outside the 1 to 7 scale.", value=value))
        return None
    return number


# -- operations: they flush, the command or view commits ----------------------------------

def find_baseline(questionnaire_id: str, label: str) -> BenchmarkBaseline | None:
    return db.session.scalar(sa.select(BenchmarkBaseline).where(BenchmarkBaseline.questionnaire == questionnaire_id,
                                                                BenchmarkBaseline.label == label))


def store_baseline(questionnaire_id: str, label: str, figures: list[Figure],
                   replace: bool = False) -> BenchmarkBaseline:
    """A new baseline with the checked figures (replacing one of the same label when
    `replace`). Flushes."""
    old = find_baseline(questionnaire_id, label)
    if old is not None:
        if not replace:
            check_label(questionnaire_id, label)  # raises, naming the clash
        db.session.delete(old)
        db.session.flush()
    baseline = BenchmarkBaseline(questionnaire=questionnaire_id, label=label, figures=[
        BaselineFigure(factor=f.factor, measure=f.measure, median=f.median, q1=f.q1, q3=f.q3,
                       organisations=f.organisations) for f in figures])
    db.session.add(baseline)
    db.session.flush()
    return baseline


def delete_baseline(baseline: BenchmarkBaseline) -> None:
    db.session.delete(baseline)
    db.session.flush()


def list_baselines(questionnaire_id: str | None = None) -> list[BenchmarkBaseline]:
    stmt = sa.select(BenchmarkBaseline).order_by(BenchmarkBaseline.questionnaire, BenchmarkBaseline.id)
    if questionnaire_id is not None:
        stmt = stmt.where(BenchmarkBaseline.questionnaire == questionnaire_id)
    return list(db.session.scalars(stmt))


def baselines_of(questionnaire_id: str) -> list[Baseline]:
    """The questionnaire's baselines for the results page, oldest import first: one query."""
    stmt = (sa.select(BenchmarkBaseline.id, BenchmarkBaseline.label, BaselineFigure.factor, BaselineFigure.measure,
                      BaselineFigure.median)
            .join(BaselineFigure, BaselineFigure.baseline_id == BenchmarkBaseline.id)
            .where(BenchmarkBaseline.questionnaire == questionnaire_id)
            .order_by(BenchmarkBaseline.id, BaselineFigure.id))
    found: dict[int, Baseline] = {}
    for baseline_id, label, factor, measure, median in db.session.execute(stmt):
        found.setdefault(baseline_id, Baseline(label=label, figures={})).figures[(factor, measure)] = median
    return list(found.values())
