"""Named peer groups in the console: the same operations as `flask peers`."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from scoring.peers import PeerGroupError
from scoring.years import data_year

from ..auth.access import improve_only
from ..extensions import db
from ..forms import StaffForm
from ..models import NamedPeerGroup
from ..models.peer_group import MAX_NAME_LENGTH
from ..peers.operations import (NameTaken, NotMembers, UnknownCodes, add_members, all_groups, create_group,
                                delete_group, remove_members, rename_group, split_codes)
from .views import bp

#: the longest list of codes accepted in one go (a few hundred organisations)
MAX_CODES_TEXT = 4000


def _name_field():
    return StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the peer group's name")),
        Length(max=MAX_NAME_LENGTH, message=_l("The peer group's name must be %(max)d characters or fewer",
                                               max=MAX_NAME_LENGTH))])


def _codes_field(label, required: bool):
    checks = [Length(max=MAX_CODES_TEXT, message=_l("The list of codes must be %(max)d characters or fewer",
                                                    max=MAX_CODES_TEXT))]
    if required:
        checks.insert(0, DataRequired(_l("Enter the code of at least one organisation")))
    return TextAreaField(label, validators=checks)


class NewGroupForm(StaffForm):
    name = _name_field()
    codes = _codes_field(_l("Organisation codes (optional)"), required=False)


class MembersForm(StaffForm):
    codes = _codes_field(_l("Organisation codes"), required=True)


class RenameForm(StaffForm):
    name = _name_field()


class ConfirmForm(StaffForm):
    """A button only: the CSRF token is all it carries."""


def _explain(exc: PeerGroupError) -> str:
    """The operation's refusal in the page's language."""
    if isinstance(exc, UnknownCodes):
        return _("No organisation has the code %(codes)s. Check the codes and try again.", codes=", ".join(exc.codes))
    if isinstance(exc, NotMembers):
        return _("Not in this peer group: %(codes)s.", codes=", ".join(exc.codes))
    if isinstance(exc, NameTaken):
        return _("There is already a peer group called ‘%(name)s’. Choose another name.", name=exc.name)
    return str(exc)


def _group(group_id: int) -> NamedPeerGroup:
    group = db.session.get(NamedPeerGroup, group_id)
    if group is None:
        abort(404)
    return group


@bp.route("/peer-groups", methods=["GET", "POST"])
@improve_only
def peer_groups():
    form = NewGroupForm()
    if form.validate_on_submit():
        try:
            group = create_group(form.name.data, split_codes(form.codes.data))
        except PeerGroupError as exc:
            db.session.rollback()
            field = form.name if isinstance(exc, NameTaken) else form.codes
            field.errors.append(_explain(exc))
        else:
            db.session.commit()
            flash(_("Peer group ‘%(name)s’ created.", name=group.name))
            return redirect(url_for("console.peer_group", group_id=group.id))
    return render_template("console/peer_groups.html", form=form, groups=all_groups()), 400 if form.errors else 200


def _show(group: NamedPeerGroup, failed=None, members=None, rename=None):
    year = data_year(date.today())
    rows = sorted(((m.organisation.code_for(year), m.organisation) for m in group.members), key=lambda r: r[0])
    return render_template("console/peer_group.html", group=group, rows=rows, failed=failed,
                           members_form=members or MembersForm(formdata=None),
                           rename_form=rename or RenameForm(formdata=None, data={"name": group.name}),
                           confirm=ConfirmForm(formdata=None)), 400 if failed else 200


@bp.route("/peer-groups/<int:group_id>")
@improve_only
def peer_group(group_id: int):
    return _show(_group(group_id))


@bp.route("/peer-groups/<int:group_id>/members", methods=["POST"])
@improve_only
def peer_group_add(group_id: int):
    group = _group(group_id)
    form = MembersForm()
    if form.validate_on_submit():
        try:
            added = add_members(group, split_codes(form.codes.data))
        except PeerGroupError as exc:
            db.session.rollback()
            form.codes.errors.append(_explain(exc))
        else:
            db.session.commit()
            flash(_("Organisations added: %(num)s.", num=len(added)))
            return redirect(url_for("console.peer_group", group_id=group.id))
    return _show(group, failed=form, members=form)


@bp.route("/peer-groups/<int:group_id>/members/<int:organisation_id>/remove", methods=["POST"])
@improve_only
def peer_group_remove(group_id: int, organisation_id: int):
    group = _group(group_id)
    member = next((m for m in group.members if m.organisation_id == organisation_id), None)
    if member is None or not ConfirmForm().validate_on_submit():
        abort(404 if member is None else 400)
    code = member.organisation.code_for(data_year(date.today()))
    remove_members(group, [code])
    db.session.commit()
    flash(_("%(code)s removed from the peer group.", code=code))
    return redirect(url_for("console.peer_group", group_id=group.id))


@bp.route("/peer-groups/<int:group_id>/rename", methods=["POST"])
@improve_only
def peer_group_rename(group_id: int):
    group = _group(group_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            rename_group(group, form.name.data)
        except PeerGroupError as exc:
            db.session.rollback()
            form.name.errors.append(_explain(exc))
        else:
            db.session.commit()
            flash(_("Peer group renamed ‘%(name)s’.", name=group.name))
            return redirect(url_for("console.peer_group", group_id=group.id))
    db.session.expire(group)
    return _show(group, failed=form, rename=form)


@bp.route("/peer-groups/<int:group_id>/delete", methods=["GET", "POST"])
@improve_only
def peer_group_delete(group_id: int):
    group = _group(group_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = group.name
        delete_group(group)
        db.session.commit()
        flash(_("Peer group ‘%(name)s’ deleted.", name=name))
        return redirect(url_for("console.peer_groups"))
    return render_template("console/peer_group_delete.html", group=group, form=form)
