"""Printable documents of the funding module: the deposit receipt (attestation de dépôt) as a PDF."""

from django.conf import settings
from django.template.loader import render_to_string

from tremplin.funding.services import paris_time

RECEIPT_TEMPLATE = "funding/receipt.html"


def receipt_html(answer, *, request=None) -> str:
    if not answer.submitted_at:
        raise ValueError("Only a submitted answer has a receipt.")
    context = {
        "answer": answer,
        "submitted_at": paris_time(answer.submitted_at),
        "deadline": paris_time(answer.call.deadline),
    }
    return render_to_string(RECEIPT_TEMPLATE, context, request=request)


def render_pdf(html: str) -> bytes:
    """Printable HTML to PDF with WeasyPrint (imported here: only these documents need its Pango
    libraries). Styles are inline: nothing is fetched over the network."""
    import weasyprint

    base_url = str(settings.BASE_DIR / "tremplin" / "static")
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()


def receipt_pdf(answer, *, request=None) -> bytes:
    return render_pdf(receipt_html(answer, request=request))


def receipt_filename(answer) -> str:
    return f"attestation-depot-{answer.receipt_number.lower()}.pdf"
