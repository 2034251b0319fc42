"""The items frame: a questionnaire's item metadata as plain data for scoring."""
from __future__ import annotations

import pandas as pd

ITEM_COLUMNS = ["item_id", "position", "question_id", "page_id", "type", "factor", "measure", "area",
                "reverse", "scale_min", "scale_max", "dimension", "text_en", "text_cy"]


def items_frame(questionnaire, **constant_columns) -> pd.DataFrame:
    """One row per item of a questionnaire (any object shaped like
    `questionnaires.model.Questionnaire`), in the questionnaire's order.

    Extra keyword arguments become constant columns, e.g. `questionnaire_version_id=3`
    when answers from several versions are scored together.
    """
    rows = []
    for position, item in enumerate(questionnaire.items):
        rows.append({
            "item_id": item.id,
            "position": position,
            "question_id": item.question_id,
            "page_id": item.page_id,
            "type": item.type,
            "factor": item.factor,
            "measure": item.measure,
            "area": item.area,
            "reverse": bool(item.reverse),
            "scale_min": item.scale.min if item.scale else None,
            "scale_max": item.scale.max if item.scale else None,
            "dimension": item.dimension,
            "text_en": item.text.en,
            "text_cy": item.text.cy,
        })
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    frame["scale_min"] = frame["scale_min"].astype("Float64").astype(float)
    frame["scale_max"] = frame["scale_max"].astype("Float64").astype(float)
    for name, value in constant_columns.items():
        frame[name] = value
    return frame
