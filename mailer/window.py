"""The sending window: mail goes out only between certain hours, on weekdays by default.

Times are handled as aware UTC datetimes everywhere else; the window is defined in local
time (Europe/London by default) so that 08:00 means 08:00 in winter and in summer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class SendWindow:
    timezone: str = "Europe/London"
    start_hour: int = 8
    #: exclusive; 24 means midnight at the end of the day
    end_hour: int = 18
    weekdays_only: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.start_hour < self.end_hour <= 24:
            raise ValueError(f"The sending window must satisfy 0 <= start ({self.start_hour}) "
                             f"< end ({self.end_hour}) <= 24.")
        ZoneInfo(self.timezone)  # fails early on an unknown zone

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        days = "weekdays" if self.weekdays_only else "every day"
        return f"{days} {self.start_hour:02d}:00-{self.end_hour:02d}:00 {self.timezone}"

    def _open_day(self, day) -> bool:
        return not self.weekdays_only or day.weekday() < 5

    def _bounds(self, day) -> tuple[datetime, datetime]:
        start = datetime.combine(day, time(self.start_hour), self.zone)
        if self.end_hour == 24:  # the next local midnight, whatever the clocks did that day
            end = datetime.combine(day + timedelta(days=1), time(0), self.zone)
        else:
            end = datetime.combine(day, time(self.end_hour), self.zone)
        return start.astimezone(timezone.utc), end.astimezone(timezone.utc)

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        if not self._open_day(local.date()):
            return False
        start, end = self._bounds(local.date())
        return start <= moment < end

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself if the window is open then, else the next time it opens."""
        if self.contains(moment):
            return moment
        day = moment.astimezone(self.zone).date()
        for offset in range(0, 8):
            candidate = day + timedelta(days=offset)
            if self._open_day(candidate):
                start, _end = self._bounds(candidate)
                if start > moment:
                    return start
        raise AssertionError("a window that is open at least once a week always has a next opening")

    def last_open_before(self, moment: datetime) -> datetime | None:
        """The start of the last window period that begins at or before `moment`."""
        day = moment.astimezone(self.zone).date()
        for offset in range(0, 8):
            candidate = day - timedelta(days=offset)
            if self._open_day(candidate):
                start, _end = self._bounds(candidate)
                if start <= moment:
                    return start
        return None

    def send_time(self, due: datetime, deadline: datetime) -> datetime | None:
        """When a message due at `due` goes out so that it still arrives before `deadline`:
        the next opening of the window, or, when that would be too late (a last reminder
        due on a Saturday of a campaign closing on Monday), the last opening before `due`.
        None when neither fits."""
        later = self.next_open(due)
        if later < deadline:
            return later
        earlier = self.last_open_before(due)
        return earlier if earlier is not None and earlier < deadline else None
