"""What each fault found, in the same columns for all, and the summary table."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..common import table
from .client import NO_ANSWER, Answer
from .pages import is_bare_500


@dataclass
class Tally:
    """One fault's figures. None means the figure does not apply to this fault."""

    fault: str
    requests: int | None = 0
    #: answers other than the fault's expected ones, by status ("no answer": none came)
    errors: Counter = field(default_factory=Counter)
    bare_500: int = 0
    submitted: int | None = None
    doubled: int | None = None
    #: told "submitted" but not in the database as sent
    lost: int | None = None
    #: in the database as submitted, but the client saw an error instead of the confirmation
    saved_not_told: int | None = None
    emails_once: int | None = None
    emails_twice: int | None = None
    emails_never: int | None = None
    #: the fault's own figures, in words
    finding: str = ""

    def record(self, answer: Answer, expected: tuple[int, ...]) -> Answer:
        """Count one request and its answer."""
        self.requests += 1
        if answer.status not in expected:
            self.errors[status_label(answer.status)] += 1
        if is_bare_500(answer.status, answer.body):
            self.bare_500 += 1
        return answer

    def errors_text(self) -> str:
        if not self.errors:
            return "0"
        parts = [f"{n} x {status}" for status, n in sorted(self.errors.items())]
        return f"{sum(self.errors.values())} ({', '.join(parts)})"

    def broken(self) -> list[str]:
        """What CI refuses (issue 14, "done when"): answers lost or doubled, emails doubled,
        bare 500s."""
        found = [(self.lost, "answers lost"), (self.doubled, "answers doubled"), (self.emails_twice, "emails doubled"),
                 (self.bare_500, "bare 500s")]
        return [f"{self.fault}: {n} {what}" for n, what in found if n]

    def print(self) -> None:
        if self.requests is not None:
            print(f"  requests sent: {self.requests}; errors seen by clients: {self.errors_text()}; "
                  f"bare 500s: {self.bare_500}", flush=True)
        if self.submitted is not None:
            print(f"  responses submitted: {self.submitted}; doubled: {self.doubled}; lost: {self.lost}; "
                  f"saved but the client saw an error: {self.saved_not_told}")
        if self.emails_once is not None:
            print(f"  emails received once: {self.emails_once}; twice or more: {self.emails_twice}; "
                  f"never: {self.emails_never}")
        print(f"  {self.finding}", flush=True)


def status_label(status: int) -> str:
    return "no answer" if status == NO_ANSWER else str(status)


def _shown(value) -> str:
    return "-" if value is None else str(value)


def summary(tallies: list[Tally]) -> str:
    rows = [["fault", "requests", "client errors", "bare 500", "submitted", "doubled", "lost", "saved, error seen",
             "emails 1/2+/0"]]
    for t in tallies:
        emails = "-" if t.emails_once is None else f"{t.emails_once}/{t.emails_twice}/{t.emails_never}"
        rows.append([t.fault, _shown(t.requests), t.errors_text(), str(t.bare_500), _shown(t.submitted),
                     _shown(t.doubled), _shown(t.lost), _shown(t.saved_not_told), emails])
    findings = "\n".join(f"- {t.fault}: {t.finding}" for t in tallies)
    return f"{table(rows)}\n\n{findings}"
