"""Sign-in with two-factor, user management, API tokens, history and the activity log."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from cicte import search
from cicte.access.models import Membership
from cicte.access.permissions import (
    administrator_required,
    can_restore_history,
    is_administrator,
    workspace_required,
)
from cicte.accounts import otp, selectors, services
from cicte.accounts.forms import (
    ActivityFilterForm,
    ApiTokenForm,
    InviteForm,
    LoginForm,
    RoleScopeForm,
    TokenForm,
)
from cicte.accounts.home import home_for
from cicte.accounts.indexing import SCOPE as USER_SCOPE
from cicte.accounts.models import ApiToken
from cicte.core.redirects import safe_next
from cicte.core.tables import table_downloads


def _next_url(request: HttpRequest) -> str:
    return safe_next(request, home_for(request.user).url)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home: the dashboard, their country or what they fund."""
    return redirect(home_for(request.user).url)


class LoginView(auth_views.LoginView):
    """Sign-in; afterwards each role lands on its home (:func:`cicte.accounts.home.home_for`)
    unless a safe ``next`` was asked for."""

    template_name = "accounts/login.html"
    form_class = LoginForm

    def get_default_redirect_url(self) -> str:
        return home_for(self.request.user).url

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response


class AdminLoginView(LoginView):
    """The Django admin's sign-in (``/admin/login/``) is the site's own form: password and,
    when the account has two-factor on, the TOTP code in the same step. Django's admin form
    would sign an administrator in with the password alone."""

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")


# Two-factor ------------------------------------------------------------------------------


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor: scan the QR code, confirm with a first code."""
    if otp.confirmed_device(request.user) is not None:
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return HttpResponseRedirect(_next_url(request))
    device = otp.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("That code is not valid. Try the current one."))
    context = {
        "form": form,
        "qr_code": otp.qr_code_data_uri(device.config_url),
        "secret": otp.secret_base32(device),
        "required": otp.otp_required(request.user),
        "next": request.GET.get("next", request.POST.get("next", "")),
    }
    return render(request, "accounts/otp_enrol.html", context)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if otp.confirmed_device(request.user) is None:
        return redirect("accounts:otp-enrol")
    if request.method == "POST" and form.is_valid():
        device = otp.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("That code is not valid. Try the current one."))
    next_url = request.GET.get("next", request.POST.get("next", ""))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


# Users -----------------------------------------------------------------------------------


@administrator_required
@table_downloads
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        get_user_model()
        .objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "member_state", "program", "organization"
                ),
            )
        )
        .order_by("username")
    )
    query = request.GET.get("q", "")[:200].strip()
    if query:
        # Username, name or e-mail, each word a word's beginning, accents and case ignored.
        users = search.narrow(users, USER_SCOPE, query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "query": urlencode({"q": query}) if query else ""}
    return render(request, "accounts/user_list.html", context)


@administrator_required
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_invite(
                actor=request.user,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                member_state=data["member_state"],
                programs=data["programs"],
                organization=data["organization"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(user)s was invited; a link to set a password was e-mailed.")
                % {"user": user.get_username()},
            )
            return redirect("accounts:user-list")
    return render(request, "accounts/user_invite.html", {"form": form})


@administrator_required
@table_downloads
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A user's memberships: each role and its scope; add one, remove one."""
    user = get_object_or_404(get_user_model(), pk=pk)
    form = RoleScopeForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                membership = get_object_or_404(
                    Membership, pk=request.POST.get("membership") or 0, user=user
                )
                services.membership_remove(actor=request.user, membership=membership)
                messages.success(request, _("Membership removed."))
                return redirect("accounts:user-edit", pk=user.pk)
            if form.is_valid():
                data = form.cleaned_data
                for spec in services.memberships_for_role(
                    role=data["role"],
                    member_state=data["member_state"],
                    programs=data["programs"],
                    organization=data["organization"],
                ):
                    services.membership_add(actor=request.user, user=user, membership=spec)
                messages.success(request, _("Membership added."))
                return redirect("accounts:user-edit", pk=user.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
            messages.error(request, " ".join(exc.messages))
    memberships = Membership.objects.filter(user=user).select_related(
        "member_state", "program", "organization"
    )
    context = {"form": form, "subject": user, "memberships": memberships}
    return render(request, "accounts/user_edit.html", context)


@require_POST
@administrator_required
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=user, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Account reactivated.") if active else _("Account deactivated.")
        )
    return redirect("accounts:user-list")


# API tokens ------------------------------------------------------------------------------


@login_required
@table_downloads
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data.get("expires_in_days")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            issued = services.token_create(
                actor=request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("-created_at")
    response = render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "issued": issued, "now": timezone.now()},
    )
    if issued is not None:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


# History ---------------------------------------------------------------------------------


def _history_model(request: HttpRequest, app_label: str, model_name: str) -> Any:
    model = selectors.model_for(app_label, model_name)
    if model._meta.label_lower in selectors.ADMIN_ONLY_HISTORY and not is_administrator(
        request.user
    ):
        raise PermissionDenied
    return model


def _readable_or_404(request: HttpRequest, model: Any, pk: str) -> None:
    """A model whose rows are restricted (it has ``visible_to``) shows its history only to
    those who may read the row now; a row they may not read, or one that is gone, is not
    found (its old versions hold the same restricted content), unless the reader may read
    every row of that model."""
    manager = model._default_manager
    if not hasattr(manager, "visible_to"):
        return
    readable = manager.visible_to(request.user)
    if not readable.query.where:
        return  # the reader may read every row of the model (e.g. staff and events)
    try:
        visible = readable.filter(pk=pk).exists()
    except (ValueError, TypeError):
        visible = False
    if not visible:
        raise Http404


@workspace_required
@table_downloads
def record_history(request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
    model = _history_model(request, app_label, model_name)
    _readable_or_404(request, model, pk)
    versions = selectors.record_versions(model, pk)
    if not versions:
        return render(
            request,
            "accounts/record_history.html",
            {"model": model, "pk": pk, "versions": [], "can_restore": False},
            status=404,
        )
    current = model._default_manager.filter(pk=versions[0].record.instance.pk).first()
    context = {
        "model": model,
        "verbose_name": model._meta.verbose_name,
        "pk": pk,
        "versions": versions,
        "current": current,
        "can_restore": can_restore_history(request.user)
        and model._meta.app_label not in services.RESTORE_FORBIDDEN_APPS,
        "app_label": app_label,
        "model_name": model_name,
    }
    return render(request, "accounts/record_history.html", context)


@require_POST
@workspace_required
def record_restore(
    request: HttpRequest, app_label: str, model_name: str, pk: str, history_id: int
) -> HttpResponse:
    model = _history_model(request, app_label, model_name)
    _readable_or_404(request, model, pk)
    record = selectors.historical_record(model, pk, history_id)
    services.history_restore(actor=request.user, record=record)
    messages.success(request, _("The version was restored."))
    return redirect("accounts:history", app_label=app_label, model_name=model_name, pk=pk)


@administrator_required
@table_downloads
def activity_log(request: HttpRequest) -> HttpResponse:
    choices = [
        (m._meta.label_lower, str(m._meta.verbose_name).capitalize())
        for m in selectors.tracked_models()
    ]
    form = ActivityFilterForm(request.GET or None, model_choices=choices)
    filters = selectors.ActivityFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ActivityFilters(
            user=data.get("user") or "",
            model=data.get("model") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    paginator = Paginator(selectors.activity_queryset(filters), 50)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.activity_rows(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "accounts/activity_log.html", context)
