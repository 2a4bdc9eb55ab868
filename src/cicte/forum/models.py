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
    hidden = models.BooleanField(_("hidden"), default=False)
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta(Shared.Meta):
        ordering = ["-updated_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", args=[self.pk])


class Post(Shared):
    """A message of a thread (the first one opens it). Its audience keeps or narrows the
    thread's (checked in the service)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField(_("message"))
    body_html = models.TextField(editable=False)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["search_text", "body_html"])

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
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

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
    last_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"
