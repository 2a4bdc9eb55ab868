"""Writes to delivery data, by concern: :mod:`.events` (record, update, duplicate, status,
delete), :mod:`.attachments` and :mod:`.imports` (spreadsheets). Organization writes live in
:mod:`cicte.directory.services`. The names below are the package's public surface."""

from cicte.delivery.services.attachments import attachment_add, attachment_delete
from cicte.delivery.services.events import (
    CountryRow,
    EventValidationError,
    event_delete,
    event_duplicate,
    event_record,
    event_set_status,
    event_update,
)
from cicte.delivery.services.imports import (
    ImportResult,
    events_delete_matching,
    events_import,
    import_key_for,
)
from cicte.delivery.services.participants import participant_add, participant_delete

__all__ = [
    "CountryRow",
    "EventValidationError",
    "ImportResult",
    "attachment_add",
    "attachment_delete",
    "event_delete",
    "event_duplicate",
    "event_record",
    "event_set_status",
    "event_update",
    "events_delete_matching",
    "events_import",
    "import_key_for",
    "participant_add",
    "participant_delete",
]
