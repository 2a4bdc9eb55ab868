"""One shape for small POST actions in the workspace: validate a form, call a service, tell
the user what happened (a message), never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest


def form_action(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    *,
    errors: tuple[type[Exception], ...],
    success: str,
    invalid: str,
) -> bool:
    """Run ``call(form.cleaned_data)`` when the form is valid; a service error (one of
    ``errors``, with a ``message``) becomes an error message. Returns True on success."""
    if not form.is_valid():
        # The general hint, then what the fields themselves say (e.g. a number too large).
        details = [str(error) for errors_ in form.errors.values() for error in errors_]
        specific = [d for d in details if d != str(forms.Field.default_error_messages["required"])]
        messages.error(request, " ".join([str(invalid), *specific]))
        return False
    try:
        call(form.cleaned_data)
    except errors as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
        return False
    messages.success(request, success)
    return True
