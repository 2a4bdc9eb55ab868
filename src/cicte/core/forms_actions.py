"""The one adapter between service errors and web forms.

- :func:`apply_error` puts an :class:`~cicte.core.errors.ApplicationError` (or a Django
  ``ValidationError``) on a form: on its field when the error names one the form has,
  otherwise as a non-field error; every problem of an error that carries several
  (``details`` with ``field``/``message``) lands next to its own field.
- :func:`form_action` is the shape of small POST actions in the workspace: validate a form,
  call a service, tell the user what happened (a message), never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from cicte.core.errors import ApplicationError


def apply_error(form: forms.BaseForm, error: ApplicationError | ValidationError) -> None:
    """Show ``error`` on ``form`` (field errors where the form has the field)."""
    if isinstance(error, ValidationError):
        form.add_error(None, error)
        return
    placed = False
    for detail in error.details:
        if isinstance(detail, dict) and detail.get("message"):
            name = detail.get("field")
            form.add_error(name if name in form.fields else None, str(detail["message"]))
            placed = True
    if not placed:
        form.add_error(error.field if error.field in form.fields else None, error.message)


def error_message(error: ApplicationError | ValidationError) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return error.message


def form_action(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    *,
    success: str,
    invalid: str,
) -> bool:
    """Run ``call(form.cleaned_data)`` when the form is valid; a service error becomes an
    error message. Returns True on success."""
    if not form.is_valid():
        # The general hint, then what the fields themselves say (e.g. a number too large).
        details = [str(error) for errors_ in form.errors.values() for error in errors_]
        specific = [d for d in details if d != str(forms.Field.default_error_messages["required"])]
        messages.error(request, " ".join([str(invalid), *specific]))
        return False
    try:
        call(form.cleaned_data)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_message(exc))
        return False
    messages.success(request, success)
    return True


def button_action(request: HttpRequest, call: Callable[[], object], *, success: str) -> bool:
    """Run a form-less action (a button's POST): a service error becomes an error message,
    success a success message. Returns True on success. ``NotAllowed`` is a service error too
    (the button is only shown to those who may press it)."""
    try:
        call()
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_message(exc))
        return False
    messages.success(request, success)
    return True
