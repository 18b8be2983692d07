"""Dates, in one place: reading them as documents write them (ISO 8601, RFC 2822, datetimes) into ISO 8601,
and showing or comparing the stored ISO strings (in words, as labels, as epoch seconds for filters)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from email.utils import parsedate_to_datetime


def format_datetime(moment: datetime) -> str:
    # A time without an offset is ambiguous; the day is the part that can be trusted.
    return moment.isoformat(timespec="seconds") if moment.tzinfo else moment.date().isoformat()


def iso_date(value: object) -> str | None:
    """A date-like value (datetime, date or string in a common format) -> ISO 8601, or None."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return format_datetime(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return format_datetime(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})(?!\d)", text)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    return None


def parse_iso(iso: str | None) -> datetime | None:
    """A stored ISO 8601 date or time, or None when there is none or it cannot be read."""
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def in_words(iso: str | None) -> str | None:
    """``2025-08-11T19:11:00+03:00`` as ``11 August 2025`` (how documents and questions write dates)."""
    moment = parse_iso(iso)
    return f"{moment.day} {moment:%B %Y}" if moment else None


def epoch_seconds(moment: date | datetime | str, *, end_of_day: bool = False) -> int:
    """Seconds since the epoch (what Chroma's numeric filters compare); a day counts from its start, or
    to its end with ``end_of_day``; no time zone means UTC; an unreadable string is 0."""
    if isinstance(moment, str):
        moment = parse_iso(moment) or datetime.fromtimestamp(0, timezone.utc)
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.max if end_of_day else time.min)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())
