"""Valid answers a synthetic respondent gives, worked out again from the participant id,
so that the load client and the database check agree without sharing state."""
from __future__ import annotations

import random

COMMENT = "The laptop is fine; the wifi in the depot drops out most afternoons."


def page_answers(participant_id: int, page) -> dict[str, str]:
    """Form fields (q-<item id>) with a valid answer to every item of a page."""
    return {f"q-{item_id}": value for item_id, value in stored_answers(participant_id, [page]).items()}


def stored_answers(participant_id: int, pages) -> dict[str, str]:
    """item id -> the text the engine stores for these pages' answers (no show_if rules
    in the questionnaires benchmarked, so every item is shown)."""
    out = {}
    for page in pages:
        for question in page.questions:
            for item in question.items:
                rng = random.Random(f"{participant_id}:{item.id}")
                if item.type == "text":
                    out[item.id] = COMMENT
                elif item.type == "scale":
                    choices = [str(p) for p in item.scale.points] + list(item.scale.missing_values)
                    out[item.id] = rng.choice(choices)
                elif item.type == "yes_no":
                    out[item.id] = rng.choice(["yes", "no"])
                elif item.type == "multiple_choice":
                    raise NotImplementedError("no multiple-choice items in the benchmarked questionnaire")
                else:
                    out[item.id] = rng.choice([o.value for o in item.options])
    return out
