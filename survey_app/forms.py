"""What every staff form shares (sign-in, console): text that refuses the characters no
stored text may hold, whole numbers typed in a box, and the GOV.UK date input.

Each refuses bad input with one message on the field that says what is wrong; none lets
junk reach the database, where PostgreSQL would fail on a NUL or an integer beyond its
range (a 500) and SQLite would store it.
"""
from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import StopValidation

from questionnaires.characters import code_point, unstorable_character

#: a number as typed in a box: ASCII digits only (int() would also take '٣', '1_000'
#: and 4,000-digit strings), few enough to fit an integer column
_DIGITS = re.compile(r"[0-9]{1,9}")


def whole_number(text: str | None) -> int | None:
    """The number typed (spaces around it allowed), or None when it is not one."""
    text = (text or "").strip()
    return int(text) if _DIGITS.fullmatch(text) else None


class StaffForm(FlaskForm):
    """A form whose every field refuses text that cannot be stored (NUL and the other
    control characters but tab and line breaks), whatever its own validators do."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self.validate_together() and valid
        return self._refuse_unstorable() and valid

    def validate_together(self) -> bool:
        """Checks across fields (a date's three boxes), run after each field's own."""
        return True

    def _refuse_unstorable(self) -> bool:
        valid = True
        for field in self:
            if field.type == "CSRFTokenField":  # checked by CSRFProtect
                continue
            char = next((c for value in field.raw_data or () if isinstance(value, str)
                         and (c := unstorable_character(value))), None)
            if char:
                # the one message that matters: any other would be about the same character
                field.errors = [gettext("‘%(field)s’ contains a control character (%(character)s), which cannot "
                                        "be saved: remove it", field=field.label.text, character=code_point(char))]
                valid = False
        return valid


class WholeNumberField(IntegerField):
    """A whole number from `minimum` to `maximum` typed in a box. Blank, not a number
    (letters, a sign, a decimal point) or out of range: the same message, which says what
    to enter."""

    def __init__(self, label=None, *, minimum: int, maximum: int, message, **kwargs):
        super().__init__(label, validators=[], **kwargs)
        self.minimum, self.maximum, self.message = minimum, maximum, message

    def process_formdata(self, valuelist) -> None:
        if valuelist:
            self.data = whole_number(valuelist[0])

    def pre_validate(self, form) -> None:
        if not self.raw_data or self.data is None or not self.minimum <= self.data <= self.maximum:
            raise StopValidation(self.message)


DATE_PARTS = ("day", "month", "year")


def check_date(texts: dict[str, str], messages: dict, first_year: int, last_year: int):
    """A GOV.UK date input's three boxes (texts by part) -> (date, None, ()) or
    (None, message, the parts with the problem).

    `messages` has "empty", one per missing part or parts ("day", "day month", ...,
    "month year"), "real", "year_digits" and "range". As the Design System asks, a
    missing part is named, a box that cannot be right is highlighted on its own, and an
    impossible day of the month highlights the whole date.
    """
    texts = {part: (texts.get(part) or "").strip() for part in DATE_PARTS}
    missing = tuple(part for part in DATE_PARTS if not texts[part])
    if missing:
        return None, messages["empty" if len(missing) == 3 else " ".join(missing)], missing
    day, month = whole_number(texts["day"]), whole_number(texts["month"])
    wrong = tuple(part for part, number, highest in (("day", day, 31), ("month", month, 12))
                  if number is None or not 1 <= number <= highest)
    if not texts["year"].isascii() or not texts["year"].isdigit():
        wrong += ("year",)
    if wrong:
        return None, messages["real"], wrong
    if len(texts["year"]) != 4:
        return None, messages["year_digits"], ("year",)
    try:
        value = date(int(texts["year"]), month, day)
    except ValueError:
        return None, messages["real"], DATE_PARTS
    if not first_year <= value.year <= last_year:
        return None, messages["range"], ("year",)
    return value, None, ()
