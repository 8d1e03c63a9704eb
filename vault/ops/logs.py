"""JSON log lines with the request's id, user and firm; long digit runs and emails masked."""

import datetime
import json
import logging
import re
import traceback

from vault.ops.context import current_request, request_fields

# What must never reach a log even by mistake: 14-digit IDs, card and phone numbers (ten digits
# or more, full-width too) and email addresses.
# Shorter numbers are record ids and counts; digits inside a word (a hex id) are not a number.
_DIGITS = re.compile(r"(?<![0-9A-Za-z０-９])[0-9０-９]{10,}(?![0-9A-Za-z０-９])")
# Fields the application sets itself from what it knows (never from a value).
_TRUSTED = {"route", "method"}
# Django's loggers pass the request, whose text holds the path and query: the request id says
# which request it was.
_DROPPED = {"request"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Attributes every LogRecord has; anything else was passed on purpose with `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def scrub(text: str) -> str:
    """Mask digit runs and email addresses in free text."""
    return _EMAIL.sub("[email]", _DIGITS.sub("[digits]", text))


class RequestContextFilter(logging.Filter):
    """Add request_id, user_id and firm_id of the current request to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in request_fields(current_request.get()).items():
            if value is not None and not hasattr(record, key):
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in _DROPPED or key.startswith("_"):
                continue
            if key in _TRUSTED or isinstance(value, int | float | bool):
                entry[key] = value
            else:
                entry[key] = scrub(str(value))
        if record.exc_info:
            # The type and where, not the text: an exception's message can quote a value.
            entry["error"] = record.exc_info[0].__name__
            entry["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(entry, ensure_ascii=False)


def logging_config(formatter: str, *, level: str) -> dict:
    """Return the LOGGING setting: every record to the console, as JSON or as plain text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "vault.ops.logs.RequestContextFilter"}},
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "vault.ops.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["request"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"axes": {"level": "WARNING"}},
    }
