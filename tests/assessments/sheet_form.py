"""The sheet page's form posted back as a browser would send it, read from the page's HTML."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """The successful controls of ``<form id=…>``: what a browser posts when it is submitted
    without a button (text fields, ticked boxes, chosen options, text areas); controls that
    belong to another form (``form=…``) and file pickers are left out."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside or a.get("form"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("file", "submit", "button"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = [a["name"], None, None]  # name, selected, first
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in a:
                self._select[1] = value
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, chosen, first = self._select
            self.data.append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append(tuple(self._textarea))
            self._textarea = None


def posted_form(html: str, form_id: str = "sheet-form") -> dict:
    """{name: value} of the form as a browser would post it (every name appears once)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return dict(reader.data)
