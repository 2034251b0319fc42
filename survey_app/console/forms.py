from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from datetime import date

from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..models.organisation import ORGANISATION_TYPES

TYPE_LABELS = {
    "E": _l("English unitary"), "S": _l("Scottish unitary"), "W": _l("Welsh unitary"),
    "C": _l("English county"), "D": _l("English district"), "L": _l("London borough"),
    "M": _l("Metropolitan borough"), "O": _l("Other"),
}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organisation's name")), Length(max=200)])
    type_letter = RadioField(_l("Type of organisation"), choices=[SelectChoice(k, TYPE_LABELS[k]) for k in ORGANISATION_TYPES],
                             validators=[InputRequired(_l("Select the type of organisation"))])
    number = IntegerField(_l("Two-digit id"), validators=[
        InputRequired(_l("Enter the organisation's two-digit id, a number from 1 to 99")),
        NumberRange(1, 99, _l("Enter the organisation's two-digit id, a number from 1 to 99"))])
    partnership = BooleanField(_l("This is a partnership of several organisations"))
    language_policy = RadioField(_l("Language of emails"), default="default", choices=[
        SelectChoice("default", _l("Bilingual for Welsh organisations, English otherwise")),
        SelectChoice("bilingual", _l("Bilingual (Welsh and English) to everyone")),
        SelectChoice("english", _l("English, and Welsh to those who prefer it")),
    ])


class CampaignForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int,
                                  validators=[InputRequired(_l("Select the organisation"))])
    questionnaire = RadioField(_l("Questionnaire"), validators=[InputRequired(_l("Select the questionnaire"))])
    # the GOV.UK date input: three boxes, checked together in validate_opens_day
    opens_day = IntegerField(_l("Day"), validators=[Optional()])
    opens_month = IntegerField(_l("Month"), validators=[Optional()])
    opens_year = IntegerField(_l("Year"), validators=[Optional()])
    weeks = IntegerField(_l("Weeks open"), default=4, validators=[
        InputRequired(_l("Enter how many weeks it stays open, from 1 to 52")),
        NumberRange(1, 52, _l("Enter how many weeks it stays open, from 1 to 52"))])
    anonymity_threshold = IntegerField(_l("Anonymity threshold"), default=5, validators=[
        InputRequired(_l("Enter the anonymity threshold, 3 or more")),
        NumberRange(3, 1000, _l("Enter the anonymity threshold, 3 or more"))])

    def validate_opens_day(self, field) -> None:
        parts = (self.opens_day.data, self.opens_month.data, self.opens_year.data)
        if None in parts or self.opens_month.errors or self.opens_year.errors:
            raise ValidationError(_l("Enter the opening date as a real date, for example 2 3 2026"))
        try:
            self.opens_date = date(parts[2], parts[1], parts[0])
        except ValueError:
            raise ValidationError(_l("Enter the opening date as a real date, for example 2 3 2026")) from None
