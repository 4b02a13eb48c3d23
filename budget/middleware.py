"""Any table on any page downloads as a workbook, exactly as shown.

``?export=xlsx&tabell=<id>`` on a page's own address renders the page as usual (with all
its permission checks and the same filters, sorting and period) and answers with its
``<table id="<id>">`` as a workbook instead (budget/exports/shown.py). Views that build the
workbook themselves answer before this sees HTML; a page without such a table gives 404.
"""

import re

from django.http import HttpResponseNotFound

from budget.exports import shown

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


class ShownTableExport:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.GET.get("tabell") if shown.wants_export(request) else None
        response = self.get_response(request)
        if (
            not wanted
            or response.status_code != 200
            or not response.get("Content-Type", "").startswith("text/html")
            or getattr(response, "streaming", False)
        ):
            return response
        html = response.content.decode(response.charset or "utf-8")
        match = TITLE.search(html)
        title = re.sub(r"\s+", " ", match[1]).strip() if match else "Tabell"
        export = shown.html_table_response(html, wanted, title=title)
        if export is None:
            return HttpResponseNotFound("Sidan har ingen tabell med det namnet.")
        return export
