"""The CSIRT forum (3.A.2) and the stakeholder platform (3.A.6): threads, posts, attachments
and advisories, each a :class:`cicte.sharing.models.Shared` item (a TLP 2.0 marking and an
audience that agrees with it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.sharing.models import Shared

#: Fields the audit history never copies (content readable only through ``visible_to``).
CONTENT_FIELDS: dict[str, list[str]] = {
    "thread": [
        "title",
        "summary",
        "recommendations",
        "affected_sectors",
        "affected_countries",
    ],
    "post": ["body", "body_html"],
    "attachment": ["original_name", "file"],
}


class Category(models.TextChoices):
    """The CSIRT Americas taxonomy (misp-taxonomies ``csirt-americas``)."""

    DEFACEMENT = "defacement", _("Defacement")
    MALWARE = "malware", _("Malware")
    DDOS = "ddos", _("Denial of service")
    PHISHING = "phishing", _("Phishing")
    SPAM = "spam", _("Spam")
    BOTNET = "botnet", _("Botnet")
    FASTFLUX = "fastflux", _("Fast flux")
    CRYPTOJACKING = "cryptojacking", _("Cryptojacking")
    XSS = "xss", _("Cross-site scripting")
    SQLI = "sqli", _("SQL injection")
    VULNERABILITY = "vulnerability", _("Vulnerability")
    INFOLEAK = "infoleak", _("Information leak")
    COMPROMISE = "compromise", _("Compromise")
    OTHER = "other", _("Other")


class ThreadKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    QUESTION = "question", _("Question to the community")
    WORKSHOP = "workshop", _("Workshop / symposium")
    ADVISORY = "advisory", _("Advisory")


class Language(models.TextChoices):
    EN = "en", "English"
    ES = "es", "Español"
    PT = "pt", "Português"
    FR = "fr", "Français"


class Thread(Shared):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ThreadKind.choices, default=ThreadKind.DISCUSSION
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    event = models.ForeignKey(
        "delivery.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery event"),
        help_text=_("A workshop or symposium counts toward the plan through its event."),
    )
    # Advisories (3.A.6): what, for whom, what to do.
    summary = models.TextField(_("summary"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    affected_sectors = models.CharField(_("affected sectors"), max_length=300, blank=True)
    affected_countries = models.CharField(_("affected countries"), max_length=300, blank=True)
    # Published by the host for an anonymous submitter (the submitter is kept nowhere here).
    published_by_host = models.BooleanField(default=False)
    # An explicit release of another item into this thread's community (the original stays).
    released_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="releases"
    )
    locked = models.BooleanField(_("locked"), default=False)
    closed = models.BooleanField(
        _("closed"), default=False, help_text=_("A question its originator closed.")
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The history keeps who changed what label, audience or state, never the content: the
    # audit views are read by administrators, who have no read access to AMBER/RED content.
    history = HistoricalRecords(excluded_fields=CONTENT_FIELDS["thread"])

    class Meta(Shared.Meta):
        ordering = ["-updated_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        # Never the title: audit pages name records by str() (administrators read those).
        return f"{self._meta.verbose_name} #{self.pk} ({self.tlp_label})"

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", args=[self.pk])


class Post(Shared):
    """A message of a thread (the first one opens it). Its audience keeps or narrows the
    thread's (checked in the service)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField(_("message"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=CONTENT_FIELDS["post"])

    class Meta(Shared.Meta):
        ordering = ["created_at", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.pk}"


class Attachment(models.Model):
    """A file of a post: type-checked by content, size-capped, stored outside any public URL
    and served only through a permission-checked view (the post's audience)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="forum/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=CONTENT_FIELDS["attachment"])

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"attachment #{self.pk}"  # never the file name (see Thread.__str__)

    def get_absolute_url(self) -> str:
        return reverse("forum:attachment", args=[self.pk])


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_preference"
    )
    frequency = models.CharField(
        _("e-mail"), max_length=20, choices=Frequency.choices, default=Frequency.DAILY
    )
    sectors = models.CharField(
        _("sectors"),
        max_length=300,
        blank=True,
        help_text=_("Advisories affecting these sectors are mailed at once."),
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"

    def sector_list(self) -> list[str]:
        return [s for s in self.sectors.split(",") if s]


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the host")
    PUBLISHED = "published", _("Published by the host")
    DECLINED = "declined", _("Declined by the host")


def _no_history_user(instance: models.Model, **kwargs: object) -> object:
    """Anonymous submissions record a reviewer as the acting user, never the submitter
    (the request middleware would otherwise name whoever is signed in)."""
    return getattr(instance, "_history_user", None)


class Submission(models.Model):
    """Something a member submits anonymously through a community's host. The host reviews
    it and publishes it under its own name. The submitter is known to the host while it
    reviews; on its decision the link is cut (``submitter`` cleared), leaving only a keyed
    digest by which the submitter alone finds their submission again. Nothing of the
    submitter reaches the history, the published item, its files, exports or mail."""

    community = models.ForeignKey("sharing.Community", on_delete=models.PROTECT, related_name="+")
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitter_digest = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=ThreadKind.choices, default=ThreadKind.ADVISORY
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    summary = models.TextField(_("summary"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    affected_sectors = models.CharField(_("affected sectors"), max_length=300, blank=True)
    affected_countries = models.CharField(_("affected countries"), max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateField(auto_now_add=True)  # a day, not a time: no correlation
    history = HistoricalRecords(
        excluded_fields=["submitter", "submitter_digest", "title", "body", "summary",
                         "recommendations", "affected_sectors", "affected_countries"],
        get_user=_no_history_user,
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"submission {self.pk}"


class SubmissionFile(models.Model):
    """A file of a submission, its metadata already stripped and its name replaced."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="forum/submissions/")
    name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
