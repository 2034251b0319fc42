from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms import StaffForm, WholeNumberField, check_date
from ..models.organisation import ORGANISATION_TYPES
from ..participants.operations import check_email
from .operations import FIRST_YEAR, LAST_YEAR, MAX_ANONYMITY_THRESHOLD

TYPE_LABELS = {
    "E": _l("English unitary"), "S": _l("Scottish unitary"), "W": _l("Welsh unitary"),
    "C": _l("English county"), "D": _l("English district"), "L": _l("London borough"),
    "M": _l("Metropolitan borough"), "O": _l("Other"),
}


def _choice(label, message, **kwargs):
    """A radios field whose every failure (nothing chosen, a value not offered) says `message`."""
    return RadioField(label, validators=[InputRequired(message)], invalid_choice_message=message, **kwargs)


class OrganisationForm(StaffForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organisation's name")), Length(max=200)])
    # blank for none: the Welsh pages and emails then show the English name
    name_cy = StringField(_l("Name in Welsh (optional)"), validators=[
        Length(max=200, message=_l("The name in Welsh must be 200 characters or fewer"))])
    type_letter = _choice(_l("Type of organisation"), _l("Select the type of organisation"),
                          choices=[SelectChoice(k, TYPE_LABELS[k]) for k in ORGANISATION_TYPES])
    number = WholeNumberField(_l("Two-digit id"), minimum=1, maximum=99,
                              message=_l("Enter the organisation's two-digit id, a number from 1 to 99"))
    partnership = BooleanField(_l("This is a partnership of several organisations"))
    language_policy = _choice(_l("Language of emails"), _l("Select the language of emails"), default="default",
                              choices=[
                                  SelectChoice("default", _l("Bilingual for Welsh organisations, English otherwise")),
                                  SelectChoice("bilingual", _l("Bilingual (Welsh and English) to everyone")),
                                  SelectChoice("english", _l("English, and Welsh to those who prefer it")),
                              ])


OPENS_MESSAGES = {
    "empty": _l("Enter the date the campaign opens"),
    "day": _l("The date the campaign opens must include a day"),
    "month": _l("The date the campaign opens must include a month"),
    "year": _l("The date the campaign opens must include a year"),
    "day month": _l("The date the campaign opens must include a day and a month"),
    "day year": _l("The date the campaign opens must include a day and a year"),
    "month year": _l("The date the campaign opens must include a month and a year"),
    "real": _l("The date the campaign opens must be a real date"),
    "year_digits": _l("The year the campaign opens must include 4 numbers"),
    "range": _l("The date the campaign opens must be between 1 January 2000 and 31 December 2099"),
}


class CampaignForm(StaffForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int,
                                  validators=[InputRequired(_l("Select the organisation"))],
                                  invalid_value_message=_l("Select the organisation"),
                                  invalid_choice_message=_l("Select the organisation"))
    questionnaire = _choice(_l("Questionnaire"), _l("Select the questionnaire"))
    # an organisation return's lead (the Digital Maturity Assessment), checked in
    # validate_together: required for one, refused for a staff survey
    lead_name = StringField(_l("Lead's name"), validators=[
        Length(max=100, message=_l("The lead's name must be 100 characters or fewer"))])
    lead_email = StringField(_l("Lead's email address"), validators=[
        Length(max=254, message=_l("The lead's email address must be 254 characters or fewer"))])
    lead_language = RadioField(_l("Language the lead prefers"), default="none", validate_choice=False, choices=[
        SelectChoice("none", _l("No preference")), SelectChoice("en", _l("English")), SelectChoice("cy", _l("Welsh"))])
    # the GOV.UK date input: three boxes, checked together in validate_together
    opens_day = StringField(_l("Day"))
    opens_month = StringField(_l("Month"))
    opens_year = StringField(_l("Year"))
    weeks = WholeNumberField(_l("Weeks open"), default=4, minimum=1, maximum=52,
                             message=_l("Enter how many weeks it stays open, from 1 to 52"))
    anonymity_threshold = WholeNumberField(_l("Anonymity threshold"), default=5, minimum=3,
                                           maximum=MAX_ANONYMITY_THRESHOLD,
                                           message=_l("Enter the anonymity threshold, a number from 3 to 1,000"))

    #: the opening date once the boxes make one
    opens_date = None
    #: the boxes to highlight ("day", "month", "year")
    opens_boxes_in_error: tuple[str, ...] = ()
    #: the questionnaires offered that are one return per organisation (set by the view)
    organisation_returns: frozenset = frozenset()

    def validate_together(self) -> bool:
        return self._validate_lead() & self._validate_opens()

    def _validate_opens(self) -> bool:
        texts = {part: self[f"opens_{part}"].data for part in ("day", "month", "year")}
        self.opens_date, message, self.opens_boxes_in_error = check_date(texts, OPENS_MESSAGES, FIRST_YEAR, LAST_YEAR)
        if message is None:
            return True
        # on the first box with the problem: the error summary links to it
        self[f"opens_{self.opens_boxes_in_error[0]}"].errors.append(message)
        return False

    def _validate_lead(self) -> bool:
        name, email = (self.lead_name.data or "").strip(), (self.lead_email.data or "").strip()
        if self.lead_language.data not in (None, "none", "en", "cy"):
            self.lead_language.errors.append(_l("Select the language the lead prefers"))
        if self.questionnaire.data not in self.organisation_returns:
            if (name or email) and self.questionnaire.data:
                (self.lead_name if name else self.lead_email).errors.append(_l(
                    "Leave the lead's details blank: only an organisation return, such as the Digital Maturity "
                    "Assessment, has a lead"))
            return not (self.lead_email.errors or self.lead_name.errors or self.lead_language.errors)
        if not email:
            self.lead_email.errors.append(_l("Enter the lead's email address"))
        elif check_email(email)[0] is None:
            self.lead_email.errors.append(_l("Enter the lead's email address in the correct format, like "
                                             "name@example.org"))
        if not name:
            self.lead_name.errors.append(_l("Enter the lead's name"))
        return not (self.lead_email.errors or self.lead_name.errors or self.lead_language.errors)

    @property
    def lead_language_code(self) -> str | None:
        return self.lead_language.data if self.lead_language.data in ("en", "cy") else None
