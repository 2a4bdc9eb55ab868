"""Operations pages: ``/healthz`` for probes, and the background jobs a user started."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cicte.core.tables import table_downloads
from cicte.ops import selectors
from cicte.ops.models import Job


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and the task queue can be read; 503 otherwise. Names
    nothing secret: no versions, hosts or counts of personal data."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        checks["tasks"] = selectors.queue_health()
    except Exception as exc:
        checks["tasks"] = f"error: {type(exc).__name__}"
    ok = all(value == "ok" or value.startswith("ok") for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


def _visible_job(request: HttpRequest, pk: str) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404  # someone else's job: as if it did not exist
    return job


@login_required
@table_downloads
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.jobs_of(user=request.user)
    return render(
        request, "ops/job_list.html", {"jobs": jobs, "refresh": any(not j.finished for j in jobs)}
    )


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = _visible_job(request, pk)
    return render(request, "ops/job_detail.html", {"job": job, "refresh": not job.finished})


@login_required
def job_file(request: HttpRequest, pk: str) -> FileResponse:
    job = _visible_job(request, pk)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )
