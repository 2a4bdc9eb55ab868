"""Send users who need a second factor to enrolment or verification first."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from cicte.accounts import otp


class TwoFactorMiddleware:
    """Before any workspace, admin or user-management page, an administrator whose session
    is not verified goes to verification (has a device) or enrolment (has none yet).
    Other staff who turned two-factor on give their code in the sign-in form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect(request)
        if redirect is not None:
            return redirect
        return self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not request.path.startswith(otp.PROTECTED_PREFIXES):
            return None
        if otp.is_verified(user) or not otp.otp_required(user):
            # Staff who turned two-factor on give their code at sign-in (login form).
            return None
        query = urlencode({"next": request.get_full_path()})
        if otp.confirmed_device(user) is not None:
            return HttpResponseRedirect(f"{reverse('accounts:otp-verify')}?{query}")
        return HttpResponseRedirect(f"{reverse('accounts:otp-enrol')}?{query}")
