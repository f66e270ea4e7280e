"""What the REFI-QDA export and import share: type names, note-name prefixes, checks."""
from __future__ import annotations

import re
import uuid

ATTR_TO_REFI = {"text": "Text", "integer": "Integer", "float": "Float", "date": "Date", "boolean": "Boolean"}
REFI_TO_ATTR = {"Text": "text", "Integer": "integer", "Float": "float", "Date": "date", "Boolean": "boolean",
                "DateTime": "text"}
ANALYTIC_PREFIX = "Analytic text: "
CONDENSATE_PREFIX = "Condensate: "
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def refi_date(value: str | None) -> str | None:
    """The value when it is an xsd:dateTime, else None."""
    return value if value and _DATETIME.match(value) else None


def is_uuid(value: str | None) -> bool:
    try:
        return value is not None and str(uuid.UUID(value)) == value
    except ValueError:
        return False
