from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address")),
                                                         Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")),
                                                         Length(max=1000)])
