"""Roster jobs: reminders of certificate expiry and refresher training, and the
anonymisation of experts who left (both daily, registered in ``RosterConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.core.types import SYSTEM
from cicte.ops.jobs import JobContext, job
from cicte.ops.tasks import mail_enqueue

CERTIFICATE_DAYS = 60
REFRESHER_DAYS = 30


def due_reminders(today: dt.date) -> dict[str, list[str]]:
    """Per expert e-mail: the lines to remind (certificates expiring within 60 days,
    refreshers due within 30, each once). Item names only, never sensitive data."""
    from cicte.roster.models import Certification, ExpertStatus, Training

    lines: dict[str, list[str]] = {}
    certs = Certification.objects.filter(
        expert__status=ExpertStatus.ACTIVE,
        expires_on__isnull=False,
        expires_on__lte=today + dt.timedelta(days=CERTIFICATE_DAYS),
        reminded_on__isnull=True,
    ).select_related("expert")
    for cert in certs:
        lines.setdefault(cert.expert.email, []).append(
            _("Certification “%(name)s” expires on %(date)s.")
            % {"name": cert.name, "date": cert.expires_on.isoformat()}  # type: ignore[union-attr]
        )
    trainings = Training.objects.filter(
        expert__status=ExpertStatus.ACTIVE,
        refresher_due__isnull=False,
        refresher_due__lte=today + dt.timedelta(days=REFRESHER_DAYS),
        reminded_on__isnull=True,
    ).select_related("expert")
    for item in trainings:
        lines.setdefault(item.expert.email, []).append(
            _("Refresher training for “%(title)s” is due on %(date)s.")
            % {"title": item.title, "date": item.refresher_due.isoformat()}  # type: ignore[union-attr]
        )
    certs.update(reminded_on=today)
    trainings.update(reminded_on=today)
    return lines


@job(max_attempts=1)
def send_reminders(ctx: JobContext) -> None:
    with ctx.side_effects():
        lines = due_reminders(timezone.localdate())
        for email, items in lines.items():
            mail_enqueue(
                subject=_("CICTE expert roster: reminders"),
                body="\n".join(items) + "\n",
                to=[email],
            )
    ctx.result(message=f"{len(lines)} reminder e-mails queued.")


@job(max_attempts=1)
def anonymise_leavers(ctx: JobContext) -> None:
    from cicte.roster.services import anonymise_due

    with ctx.side_effects():
        done = anonymise_due(actor=SYSTEM)
    ctx.result(message=f"{len(done)} experts anonymised.")
