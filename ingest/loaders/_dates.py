"""Dates as loaders find them (datetimes, dates, ISO 8601 or RFC 2822 strings) -> ISO 8601."""

from __future__ import annotations

import re
from datetime import date, datetime
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
