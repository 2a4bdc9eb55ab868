"""Every write of the strategies database. Each service checks the actor first
(:mod:`cicte.strategies.permissions`), runs in one transaction, writes through
:mod:`cicte.core.audit` (the actor lands in the history) and refuses with a
:class:`StrategyError` naming the field: nothing is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import ApplicationError, NotFound, require
from cicte.core.types import Actor, actor_user
from cicte.core.versioning import check_version
from cicte.sharing.markings import TLP
from cicte.strategies import fetching, files, maturity, permissions, text
from cicte.strategies.models import (
    DocumentKind,
    DocumentStatus,
    FactorRating,
    Jurisdiction,
    JurisdictionKind,
    Language,
    MaturityAssessment,
    Milestone,
    Phase,
    PolicyDocument,
    Review,
    SupportEngagement,
)


class StrategyErrorCode(StrEnum):
    WRONG_STATE = "wrong_state"
    INVALID = "invalid"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    SUPERSEDES_CYCLE = "supersedes_cycle"
    STAGE_OUT_OF_RANGE = "stage_out_of_range"
    UNKNOWN_FACTOR = "unknown_factor"
    NOT_SUBMITTED = "not_submitted"
    EVENT_NOT_COUNTED = "event_not_counted"


class StrategyError(ApplicationError):
    pass


def max_upload_bytes() -> int:
    return int(getattr(settings, "CICTE_STRATEGIES_MAX_ARCHIVE_BYTES", 20 * 1024 * 1024))


# --- jurisdictions -------------------------------------------------------------------------


def jurisdictions_sync(*, actor: Actor) -> int:
    """A jurisdiction for every member state that has none (idempotent); the number made."""
    from cicte.directory.models import MemberState

    require(permissions.can_verify(actor))
    made = 0
    with transaction.atomic():
        for state in MemberState.objects.filter(jurisdiction__isnull=True):
            audit.save(
                Jurisdiction(code=state.code, kind=JurisdictionKind.STATE, member_state=state),
                actor=actor,
            )
            made += 1
    return made


def organisation_create(
    *, actor: Actor, code: str, name_en: str, name_es: str = ""
) -> Jurisdiction:
    require(permissions.can_verify(actor))
    code = (code or "").strip().upper()
    if not code or not (name_en or "").strip():
        raise StrategyError(StrategyErrorCode.INVALID, _("Give a code and a name."), field="code")
    if Jurisdiction.objects.filter(code=code).exists():
        raise StrategyError(
            StrategyErrorCode.INVALID, _("A jurisdiction with this code exists."), field="code"
        )
    jurisdiction = Jurisdiction(
        code=code, kind=JurisdictionKind.ORGANISATION, name_en=name_en.strip(), name_es=name_es
    )
    audit.save(jurisdiction, actor=actor)
    return jurisdiction


def jurisdiction_assign(*, actor: Actor, jurisdiction: Jurisdiction, users: Iterable[Any]) -> None:
    """The Secretariat staff assigned to a jurisdiction (they see its restricted entries)."""
    require(permissions.can_verify(actor))
    with transaction.atomic():
        audit.set_related(jurisdiction, "assigned_staff", users, actor=actor)


# --- documents -----------------------------------------------------------------------------


def _codes(values: Iterable[str], allowed: Sequence[str], field: str) -> str:
    chosen = []
    for value in values:
        code = str(value).strip()
        if not code:
            continue
        if code not in allowed:
            raise StrategyError(
                StrategyErrorCode.INVALID,
                _("Unknown code %(code)s (allowed: %(allowed)s).")
                % {"code": code, "allowed": ", ".join(allowed)},
                field=field,
            )
        if code not in chosen:
            chosen.append(code)
    return "," + ",".join(chosen) + "," if chosen else ""


def _clean_translations(value: dict[str, str] | None) -> dict[str, str]:
    result = {}
    for language, title in (value or {}).items():
        language = str(language).strip().lower()
        title = str(title).strip()
        if not title:
            continue
        if language not in Language.values:
            raise StrategyError(
                StrategyErrorCode.INVALID,
                _("Unknown language %(code)s for a translated title (use en, es, fr, pt, nl).")
                % {"code": language},
                field="translations",
            )
        result[language] = title[:400]
    return result


def _check_supersedes(document: PolicyDocument, predecessor: PolicyDocument | None) -> None:
    if predecessor is None:
        return
    if predecessor.jurisdiction_id != document.jurisdiction_id:
        raise StrategyError(
            StrategyErrorCode.INVALID,
            _("A document can only supersede a document of the same jurisdiction."),
            field="supersedes",
        )
    seen: set[int] = set()
    current: PolicyDocument | None = predecessor
    while current is not None:
        if document.pk is not None and current.pk == document.pk:
            raise StrategyError(
                StrategyErrorCode.SUPERSEDES_CYCLE,
                _("This link would make a cycle: the document would supersede itself."),
                field="supersedes",
            )
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = (
            PolicyDocument.objects.filter(pk=current.supersedes_id).first()
            if current.supersedes_id
            else None
        )


def _validate(document: PolicyDocument) -> None:
    if document.kind not in DocumentKind.values:
        raise StrategyError(StrategyErrorCode.INVALID, _("Choose a kind."), field="kind")
    if document.status not in DocumentStatus.values:
        raise StrategyError(StrategyErrorCode.INVALID, _("Choose a status."), field="status")
    if document.language not in Language.values:
        raise StrategyError(StrategyErrorCode.INVALID, _("Choose a language."), field="language")
    if not (document.title or "").strip():
        raise StrategyError(StrategyErrorCode.INVALID, _("Give the title."), field="title")
    if document.official_url and not document.official_url.startswith(("https://", "http://")):
        raise StrategyError(
            StrategyErrorCode.INVALID,
            _("The official URL must start with https://."),
            field="official_url",
        )
    if document.in_force_on and document.adopted_on and document.in_force_on < document.adopted_on:
        raise StrategyError(
            StrategyErrorCode.INVALID,
            _("The date in force is before the date of adoption."),
            field="in_force_on",
        )


def check_upload(uploaded: Any) -> tuple[str, str, bytes, str]:
    """(extension, content type, bytes, name) of an acceptable archived copy."""
    size = int(getattr(uploaded, "size", 0) or 0)
    limit = max_upload_bytes()
    if size > limit:
        raise StrategyError(
            StrategyErrorCode.FILE_TOO_LARGE,
            _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            field="archive",
        )
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise StrategyError(
            StrategyErrorCode.FILE_TOO_LARGE,
            _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            field="archive",
        )
    name = (getattr(uploaded, "name", "") or "document").replace("\\", "/").split("/")[-1][:200]
    return (*_sniff(content), content, name)


def _sniff(content: bytes) -> tuple[str, str]:
    found = files.sniff_archive(content)
    if found is None:
        raise StrategyError(
            StrategyErrorCode.FILE_TYPE,
            _("Only PDF, DOCX, ODT and HTML copies are accepted (judged by the content)."),
            field="archive",
        )
    return found


def _store_archive(
    document: PolicyDocument, *, extension: str, content_type: str, content: bytes, name: str
) -> None:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    document.archive_file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    document.archive_name = f"{stem or 'document'}.{extension}"
    document.archive_content_type = content_type
    document.archive_size = len(content)
    document.archive_sha256 = hashlib.sha256(content).hexdigest()
    document.extracted_text = text.extract_text(extension, content)


def _marking(document: PolicyDocument) -> str:
    public = document.review == Review.PUBLISHED and document.status != DocumentStatus.DRAFT
    return TLP.CLEAR if public else TLP.AMBER_STRICT


def _save(document: PolicyDocument, actor: Actor, reason: str | None = None) -> None:
    document.tlp = _marking(document)
    audit.save(document, actor=actor, reason=reason)


def document_submit(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    kind: str,
    title: str,
    status: str,
    language: str = "en",
    translations: dict[str, str] | None = None,
    adopted_on: dt.date | None = None,
    in_force_on: dt.date | None = None,
    review_on: dt.date | None = None,
    lead_agency: str = "",
    identifier: str = "",
    version_label: str = "",
    summary: str = "",
    official_url: str = "",
    dimensions: Iterable[str] = (),
    pillars: Iterable[str] = (),
    supersedes: PolicyDocument | None = None,
    archive: Any = None,
    submit: bool = True,
) -> PolicyDocument:
    """A point of contact (their own state only) or the Secretariat submits a new entry; it
    waits for verification (``submit=False``: kept as the state's unsubmitted draft)."""
    if not permissions.can_submit(actor, jurisdiction):
        raise StrategyError(
            StrategyErrorCode.WRONG_STATE,
            _("You may only submit entries for your own member state."),
            field="jurisdiction",
        )
    user = actor_user(actor)
    document = PolicyDocument(
        jurisdiction=jurisdiction,
        kind=kind,
        title=(title or "").strip()[:400],
        status=status,
        language=language,
        translations=_clean_translations(translations),
        adopted_on=adopted_on,
        in_force_on=in_force_on,
        review_on=review_on,
        lead_agency=(lead_agency or "").strip()[:300],
        identifier=(identifier or "").strip()[:200],
        version_label=(version_label or "").strip()[:60],
        summary=summary or "",
        official_url=(official_url or "").strip(),
        dimensions=_codes(dimensions, maturity.dimension_ids(), "dimensions"),
        pillars=_codes(pillars, maturity.pillar_ids(), "pillars"),
        supersedes=supersedes,
        review=Review.SUBMITTED if submit else Review.DRAFT,
        submitted_by=user,
        submitted_at=timezone.now() if submit else None,
    )
    _validate(document)
    _check_supersedes(document, supersedes)
    checked = check_upload(archive) if archive is not None else None
    with transaction.atomic():
        if checked is not None:
            extension, content_type, content, name = checked
            _store_archive(
                document, extension=extension, content_type=content_type, content=content, name=name
            )
        _save(document, actor, reason="submitted" if submit else "draft")
    return document


EDITABLE = (
    "kind",
    "title",
    "status",
    "language",
    "translations",
    "adopted_on",
    "in_force_on",
    "review_on",
    "lead_agency",
    "identifier",
    "version_label",
    "summary",
    "official_url",
    "dimensions",
    "pillars",
    "supersedes",
)


def document_update(
    *,
    actor: Actor,
    document: PolicyDocument,
    version: int | None = None,
    archive: Any = None,
    submit: bool | None = None,
    **changes: Any,
) -> PolicyDocument:
    """Edit an entry. A point of contact's change to a published entry sends it back to
    verification (it leaves the public view until the Secretariat publishes it again)."""
    if not permissions.can_edit_document(actor, document):
        raise StrategyError(
            StrategyErrorCode.WRONG_STATE,
            _("You may only edit entries of your own member state."),
            field="jurisdiction",
        )
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise StrategyError(
            StrategyErrorCode.INVALID, _("Unknown fields: %s") % ", ".join(sorted(unknown))
        )
    checked = check_upload(archive) if archive is not None else None
    with transaction.atomic():
        current = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        check_version(current, version)
        for name, value in changes.items():
            if name == "dimensions":
                value = _codes(value, maturity.dimension_ids(), "dimensions")
            elif name == "pillars":
                value = _codes(value, maturity.pillar_ids(), "pillars")
            elif name == "translations":
                value = _clean_translations(value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(current, name, value)
        _validate(current)
        if "supersedes" in changes:
            _check_supersedes(current, changes["supersedes"])
        if checked is not None:
            extension, content_type, content, name = checked
            _store_archive(
                current, extension=extension, content_type=content_type, content=content, name=name
            )
        if not permissions.can_verify(actor):
            if current.review == Review.PUBLISHED or submit:
                current.review = Review.SUBMITTED
                current.submitted_by = actor_user(actor)
                current.submitted_at = timezone.now()
        elif submit and current.review in (Review.DRAFT, Review.RETURNED):
            current.review = Review.SUBMITTED
            current.submitted_at = timezone.now()
        _save(current, actor, reason="updated")
    return current


def document_show_in_progress(*, actor: Actor, document: PolicyDocument) -> PolicyDocument:
    """The state chooses to show its draft publicly, labelled "In progress" (once
    verified and published)."""
    if not permissions.is_point_of_contact_for(actor, document.jurisdiction) and not (
        permissions.can_verify(actor)
    ):
        raise StrategyError(
            StrategyErrorCode.WRONG_STATE, _("Only the state decides to show its draft.")
        )
    if document.status != DocumentStatus.DRAFT:
        raise StrategyError(
            StrategyErrorCode.INVALID,
            _("Only a draft can be shown as in progress."),
            field="status",
        )
    with transaction.atomic():
        document.status = DocumentStatus.IN_PROGRESS
        _save(document, actor, reason="shown as in progress")
    return document


def document_publish(
    *, actor: Actor, document: PolicyDocument, note: str = "", version: int | None = None
) -> PolicyDocument:
    """The Secretariat verified the source: publish. A published successor marks an adopted
    predecessor superseded."""
    require(permissions.can_verify(actor), _("Only the Secretariat verifies and publishes."))
    with transaction.atomic():
        current = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        check_version(current, version)
        if current.review not in (Review.SUBMITTED, Review.RETURNED):
            raise StrategyError(
                StrategyErrorCode.NOT_SUBMITTED,
                _("Only an entry waiting for verification can be published."),
            )
        current.review = Review.PUBLISHED
        current.verified_by = actor_user(actor)
        current.verified_at = timezone.now()
        current.verification_note = (note or "").strip()
        _save(current, actor, reason="verified and published")
        predecessor = current.supersedes
        if (
            predecessor is not None
            and current.status in (DocumentStatus.ADOPTED, DocumentStatus.IN_FORCE)
            and predecessor.status in (DocumentStatus.ADOPTED, DocumentStatus.IN_FORCE)
        ):
            predecessor.status = DocumentStatus.SUPERSEDED
            _save(predecessor, actor, reason=f"superseded by document {current.pk}")
    return current


def document_return(*, actor: Actor, document: PolicyDocument, note: str) -> PolicyDocument:
    """Send an entry back to the point of contact with what to fix."""
    require(permissions.can_verify(actor), _("Only the Secretariat verifies and publishes."))
    if not (note or "").strip():
        raise StrategyError(StrategyErrorCode.INVALID, _("Say what must be fixed."), field="note")
    with transaction.atomic():
        current = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if current.review not in (Review.SUBMITTED, Review.PUBLISHED):
            raise StrategyError(
                StrategyErrorCode.NOT_SUBMITTED, _("This entry is not waiting for verification.")
            )
        current.review = Review.RETURNED
        current.verification_note = note.strip()
        _save(current, actor, reason="returned")
    return current


def document_archive_url(*, actor: Actor, document: PolicyDocument, url: str) -> PolicyDocument:
    """Archive the official copy from an allowed host (:mod:`cicte.strategies.fetching`)."""
    if not permissions.can_edit_document(actor, document):
        raise StrategyError(
            StrategyErrorCode.WRONG_STATE,
            _("You may only edit entries of your own member state."),
            field="jurisdiction",
        )
    try:
        fetched = fetching.fetch(url)
    except fetching.FetchRefused as exc:
        raise StrategyError(exc.code, str(exc), field="archive_url") from None
    extension, content_type = _sniff(fetched.content)
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "document"
    with transaction.atomic():
        current = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        _store_archive(
            current,
            extension=extension,
            content_type=content_type,
            content=fetched.content,
            name=name,
        )
        current.archive_source_url = url
        current.archive_fetched_at = timezone.now()
        if not permissions.can_verify(actor) and current.review == Review.PUBLISHED:
            current.review = Review.SUBMITTED
        _save(current, actor, reason="archived from URL")
    return current


# --- maturity assessments ------------------------------------------------------------------


def assessment_create(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    assessed_on: dt.date,
    assessor: str = "",
    summary: str = "",
    assessors: Iterable[Any] = (),
) -> MaturityAssessment:
    require(
        permissions.can_assess(actor, jurisdiction),
        _("Only Secretariat staff assigned to this jurisdiction enter assessments."),
    )
    if assessed_on is None:
        raise StrategyError(StrategyErrorCode.INVALID, _("Give the date."), field="assessed_on")
    with transaction.atomic():
        assessment = MaturityAssessment(
            jurisdiction=jurisdiction,
            model_id=maturity.MODEL_ID,
            assessed_on=assessed_on,
            assessor=(assessor or "").strip()[:300],
            summary=summary or "",
            created_by=actor_user(actor),
        )
        audit.save(assessment, actor=actor)
        people = list(assessors)
        if people:
            audit.set_related(assessment, "assessors", people, actor=actor)
    return assessment


def ratings_set(
    *, actor: Actor, assessment: MaturityAssessment, ratings: Sequence[dict[str, Any]]
) -> list[FactorRating]:
    """Enter a stage per factor with its evidence and date (all or nothing). Each rating:
    ``{"factor": "D1.1", "stage": 3, "evidence": "...", "rated_on": date | None}``."""
    require(permissions.can_rate(actor, assessment), _("You may not rate this assessment."))
    model = maturity.model()
    checked = []
    for rating in ratings:
        code = str(rating.get("factor", "")).strip()
        if model.factor(code) is None:
            raise StrategyError(
                StrategyErrorCode.UNKNOWN_FACTOR,
                _("Unknown factor %(code)s of the %(model)s.")
                % {"code": code, "model": model.name},
                field="factor",
            )
        try:
            stage = maturity.check_stage(rating.get("stage"))
        except maturity.StageOutOfRange as exc:
            raise StrategyError(
                StrategyErrorCode.STAGE_OUT_OF_RANGE, f"{code}: {exc}", field=f"stage_{code}"
            ) from None
        checked.append((code, stage, str(rating.get("evidence") or ""), rating.get("rated_on")))
    saved = []
    with transaction.atomic():
        existing = {r.factor: r for r in assessment.ratings.all()}
        for code, stage, evidence, rated_on in checked:
            row = existing.get(code) or FactorRating(assessment=assessment, factor=code)
            row.stage, row.evidence, row.rated_on = stage, evidence, rated_on
            audit.save(row, actor=actor)
            saved.append(row)
        audit.save(assessment, actor=actor, reason="ratings")
    return saved


def assessment_consent(
    *, actor: Actor, assessment: MaturityAssessment, consent: bool
) -> MaturityAssessment:
    """The state consents to publication (the chart appears on the public profile), or
    withdraws its consent (it disappears at once)."""
    require(
        permissions.can_consent(actor, assessment),
        _("Only the state's points of contact (or the Secretariat, recording it) decide."),
    )
    with transaction.atomic():
        assessment.consent = bool(consent)
        assessment.consent_by = actor_user(actor)
        assessment.consent_at = timezone.now()
        assessment.tlp = TLP.CLEAR if consent else TLP.AMBER_STRICT
        audit.save(assessment, actor=actor, reason="consent" if consent else "consent withdrawn")
    return assessment


# --- support engagements -------------------------------------------------------------------


def engagement_create(
    *, actor: Actor, request: Any, title: str = "", experts: Iterable[Any] = ()
) -> SupportEngagement:
    """Strategy support on a member state's request for assistance."""
    require(permissions.can_manage_engagements(actor), _("Only the Secretariat manages support."))
    jurisdiction = Jurisdiction.objects.filter(member_state_id=request.member_state_id).first()
    if jurisdiction is None:
        raise NotFound("not_found", _("The request's member state has no jurisdiction."))
    if SupportEngagement.objects.filter(request=request).exists():
        raise StrategyError(
            StrategyErrorCode.INVALID,
            _("This request already has a support engagement."),
            field="request",
        )
    with transaction.atomic():
        engagement = SupportEngagement(
            jurisdiction=jurisdiction,
            request=request,
            title=(title or request.title).strip()[:300],
        )
        audit.save(engagement, actor=actor)
        people = list(experts)
        if people:
            audit.set_related(engagement, "experts", people, actor=actor)
    return engagement


def milestone_add(
    *, actor: Actor, engagement: SupportEngagement, phase: str, event: Any, note: str = ""
) -> Milestone:
    """A milestone (drafting workshop, validation, adoption…) on a delivery event that
    counts toward the plan's targets; the event is also linked to the request."""
    require(permissions.can_manage_engagements(actor), _("Only the Secretariat manages support."))
    if phase not in Phase.values:
        raise StrategyError(StrategyErrorCode.INVALID, _("Choose a milestone."), field="phase")
    if event is None:
        raise StrategyError(StrategyErrorCode.INVALID, _("Choose the event."), field="event")
    if not event.contributions.exists():
        raise StrategyError(
            StrategyErrorCode.EVENT_NOT_COUNTED,
            _("The event counts toward no target of the plan: link it to a target first."),
            field="event",
        )
    if Milestone.objects.filter(engagement=engagement, phase=phase, event=event).exists():
        raise StrategyError(
            StrategyErrorCode.INVALID, _("This milestone is already recorded."), field="event"
        )
    with transaction.atomic():
        milestone = Milestone(engagement=engagement, phase=phase, event=event, note=note or "")
        audit.save(milestone, actor=actor)
        request = engagement.request
        linked = list(request.events.all())
        if event not in linked:
            audit.set_related(request, "events", [*linked, event], actor=actor)
    return milestone


def engagement_set_document(
    *, actor: Actor, engagement: SupportEngagement, document: PolicyDocument | None
) -> SupportEngagement:
    require(permissions.can_manage_engagements(actor), _("Only the Secretariat manages support."))
    if document is not None and document.jurisdiction_id != engagement.jurisdiction_id:
        raise StrategyError(
            StrategyErrorCode.INVALID,
            _("The document belongs to another jurisdiction."),
            field="document",
        )
    with transaction.atomic():
        engagement.document = document
        audit.save(engagement, actor=actor)
    return engagement


# --- bulk import ---------------------------------------------------------------------------


class ImportFailed(StrategyError):
    """Rows with errors: nothing was written (``details``: one line per problem)."""


def documents_import(
    *,
    actor: Actor,
    rows: Sequence[Any],
    parse_errors: Sequence[Any] = (),
    publish: bool = False,
    dry_run: bool = False,
) -> list[PolicyDocument]:
    """Load parsed rows (``parsing.table.StrategyRow``) all or nothing: any problem in any row
    (``parse_errors`` included) and nothing is written. ``publish``: the operator verified
    the sources, the entries are published at once; otherwise they wait for verification."""
    require(permissions.can_verify(actor), _("Only the Secretariat imports."))
    errors = [str(e) for e in parse_errors]
    created: list[PolicyDocument] = []
    with transaction.atomic():
        jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        by_identifier: dict[tuple[str, str], PolicyDocument] = {
            (d.jurisdiction.code, d.identifier): d
            for d in PolicyDocument.objects.exclude(identifier="").select_related("jurisdiction")
        }
        for row in _predecessors_first(rows):
            jurisdiction = jurisdictions.get(row.jurisdiction)
            if jurisdiction is None:
                errors.append(
                    f"row {row.row}: jurisdiction: unknown code {row.jurisdiction} "
                    "(an ISO 3166 alpha-3 code of a member state, or an organisation's code)"
                )
                continue
            predecessor = None
            if row.supersedes:
                predecessor = by_identifier.get((row.jurisdiction, row.supersedes))
                if predecessor is None:
                    errors.append(
                        f"row {row.row}: supersedes: no document {row.supersedes} of "
                        f"{row.jurisdiction} (in the database or in the file)"
                    )
                    continue
            try:
                document = document_submit(
                    actor=actor,
                    jurisdiction=jurisdiction,
                    kind=row.kind,
                    title=row.title,
                    status=row.status,
                    language=row.language,
                    translations=row.translations,
                    adopted_on=row.adopted_on,
                    in_force_on=row.in_force_on,
                    review_on=row.review_on,
                    lead_agency=row.lead_agency,
                    identifier=row.identifier,
                    version_label=row.version,
                    summary=row.summary,
                    official_url=row.official_url,
                    dimensions=row.dimensions,
                    pillars=row.pillars,
                    supersedes=predecessor,
                )
                if publish:
                    document = document_publish(actor=actor, document=document, note="imported")
            except ApplicationError as exc:
                errors.append(f"row {row.row}: {exc.field or 'row'}: {exc.message}")
                continue
            created.append(document)
            if row.identifier:
                by_identifier[(row.jurisdiction, row.identifier)] = document
        if errors:
            transaction.set_rollback(True)
            raise ImportFailed(
                StrategyErrorCode.INVALID,
                _("%(count)s problem(s); nothing was imported.") % {"count": len(errors)},
                details=errors,
            )
        if dry_run:
            transaction.set_rollback(True)
    return sorted(created, key=lambda d: d.pk)


def _predecessors_first(rows: Sequence[Any]) -> list[Any]:
    """The rows with every predecessor named in the file before its successor (file order
    otherwise; a cycle keeps file order and fails on the missing predecessor)."""
    in_file = {(r.jurisdiction, r.identifier) for r in rows if r.identifier}
    ordered: list[Any] = []
    placed: set[tuple[str, str]] = set()
    pending = list(rows)
    while pending:
        progress = False
        for row in list(pending):
            wanted = (row.jurisdiction, row.supersedes)
            if not row.supersedes or wanted not in in_file or wanted in placed:
                ordered.append(row)
                pending.remove(row)
                if row.identifier:
                    placed.add((row.jurisdiction, row.identifier))
                progress = True
        if not progress:
            ordered.extend(pending)
            break
    return ordered
