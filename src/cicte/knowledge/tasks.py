"""Background jobs of the knowledge base (run by ``cicte worker``): the text extraction of an
uploaded document, and the subscription digests (enqueued daily by the scheduler, see
:mod:`cicte.knowledge.apps`)."""

from __future__ import annotations

from cicte.ops.jobs import JobContext, job


@job(max_attempts=2)
def extract_document(ctx: JobContext, document_id: int, number: int) -> None:
    from cicte.knowledge.extraction import document_extract

    outcome = document_extract(document_id=document_id, number=number)
    ctx.result(message=f"Document {document_id} version {number}: {outcome}.")


@job(max_attempts=2)
def send_digests(ctx: JobContext) -> None:
    from cicte.knowledge.notifications import digests_send

    with ctx.side_effects():
        sent = digests_send()
    ctx.result(message=f"Sent {sent} knowledge digest(s).")
