from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..forms import StaffForm


class SignInForm(StaffForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address")),
                                                         Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")),
                                                         Length(max=1000)])
