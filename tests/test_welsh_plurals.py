"""Every Welsh message with a count, at one number of each of the six plural categories
(0, 1, 2, 3, 6 and 4: zero, one, two, few, many, other), as the web says it and, for the
one the emails share, as the emails say it. The expected sentences are written out by hand:
after "2" a noun takes the soft mutation (cwestiwn -> gwestiwn, munud -> funud), after "3"
and "6" the aspirate (cwestiwn -> chwestiwn; m and s do not change)."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from mailer.render import EmailFacts, Renderer
from tests.helpers import TEST_CONFIG
from tests.mailer.mailtools import facts

SAMPLES = (0, 1, 2, 3, 6, 4)
QUESTION = "Cwestiwn"
GROUPS = "Tabled"


def every(sentence: str) -> dict[int, str]:
    """The same words at every number (the noun does not change after any of them)."""
    return {n: sentence.format(n=n) for n in SAMPLES}


#: msgid (the English singular) -> (its placeholders besides the count, Welsh at each sample)
WELSH: dict[str, tuple[dict, dict[int, str]]] = {
    "%(count)s question still needs an answer.": ({}, {
        0: "Mae angen ateb 0 cwestiwn o hyd.",
        1: "Mae angen ateb 1 cwestiwn o hyd.",
        2: "Mae angen ateb 2 gwestiwn o hyd.",
        3: "Mae angen ateb 3 chwestiwn o hyd.",
        6: "Mae angen ateb 6 chwestiwn o hyd.",
        4: "Mae angen ateb 4 cwestiwn o hyd.",
    }),
    "%(count)s group is counted in “Other or too small to show”.": ({}, {
        **{n: f"Mae {n} grŵp wedi'u cyfrif gyda'i gilydd yn “Arall neu'n rhy fach i'w ddangos”." for n in SAMPLES},
        1: "Mae 1 grŵp wedi'i gyfrif yn “Arall neu'n rhy fach i'w ddangos”.",
        2: "Mae 2 rŵp wedi'u cyfrif gyda'i gilydd yn “Arall neu'n rhy fach i'w ddangos”.",
        4: "Mae 4 o grwpiau wedi'u cyfrif gyda'i gilydd yn “Arall neu'n rhy fach i'w ddangos”.",
    }),
    "%(num)d message, newest first": ({}, every("{n} neges, y ddiweddaraf yn gyntaf")),
    "%(num)s campaign": ({}, {0: "0 ymgyrch", 1: "1 ymgyrch", 2: "2 ymgyrch", 3: "3 ymgyrch", 6: "6 ymgyrch",
                              4: "4 o ymgyrchoedd"}),
    "%(num)s response": ({}, {0: "0 ymateb", 1: "1 ymateb", 2: "2 ymateb", 3: "3 ymateb", 6: "6 ymateb",
                              4: "4 o ymatebion"}),
    "A group of fewer than %(count)s person is never shown on its own, and neither is the next smallest group where "
    "it would give the smaller one away, so that no one can tell whether a particular person has answered.": ({}, {
        **every("Nid yw grwpiau o lai na {n} o bobl byth yn cael eu dangos ar eu pen eu hunain, na'r grŵp lleiaf "
                "nesaf chwaith lle byddai'n datgelu grŵp llai, fel na all neb ddweud a yw unigolyn penodol wedi ateb."),
        1: "Nid yw grŵp o lai nag 1 person byth yn cael ei ddangos ar ei ben ei hun, na'r grŵp lleiaf nesaf chwaith "
           "lle byddai'n datgelu'r un llai, fel na all neb ddweud a yw unigolyn penodol wedi ateb.",
    }),
    "Baseline ‘%(label)s’ stored: %(num)d figure.": ({"label": "1999-2004"}, {
        **every("Mae'r llinell sylfaen ‘1999-2004’ wedi'i chadw: {n} ffigur."),
        4: "Mae'r llinell sylfaen ‘1999-2004’ wedi'i chadw: 4 o ffigurau.",
    }),
    "Benchmark over %(num)d organisation, identified by code only.": ({}, {
        **every("Meincnod dros {n} sefydliad, wedi'u nodi drwy eu cod yn unig."),
        1: "Meincnod dros 1 sefydliad, wedi'i nodi drwy ei god yn unig.",
    }),
    "Groups with fewer than %(num)d response are not shown, nor any group whose figures could be worked out "
    "from them.": ({}, every("Ni ddangosir grwpiau â llai na {n} ymateb, nac unrhyw grŵp y gellid cyfrifo ei "
                            "ffigurau ohonynt.")),
    "It takes about %(count)s minute.": ({}, {
        0: "Mae'n cymryd tua 0 munud.",
        1: "Mae'n cymryd tua 1 munud.",
        2: "Mae'n cymryd tua 2 funud.",
        3: "Mae'n cymryd tua 3 munud.",
        6: "Mae'n cymryd tua 6 munud.",
        4: "Mae'n cymryd tua 4 munud.",
    }),
    "Results and comments are shown once at least %(count)s response has been submitted, so that no one's answers "
    "can be picked out.": ({}, {
        **every("Caiff canlyniadau a sylwadau eu dangos unwaith y bydd o leiaf {n} ymateb wedi'u cyflwyno, fel na "
                "ellir dewis atebion unrhyw un."),
        4: "Caiff canlyniadau a sylwadau eu dangos unwaith y bydd o leiaf 4 o ymatebion wedi'u cyflwyno, fel na "
           "ellir dewis atebion unrhyw un.",
    }),
    "Select no more than %(count)s option for ‘%(question)s’": (
        {"question": QUESTION}, every("Dewiswch ddim mwy na {n} opsiwn ar gyfer ‘Cwestiwn’")),
    "The benchmark is the median of %(num)s organisation whose results for %(year)s have been released.": (
        {"year": "2026/27"}, {
            **every("Y meincnod yw canolrif y {n} sefydliad y mae eu canlyniadau ar gyfer 2026/27 wedi'u rhyddhau."),
            1: "Y meincnod yw canolrif yr 1 sefydliad y mae ei ganlyniadau ar gyfer 2026/27 wedi'u rhyddhau.",
            4: "Y meincnod yw canolrif y 4 o sefydliadau y mae eu canlyniadau ar gyfer 2026/27 wedi'u rhyddhau.",
        }),
    "The historical baseline is the benchmark median of an earlier period: %(labels)s.": ({"labels": "1999-2004"}, {
        **every("Y llinellau sylfaen hanesyddol yw canolrifau meincnod cyfnodau cynharach: 1999-2004."),
        1: "Y llinell sylfaen hanesyddol yw canolrif meincnod cyfnod cynharach: 1999-2004.",
    }),
    "Too few responses to show: %(groups)s. Groups with fewer than %(num)s responses are never shown, nor a group "
    "whose figures could be worked out from them.": ({"groups": GROUPS}, {
        **every("Rhy ychydig o ymatebion i'w dangos: Tabled. Ni chaiff grwpiau â llai na {n} ymateb fyth eu "
                "dangos, na grŵp y gellid cyfrifo ei ffigurau ohonynt."),
        1: "Rhy ychydig o ymatebion i'w dangos: Tabled. Ni chaiff grwpiau â llai nag 1 ymateb fyth eu dangos, "
           "na grŵp y gellid cyfrifo ei ffigurau ohonynt.",
        4: "Rhy ychydig o ymatebion i'w dangos: Tabled. Ni chaiff grwpiau â llai na 4 o ymatebion fyth eu "
           "dangos, na grŵp y gellid cyfrifo ei ffigurau ohonynt.",
    }),
    "%(title)s of the %(num)s organisations in the peer group, highest first, by code only.": ({"title": "Ymateb"}, {
        **every("Ymateb y {n} sefydliad yn y grŵp cymheiriaid, yr uchaf yn gyntaf, drwy eu cod yn unig."),
        1: "Ymateb yr 1 sefydliad yn y grŵp cymheiriaid, drwy ei god yn unig.",
        4: "Ymateb y 4 o sefydliadau yn y grŵp cymheiriaid, yr uchaf yn gyntaf, drwy eu cod yn unig.",
    }),
    "Not shown: %(num)s organisation in the group has this figure, too few for a benchmark.": ({}, {
        **every("Heb ei ddangos: mae gan {n} sefydliad yn y grŵp y ffigur hwn, sy'n rhy ychydig ar gyfer meincnod."),
        4: "Heb ei ddangos: mae gan 4 o sefydliadau yn y grŵp y ffigur hwn, sy'n rhy ychydig ar gyfer meincnod.",
    }),
    "Peer group: %(group)s, %(num)s organisation in %(year)s. Organisations appear by code only.": (
        {"group": "Pob sefydliad", "year": "2026/27"}, {
            **every("Grŵp cymheiriaid: Pob sefydliad, {n} sefydliad yn 2026/27. Dangosir sefydliadau drwy eu cod "
                    "yn unig."),
            4: "Grŵp cymheiriaid: Pob sefydliad, 4 o sefydliadau yn 2026/27. Dangosir sefydliadau drwy eu cod "
               "yn unig.",
        }),
    "This peer group is too small for a benchmark: a benchmark needs at least %(num)s organisations, so no median "
    "or quartiles are shown. Choose a larger group.": ({}, {
        **every("Mae'r grŵp cymheiriaid hwn yn rhy fach ar gyfer meincnod: mae angen o leiaf {n} sefydliad ar "
                "feincnod, felly ni ddangosir canolrif na chwartelau. Dewiswch grŵp mwy."),
        4: "Mae'r grŵp cymheiriaid hwn yn rhy fach ar gyfer meincnod: mae angen o leiaf 4 o sefydliadau ar "
           "feincnod, felly ni ddangosir canolrif na chwartelau. Dewiswch grŵp mwy.",
    }),
    "%(num)s organisation.": ({}, {**every("{n} sefydliad."), 4: "4 o sefydliadau."}),
    # the Digital Maturity Assessment's results: "datganiad" (statement) takes the soft
    # mutation after 2 (ddatganiad); d does not change after 3 and 6
    "%(answered)s of %(num)s statement answered so far.": ({"answered": "0"}, {
        **every("0 o {n} datganiad wedi'u hateb hyd yma."),
        1: "0 o 1 datganiad wedi'i ateb hyd yma.",
        2: "0 o 2 ddatganiad wedi'u hateb hyd yma.",
        4: "0 o 4 o ddatganiadau wedi'u hateb hyd yma.",
    }),
    "%(percent)s (%(yes)s of %(num)s statement answered Yes)": ({"percent": "0.0%", "yes": "0"}, {
        **every("0.0% (‘Ie’ i 0 o {n} datganiad)"),
        2: "0.0% (‘Ie’ i 0 o 2 ddatganiad)",
        4: "0.0% (‘Ie’ i 0 o 4 o ddatganiadau)",
    }),
    "%(state)s: %(yes)s of %(num)s statement Yes": ({"state": "Yn rhannol", "yes": "1"}, {
        **every("Yn rhannol: ‘Ie’ i 1 o {n} datganiad"),
        2: "Yn rhannol: ‘Ie’ i 1 o 2 ddatganiad",
        4: "Yn rhannol: ‘Ie’ i 1 o 4 o ddatganiadau",
    }),
    "Level %(level)s. To reach layer %(layer)s (%(label)s), %(num)s statement is not answered Yes:": (
        {"level": "3", "layer": "4", "label": "Wedi ymwreiddio"}, {
            **every("Lefel 3. I gyrraedd haen 4 (Wedi ymwreiddio), mae {n} datganiad heb ateb ‘Ie’:"),
            2: "Lefel 3. I gyrraedd haen 4 (Wedi ymwreiddio), mae 2 ddatganiad heb ateb ‘Ie’:",
            4: "Lefel 3. I gyrraedd haen 4 (Wedi ymwreiddio), mae 4 o ddatganiadau heb ateb ‘Ie’:",
        }),
    "A benchmark needs at least %(num)s organisation in the group.": ({}, {
        **every("Mae angen o leiaf {n} sefydliad yn y grŵp ar feincnod."),
        4: "Mae angen o leiaf 4 o sefydliadau yn y grŵp ar feincnod.",
    }),
    "Organisations are shown a benchmark over this group only when at least %(num)s of its organisations has "
    "results.": ({}, every("Dim ond pan fydd gan o leiaf {n} o'i sefydliadau ganlyniadau y dangosir meincnod dros y "
                           "grŵp hwn i sefydliadau.")),
    "%(num)s contributor": ({}, {0: "0 cyfrannwr", 1: "1 cyfrannwr", 2: "2 gyfrannwr", 3: "3 chyfrannwr",
                                 6: "6 chyfrannwr", 4: "4 o gyfranwyr"}),
    "Draft return: %(answered)s of %(count)s statement answered": ({"answered": "0"}, {
        **every("Ffurflen ddrafft: 0 allan o {n} datganiad wedi'u hateb"),
        2: "Ffurflen ddrafft: 0 allan o 2 ddatganiad wedi'u hateb",
        4: "Ffurflen ddrafft: 0 allan o 4 o ddatganiadau wedi'u hateb",
    }),
    # an organisation's return (survey_app/maturity): "datganiad" takes the soft mutation after 2 (d -> dd), and
    # none after 3 and 6 (the aspirate changes only c, p and t)
    "%(answered)s of %(count)s statement answered": ({"answered": "1"}, {
        **every("Atebwyd 1 allan o {n} datganiad"), 2: "Atebwyd 1 allan o 2 ddatganiad",
        4: "Atebwyd 1 allan o 4 o ddatganiadau",
    }),
    "%(count)s not answered": ({}, {**every("{n} heb eu hateb"), 1: "1 heb ei ateb"}),
    "%(count)s statement is not answered.": ({}, {
        **every("Mae {n} datganiad heb eu hateb."), 1: "Mae 1 datganiad heb ei ateb.",
        2: "Mae 2 ddatganiad heb eu hateb.", 4: "Mae 4 o ddatganiadau heb eu hateb.",
    }),
    "I understand that the %(count)s unanswered statement will count as No": ({}, {
        **every("Rwy'n deall y bydd {n} datganiad heb eu hateb yn cyfrif fel Na"),
        1: "Rwy'n deall y bydd 1 datganiad heb ei ateb yn cyfrif fel Na",
        2: "Rwy'n deall y bydd 2 ddatganiad heb eu hateb yn cyfrif fel Na",
        4: "Rwy'n deall y bydd 4 o ddatganiadau heb eu hateb yn cyfrif fel Na",
    }),
    "Your note on ‘%(statement)s’ must be %(max)s characters or fewer: you have %(count)s character too many": (
        {"statement": QUESTION, "max": "1,000"},
        every("Rhaid i'ch nodyn ar ‘Cwestiwn’ fod yn 1,000 o nodau neu lai: mae gennych {n} nod yn ormod")),
    "Your answer to ‘%(question)s’ must be %(max)s characters or fewer: you have %(count)s character too many": (
        {"question": QUESTION, "max": "500"},
        every("Rhaid i'ch ateb i ‘Cwestiwn’ fod yn 500 o nodau neu lai: mae gennych {n} nod yn ormod")),
    "Your answers are confidential. Your organisation sees results only for groups of at least %(count)s response, "
    "and never who answered or whether any one person took part.": ({}, {
        **every("Mae eich atebion yn gyfrinachol. Dim ond canlyniadau ar gyfer grwpiau o {n} ymateb o leiaf y mae "
                "eich sefydliad yn eu gweld, a byth pwy a atebodd nac a gymerodd unrhyw unigolyn ran."),
        4: "Mae eich atebion yn gyfrinachol. Dim ond canlyniadau ar gyfer grwpiau o 4 o ymatebion o leiaf y mae "
           "eich sefydliad yn eu gweld, a byth pwy a atebodd nac a gymerodd unrhyw unigolyn ran.",
    }),
    # the Digital Maturity Assessment (flask scores)
    "Overall maturity level: %(level)s (the median of %(num)d function)": ({"level": "2.5"}, {
        **every("Lefel aeddfedrwydd gyffredinol: 2.5 (canolrif {n} swyddogaeth)"),
        4: "Lefel aeddfedrwydd gyffredinol: 2.5 (canolrif 4 o swyddogaethau)",
    }),
}


def plural_messages(repo_root) -> dict[str, str]:
    """msgid -> msgid_plural of every message with a count in the Welsh catalogue."""
    with open(repo_root / "locales" / "cy" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f, locale="cy")
    return {m.id[0]: m.id[1] for m in catalog if m.id and not isinstance(m.id, str)}


@pytest.fixture(scope="module")
def web():
    """The web app's translations (no database needed: nothing here reads one)."""
    from survey_app import create_app

    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_every_message_with_a_count_is_checked_here(repo_root):
    assert sorted(plural_messages(repo_root)) == sorted(WELSH)


@pytest.mark.parametrize("msgid", sorted(WELSH))
def test_the_web_says_each_plural_form(web, repo_root, msgid):
    from flask_babel import force_locale, ngettext

    plural = plural_messages(repo_root)[msgid]
    values, expected = WELSH[msgid]
    with web.test_request_context(), force_locale("cy"):
        said = {n: ngettext(msgid, plural, n, count=n, **values) for n in SAMPLES}
    assert said == expected


@pytest.fixture(scope="module")
def renderer(repo_root):
    return Renderer(str(repo_root / "locales"))


@pytest.mark.parametrize("minutes", SAMPLES)
def test_emails_say_the_minutes_as_the_web_does(web, renderer, minutes):
    from flask_babel import force_locale, ngettext

    welsh = WELSH["It takes about %(count)s minute."][1][minutes]
    with web.test_request_context(), force_locale("cy"):
        web = ngettext("It takes about %(count)s minute.", "It takes about %(count)s minutes.", minutes,
                       count=minutes)
    assert web == welsh
    email = renderer.render(EmailFacts(**{**facts().__dict__, "minutes": minutes}), "cy+en")
    assert welsh in email.text and f"<p style=\"margin: 0 0 20px 0;\">{welsh}</p>" in email.html
    english = "It takes about 1 minute." if minutes == 1 else f"It takes about {minutes} minutes."
    assert english in email.text and english in email.html
