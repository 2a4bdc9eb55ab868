"""Who may do what. Views, API endpoints and services ask these functions, never ``is_staff``
directly, so the role model lives in one place (see docs/security.md)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def is_secretariat(user: Any) -> bool:
    """Secretariat staff (or administrators): may use the staff workspace."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def workspace_required(view: ViewFunc) -> ViewFunc:
    """Login required; 403 for signed-in users who are not Secretariat staff."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
