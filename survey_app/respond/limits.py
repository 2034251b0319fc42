"""How large a body the respondent's pages take: their largest legitimate form, with room
to spare, and no more (the console's uploads keep MAX_CONTENT_LENGTH).

A browser sends a page's form URL-encoded: the hidden fields, the button pressed, and a
name=value pair for each answer (each ticked box of a multiple choice is a pair of its
own). The biggest by far is free text: a character is at most 4 bytes of UTF-8 and each
byte is sent as %XX, so up to 12 bytes a character (a new line, CR LF, is 6). A text box
is allowed twice that for its longest answer, so that text pasted well over the limit
still comes back with its message and the text kept (row 10 of the hardening issue)
rather than being refused whole: the comments page of each questionnaire in
questionnaires/ (one box of 2,000 characters) takes 56,704 bytes, every other page
under 20 kB.
"""
from __future__ import annotations

from flask import abort, request

from questionnaires.model import Page

#: the CSRF token, the items shown, the button, multipart boundaries: well under 2 kB
FORM_ALLOWANCE = 8 * 1024
#: a name=value pair for a choice or a scale point (a multipart part is about 150 bytes)
FIELD_ALLOWANCE = 512
#: the most bytes one character of free text takes once encoded
BYTES_PER_CHARACTER = 12
#: a text box takes this many times its longest answer
TEXT_HEADROOM = 2

#: the forms with no answers in them (Check your answers, Stop reminders)
SMALL_FORM_BYTES = FORM_ALLOWANCE


def page_body_limit(page: Page) -> int:
    """The most bytes a POST of this questionnaire page may carry."""
    size = FORM_ALLOWANCE
    for question in page.questions:
        for item in question.items:
            size += FIELD_ALLOWANCE * max(1, len(item.options))
            if item.type == "text":
                size += TEXT_HEADROOM * BYTES_PER_CHARACTER * (item.max_length or 0)
    return size


def read_form(limit: int) -> None:
    """Read the POSTed form, refusing a body of more than `limit` bytes (413)."""
    request.max_content_length = limit
    request.form  # parsed here: a Content-Length over the limit is refused at once
    if request.content_length is None and getattr(request.stream, "is_exhausted", False):
        # a streamed (chunked) body that reached the limit: Werkzeug stops reading
        # there, so the form would be the body cut short
        abort(413)
