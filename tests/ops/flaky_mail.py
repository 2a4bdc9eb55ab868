"""An e-mail backend that refuses the first N connections (like a mail server that is down),
then delivers to django.core.mail.outbox."""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend

FAILURES = {"left": 0}


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)
