"""Scoring: pure functions over pandas DataFrames (DESIGN.md, "Definitions").

Nothing here imports Flask or SQLAlchemy. Callers pass plain data:

- an items frame (`items_frame(questionnaire)`): one row per answerable item with its
  type, scale, factor, measure, area and reverse flag;
- an answers frame: one row per stored answer, columns `response_id`, `item_id`, `value`
  (the stored text: "5", "dont_know", "yes", an option value, ...);
- a respondents frame: one row per response, with `response_id` and a column per
  breakdown dimension.

Every function works on whole columns; none loops over answers.
"""
from .aggregate import area_scores, factor_scores, gaps, headline, item_scores, metrics
from .benchmark import bands, benchmark, organisation_trend
from .convert import score_answers, to_seven
from .items import items_frame
from .response_rate import ResponseRate
from .suppression import Breakdown, breakdown, suppress

__all__ = [
    "Breakdown", "ResponseRate", "area_scores", "bands", "benchmark", "breakdown", "factor_scores",
    "gaps", "headline", "item_scores", "items_frame", "metrics", "organisation_trend", "score_answers",
    "suppress", "to_seven",
]
