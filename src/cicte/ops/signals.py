"""Signals sent by the job machinery (monitoring hooks; the tests use them to pause a job)."""

from django.dispatch import Signal

# Sent on every ``JobContext.progress()``: sender=job name, job=Job, percent, message.
job_progress = Signal()
