"""A thread as STIX 2.1 (a ``report`` with one ``note`` per post, marked with the official
TLP 2.0 marking definition) and as MISP JSON (an event with an ``EventReport``). Both are
built from what the reader may see (``posts_for(actor)``); named people are never exported."""

from __future__ import annotations

import json
import uuid
from typing import Any

import stix2
from pymisp import MISPEvent, MISPEventReport

from cicte.forum.models import Thread
from cicte.forum.selectors import posts_for
from cicte.sharing.stix import MISP_DISTRIBUTION, marking_definition

_NAMESPACE = uuid.UUID("6b1d3f0e-8c1a-4e59-9a57-2f6f0d0c5e11")


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(_NAMESPACE, key)}"


def stix_bundle(actor: Any, thread: Thread) -> str:
    """The thread and the posts ``actor`` may read, as a STIX 2.1 bundle (JSON)."""
    return stix2.Bundle(objects=_stix(actor, thread), allow_custom=True).serialize(pretty=True)


def stix_objects(actor: Any, thread: Thread) -> list[dict[str, Any]]:
    """The same objects as plain JSON dicts (for TAXII envelopes)."""
    return [json.loads(obj.serialize()) for obj in _stix(actor, thread)]


def _stix(actor: Any, thread: Thread) -> list[Any]:
    posts = list(posts_for(actor, thread))
    report_id = _id("report", f"thread-{thread.pk}")
    markings = {thread.tlp: marking_definition(thread.tlp)}
    for post in posts:
        markings.setdefault(post.tlp, marking_definition(post.tlp))
    objects: list[Any] = list(markings.values())
    identity_id = None
    if thread.originator_organisation is not None:
        identity_id = _id("identity", f"organisation-{thread.originator_organisation_id}")
        objects.append(
            stix2.Identity(
                id=identity_id,
                name=thread.originator_organisation.name,
                identity_class="organization",
                created="2020-01-01T00:00:00Z",
                modified="2020-01-01T00:00:00Z",
            )
        )
    note_ids = [_id("note", f"post-{p.pk}") for p in posts]
    for post, note_id in zip(posts, note_ids, strict=True):
        objects.append(
            stix2.Note(
                id=note_id,
                content=post.body,
                object_refs=[report_id],
                created=post.created_at,
                modified=post.created_at,
                object_marking_refs=[marking_definition(post.tlp).id],
                **({"created_by_ref": identity_id} if identity_id else {}),
            )
        )
    objects.append(
        stix2.Report(
            id=report_id,
            name=thread.title,
            description=thread.summary or None,
            report_types=["threat-report"],
            published=thread.created_at,
            created=thread.created_at,
            modified=thread.created_at,
            object_refs=note_ids or [identity_id or report_id],
            object_marking_refs=[markings[thread.tlp].id],
            labels=[f"csirt-americas:{thread.category}"],
            **({"created_by_ref": identity_id} if identity_id else {}),
        )
    )
    return objects


def misp_event(actor: Any, thread: Thread) -> str:
    """The thread as a MISP event (JSON): distribution from the label, the ``tlp:`` and
    ``PAP:`` tags, the posts the reader may see as one Markdown event report."""
    posts = list(posts_for(actor, thread))
    event = MISPEvent()
    event.uuid = str(uuid.uuid5(_NAMESPACE, f"thread-{thread.pk}"))
    event.info = thread.title
    event.distribution = MISP_DISTRIBUTION[thread.tlp]
    event.threat_level_id = 4
    event.analysis = 0
    event.date = thread.created_at.date()
    event.add_tag(f"tlp:{thread.tlp}")
    if thread.pap:
        event.add_tag(f"PAP:{thread.pap.upper()}")
    event.add_tag(f"csirt-americas:{thread.category}")
    report = MISPEventReport()
    report.from_dict(
        name=thread.title,
        content="\n\n---\n\n".join(p.body for p in posts),
        distribution=5,
    )
    event.event_reports.append(report)
    return event.to_json(indent=2)
