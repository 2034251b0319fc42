"""The response rate sentence and result labels in English and Welsh."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from questionnaires import available
from scoring import ResponseRate
from survey_app.results.labels import group_label, metric_label, response_rate_text


@pytest.mark.parametrize("language, first, second", [
    ("en", "36.0% (1,446 out of 4,014)", "6.4% (20 out of 313)"),
    ("cy", "36.0% (1,446 allan o 4,014)", "6.4% (20 allan o 313)"),
])
def test_response_rate_text(app, language, first, second):
    with force_locale(language):
        assert response_rate_text(ResponseRate(1446, 4014), language) == first
        assert response_rate_text(ResponseRate(20, 313), language) == second


def test_labels_come_from_the_questionnaire_in_the_language(app):
    us = available()["user-satisfaction"]
    row = {"kind": "weight_gap", "factor": "S3", "metric": "S3.weight_gap"}
    with force_locale("cy"):
        assert metric_label(row, us, "cy") == "Bwlch wedi'i bwysoli: Amser segur"
        assert group_label("device", "tablet", us, "cy") == "Llechen"
        assert group_label("device_class", "mobile", us, "cy") == "Ffôn symudol"
        assert group_label("location", "(none)", us, "cy") == "Heb ateb"
    with force_locale("en"):
        assert metric_label(row, us, "en") == "Weight gap: Downtime"
        area = {"kind": "area", "area": "leadership", "metric": "area.leadership"}
        assert metric_label(area, available()["sdma"], "en") == "Digital leadership and culture"
