"""The only place that reads the time. `--nu` / BESLUITROUTE_NU make the CLI act as at a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")

_acting_moment: datetime | None = None


def real_now() -> datetime:
    """The real moment, aware UTC: what history stores as the time of recording."""
    return datetime.now(UTC)


def now() -> datetime:
    """The moment the program acts as, aware UTC (the real time unless overridden)."""
    return _acting_moment if _acting_moment is not None else real_now()


def act_as(moment: datetime | None) -> None:
    """Make `now()` return `moment` (aware) from here on; None restores the real clock."""
    global _acting_moment
    if moment is not None and moment.tzinfo is None:
        raise ValueError("act_as needs an aware datetime")
    _acting_moment = moment.astimezone(UTC) if moment is not None else None


def local(moment: datetime) -> datetime:
    """An aware moment shown in Europe/Amsterdam."""
    return moment.astimezone(TZ)
