"""The results page as an A4 PDF, in English or Welsh, to send to councillors and boards.

WeasyPrint lays out the results page's own section templates (dashboard/report/) under a
cover and print styles, so a section added to the page is in the PDF too. Rendering
fetches nothing from the network: the only resources it may load are the app's own
static files, read from disk (pdf_writer.py).
"""
from __future__ import annotations

import re
from datetime import date

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.access import signed_in, visible_campaign
from ..i18n import LANGUAGES, LOCALES, current_language
from ..results.report import ReportError
from .results import results_context
from .views import bp


def page_counter(text: str) -> str:
    """A translated "Page 3 of 12", with `%(page)s` and `%(pages)s` where the numbers go,
    as the value of a CSS `content` property: 'Tudalen ' counter(page) ' o ' counter(pages)."""
    pieces = []
    for part in text.replace("%(pages)s", "\0pages\0").replace("%(page)s", "\0page\0").split("\0"):
        if part in ("page", "pages"):
            pieces.append(f"counter({part})")
        elif part:
            pieces.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(pieces)


#: matplotlib names every group in a chart (figure_1, axes_1, line2d_3, ...), the same in
#: each chart; nothing refers to them, and a PDF's names must be unique
_CHART_GROUP_ID = re.compile(r'(<g\b[^>]*?)\s+id="[^"]*"')


#: an A4 page's text column (210 mm less 2 x 16 mm margins) in CSS px, and the tallest a
#: chart may be drawn on it (px), leaving room for its heading and caption
COLUMN_PX = 178 / 25.4 * 96
TALLEST_CHART_PX = 880
#: a chart is never drawn larger than on a desktop column of this width (px)
WIDEST_COLUMN_PX = 760
#: an SVG chart drawn in the page's units: as wide as its column, as tall as its rows
_FLUID_SVG = re.compile(r'<svg\b(?![^>]*\bviewBox=)([^>]*?)\swidth="100%"([^>]*?)\sheight="(\d+(?:\.\d+)?)"')


#: a chart's title and description (charts.py): a tagged PDF's text alternative of a figure
#: is its SVG <title> alone, so the PDF's title carries the description too
_TITLE_AND_DESC = re.compile(r'(<title\b[^>]*>)([^<]*)(</title>\s*<desc\b[^>]*>)([^<]*)(</desc>)')


def described_charts(html: str) -> str:
    """Each chart's <title> followed by its <desc>, so that the PDF's text alternative of
    the chart says what it shows, not only its name."""
    return _TITLE_AND_DESC.sub(lambda m: f"{m[1]}{m[2]}: {m[4]}{m[3]}{m[4]}{m[5]}", html)


def fit_charts(html: str) -> str:
    """Charts drawn for the screen (width 100%, a height in px, text in px) fitted to the
    page: each is given a viewBox as if drawn on a column wide enough that it scales to the
    page's column no taller than TALLEST_CHART_PX, so a chart of twenty factors fits on one
    page (an image cannot be split across two) with its text shrunk in proportion."""
    def fitted(m: re.Match) -> str:
        height = float(m.group(3))
        width = max(WIDEST_COLUMN_PX, height * COLUMN_PX / TALLEST_CHART_PX)
        return (f'<svg{m.group(1)} width="100%"{m.group(2)} viewBox="0 0 {width:.0f} {height:.0f}" '
                f'preserveAspectRatio="xMinYMin meet"')
    return _FLUID_SVG.sub(fitted, html)


def report_html(campaign, language: str, args=None) -> str:
    """The report as HTML in `language` ("en" or "cy"), in a request context (the
    templates build links). Raises ReportError for a bad breakdown (`args["by"]`)."""
    with force_locale(LOCALES[language]):
        context = results_context(campaign, language, args or {})
        # without %-formatting: the placeholders become CSS counters
        counter = page_counter(_("Page %(number)s of %(total)s", number="%(page)s", total="%(pages)s"))
        html = render_template(context["pdf_template"], for_print=True, page_counter=counter,
                               produced=date.today(), **context)
    return fit_charts(described_charts(_CHART_GROUP_ID.sub(r"\1", html)))


def report_pdf(campaign, language: str, args=None) -> bytes:
    """The report as PDF bytes (see report_html)."""
    from .pdf_writer import write_pdf  # WeasyPrint loads Pango: only when a report is written

    html = report_html(campaign, language, args)
    return write_pdf(html, base_url=request.host_url, static_url_path=current_app.static_url_path,
                     static_folder=current_app.static_folder)


def report_filename(campaign, language: str) -> str:
    """user-satisfaction-2026-27-W2601-report-cy.pdf"""
    code = campaign.code.replace("(P)", "P")
    return f"{campaign.questionnaire}-{campaign.year_file_label}-{code}-report-{language}.pdf"


@bp.app_template_global("report_url")
def report_url(campaign_id: int, language: str) -> str:
    """The PDF of the results page being shown: its query arguments (the breakdown, and
    whatever else chooses what the page shows) carried over, the page's language switch not."""
    # (url_for reads _external, _scheme, _anchor ... as its own options: never from the query)
    args = {k: v for k, v in request.args.items()
            if k not in ("lang", "language", "campaign_id") and not k.startswith("_")}
    return url_for("dashboard.report", campaign_id=campaign_id, language=language, **args)


@bp.route("/campaigns/<int:campaign_id>/report.pdf")
@signed_in
def report(campaign_id: int):
    """The results page as a PDF: ?language=en|cy (default: the page's language), ?by= as the page."""
    campaign = visible_campaign(campaign_id)
    language = request.args.get("language") or current_language()
    if language not in LANGUAGES:
        abort(404)
    try:
        data = report_pdf(campaign, language, request.args)
    except ReportError:
        abort(404)
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{report_filename(campaign, language)}"',
        "Cache-Control": "no-store"})
