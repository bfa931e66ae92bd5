"""HTML to PDF on the server, with WeasyPrint and the transcript's print stylesheet."""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders

STYLESHEET = "css/print-report.css"


@cache
def _stylesheet():
    # Imported on first use: WeasyPrint takes half a second to import, which no other
    # page should pay; the parsed stylesheet is kept for the process's life.
    from weasyprint import CSS

    return CSS(filename=finders.find(STYLESHEET))


def html_to_pdf(html: str, base_url: str) -> bytes:
    """A PDF of an HTML document, laid out by the print stylesheet (A4)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[_stylesheet()])
