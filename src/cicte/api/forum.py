"""/api/forum/: threads, their posts, communities and the directory, as the caller may see
them (the sharing layer's ``visible_to``); an item the caller may not read is a 404, the
same answer as an item that does not exist."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cicte.api.base import (
    ERRORS,
    SIGNED_IN_AUTH,
    ErrorOut,
    TokenAuth,
    caller,
    not_found,
    require_signed_in,
)
from cicte.forum import selectors, services, taxii
from cicte.sharing import selectors as sharing_selectors
from cicte.sharing.models import Community, SharingOrganisation

router = Router(tags=["forum"])


class ThreadOut(Schema):
    id: int
    title: str
    tlp: str
    pap: str
    audience: str
    community: str
    kind: str
    category: str
    language: str
    locked: bool
    closed: bool
    published_by_host: bool
    organisation: str | None = Field(description="the originator's organisation (the host)")
    summary: str
    recommendations: str
    affected_sectors: list[str]
    affected_countries: list[str]
    created_at: Any
    updated_at: Any


class PostOut(Schema):
    id: int
    thread: int
    tlp: str
    audience: str
    body: str
    body_html: str
    author: str
    organisation: str | None
    created_at: Any
    attachments: list[str]


class ThreadFilters(Schema):
    q: str = Field("", max_length=200)
    community: str = Field("", max_length=60)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ThreadPageOut(Schema):
    total: int
    items: list[ThreadOut]


class ThreadIn(Schema):
    community: str = Field(description="the community's short name")
    title: str
    body: str
    tlp: str
    audience: str
    organisations: list[int] = []
    people: list[int] = []
    pap: str = ""
    kind: str = "discussion"
    category: str = "other"
    language: str = "en"
    summary: str = ""
    recommendations: str = ""
    affected_sectors: list[str] = Field([], description="sector codes, e.g. finance")
    affected_countries: list[str] = Field([], description="ISO 3166 alpha-3 codes, e.g. PAN")


class PostIn(Schema):
    body: str
    tlp: str | None = None
    audience: str | None = None
    organisations: list[int] | None = None
    people: list[int] = []


class MemberOut(Schema):
    name: str
    organisation: str
    role: str


class CommunityOut(Schema):
    slug: str
    name: str
    kind: str
    sector: str
    default_tlp: str
    policy: str
    hidden_membership: bool
    member_count: int
    members: list[MemberOut] | None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    sector: str
    contact: dict[str, str] | None
    key_warning: str


def _thread_out(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "title": t.title,
        "tlp": t.tlp,
        "pap": t.pap,
        "audience": t.audience_kind,
        "community": t.community.slug,
        "kind": t.kind,
        "category": t.category,
        "language": t.language,
        "locked": t.locked,
        "closed": t.closed,
        "published_by_host": t.published_by_host,
        "organisation": t.originator_organisation.name if t.originator_organisation else None,
        "summary": t.summary,
        "recommendations": t.recommendations,
        "affected_sectors": [c for c in t.affected_sectors.split(",") if c],
        "affected_countries": [c for c in t.affected_countries.split(",") if c],
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    }


def _post_out(p: Any) -> dict[str, Any]:
    # A submission the host published: its opening message is the host's, by name.
    by_host = p.thread.published_by_host and p.originator_id == p.thread.originator_id
    return {
        "id": p.pk,
        "thread": p.thread_id,
        "tlp": p.tlp,
        "audience": p.audience_kind,
        "body": p.body,
        "body_html": p.body_html,
        "author": p.originator_organisation.name
        if by_host and p.originator_organisation
        else p.originator.get_username(),
        "organisation": p.originator_organisation.name if p.originator_organisation else None,
        "created_at": p.created_at,
        "attachments": [a.get_absolute_url() for a in p.attachments.all()],
    }


def _thread(request: HttpRequest, pk: int) -> Any:
    thread = selectors.thread_for(caller(request), pk)
    if thread is None:
        raise not_found("No such thread.")
    return thread


@router.get("/forum/threads", response={200: ThreadPageOut, **ERRORS}, summary="Threads")
def thread_list(request: HttpRequest, filters: Query[ThreadFilters]) -> dict[str, Any]:
    """Threads the caller may read (``q``: words to find, accents ignored; any other
    character is ignored, so a query is never SQL or full-text syntax)."""
    actor = caller(request)
    threads = selectors.search(actor, filters.q) if filters.q else selectors.threads_for(actor)
    if filters.community:
        threads = threads.filter(community__slug=filters.community)
    end = filters.offset + filters.limit
    return {
        "total": threads.count(),
        "items": [_thread_out(t) for t in threads[filters.offset : end]],
    }


@router.post(
    "/forum/threads",
    response={201: ThreadOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Start a thread",
)
def thread_create(request: HttpRequest, payload: ThreadIn) -> Status[dict[str, Any]]:
    actor = require_signed_in(request)
    space = Community.objects.filter(slug=payload.community).first()
    if space is None:
        raise not_found("No such community.")
    thread = services.thread_create(
        actor=actor,
        community=space,
        title=payload.title,
        body=payload.body,
        tlp=payload.tlp,
        audience_kind=payload.audience,
        organisations=list(SharingOrganisation.objects.filter(pk__in=payload.organisations)),
        people=_people(payload.people),
        pap=payload.pap,
        kind=payload.kind,
        category=payload.category,
        language=payload.language,
        summary=payload.summary,
        recommendations=payload.recommendations,
        affected_sectors=payload.affected_sectors,
        affected_countries=payload.affected_countries,
    )
    return Status(201, _thread_out(thread))


def _people(ids: list[int]) -> list[Any]:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=ids))


@router.get("/forum/threads/{pk}", response={200: ThreadOut, **ERRORS}, summary="One thread")
def thread_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _thread_out(_thread(request, pk))


@router.get(
    "/forum/threads/{pk}/posts", response={200: list[PostOut], **ERRORS}, summary="Its posts"
)
def post_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    thread = _thread(request, pk)
    return [_post_out(p) for p in selectors.posts_for(caller(request), thread)]


@router.post(
    "/forum/threads/{pk}/posts",
    response={201: PostOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Reply",
)
def post_create(request: HttpRequest, pk: int, payload: PostIn) -> Status[dict[str, Any]]:
    actor = require_signed_in(request)
    thread = _thread(request, pk)
    organisations = (
        list(SharingOrganisation.objects.filter(pk__in=payload.organisations))
        if payload.organisations is not None
        else None
    )
    post = services.post_create(
        actor=actor,
        thread=thread,
        body=payload.body,
        tlp=payload.tlp,
        audience_kind=payload.audience,
        organisations=organisations,
        people=_people(payload.people),
    )
    return Status(201, _post_out(post))


@router.get(
    "/forum/communities", response={200: list[CommunityOut], **ERRORS}, summary="Communities"
)
def community_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every community with its member count; member names only where the caller may see
    them (never for hidden membership, unless the caller manages communities)."""
    rows = []
    for view in sharing_selectors.communities_for(caller(request)):
        c = view.community
        rows.append(
            {
                "slug": c.slug,
                "name": c.name,
                "kind": c.kind,
                "sector": c.sector,
                "default_tlp": c.default_tlp,
                "policy": c.policy,
                "hidden_membership": c.hidden_membership,
                "member_count": view.member_count,
                "members": [m.__dict__ for m in view.members] if view.members is not None else None,
            }
        )
    return rows


@router.get(
    "/forum/organisations",
    response={200: list[OrganisationOut], **ERRORS},
    summary="The directory",
)
def organisation_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Vetted members see every organisation with contact data and key; others the names of
    the organisations listed publicly."""
    return [
        {"id": row.pk, **{k: v for k, v in row.__dict__.items() if k != "pk"}}
        for row in sharing_selectors.organisations_for(caller(request))
    ]


# --- TAXII 2.1 (read-only): /api/taxii2/ -----------------------------------------------------
# Answers are ``application/taxii+json;version=2.1`` (the schemas below describe them);
# errors have the API's shape. The caller's API token is required; a collection the caller
# may not read answers 404, exactly like one that does not exist.

taxii_router = Router(tags=["taxii"])
TAXII_AUTH = [TokenAuth()]
_TAXII_NOTE = f" Media type: `{taxii.MEDIA_TYPE}`."


class TaxiiDiscoveryOut(Schema):
    title: str
    default: str
    api_roots: list[str]


class TaxiiApiRootOut(Schema):
    title: str
    versions: list[str]
    max_content_length: int


class TaxiiCollectionOut(Schema):
    id: str
    title: str
    description: str
    can_read: bool
    can_write: bool
    media_types: list[str]


class TaxiiCollectionsOut(Schema):
    collections: list[TaxiiCollectionOut]


class TaxiiEnvelopeOut(Schema):
    more: bool
    objects: list[dict[str, Any]] = Field(
        description="STIX 2.1 objects: marking definitions, identities, reports, notes"
    )


# Errors have the API's shape ({"error": {...}}), like every other /api/ route.
TAXII_ERRORS = {401: ErrorOut, 404: ErrorOut}


@taxii_router.get(
    "/taxii2/",
    response={200: TaxiiDiscoveryOut, **TAXII_ERRORS},
    auth=TAXII_AUTH,
    summary="TAXII discovery",
    description="The server's API roots (also served at /taxii2/)." + _TAXII_NOTE,
)
def taxii_discovery(request: HttpRequest) -> HttpResponse:
    return taxii.discovery_response(request)


@taxii_router.get(
    "/taxii2/root/",
    response={200: TaxiiApiRootOut, **TAXII_ERRORS},
    auth=TAXII_AUTH,
    summary="TAXII API root",
    description="The one API root." + _TAXII_NOTE,
)
def taxii_api_root(request: HttpRequest) -> HttpResponse:
    return taxii.api_root_response(request)


@taxii_router.get(
    "/taxii2/root/collections/",
    response={200: TaxiiCollectionsOut, **TAXII_ERRORS},
    auth=TAXII_AUTH,
    summary="TAXII collections",
    description="One collection per community the caller is a member of." + _TAXII_NOTE,
)
def taxii_collections(request: HttpRequest) -> HttpResponse:
    return taxii.collections_response(request, caller(request))


@taxii_router.get(
    "/taxii2/root/collections/{collection}/",
    response={200: TaxiiCollectionOut, **TAXII_ERRORS},
    auth=TAXII_AUTH,
    summary="TAXII collection",
    description="404 for a collection the caller may not read, as for one that does not "
    "exist." + _TAXII_NOTE,
)
def taxii_collection(request: HttpRequest, collection: str) -> HttpResponse:
    answer = taxii.collection_response(request, caller(request), collection)
    if answer is None:
        raise not_found("No such collection.")
    return answer


@taxii_router.get(
    "/taxii2/root/collections/{collection}/objects/",
    response={200: TaxiiEnvelopeOut, **TAXII_ERRORS},
    auth=TAXII_AUTH,
    summary="TAXII objects",
    description="The STIX objects of the threads the caller may read in the community."
    + _TAXII_NOTE,
)
def taxii_objects(request: HttpRequest, collection: str) -> HttpResponse:
    answer = taxii.objects_response(request, caller(request), collection)
    if answer is None:
        raise not_found("No such collection.")
    return answer
