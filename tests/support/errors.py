"""How a page announces form errors, read from its HTML: an error summary (role=alert) that
links to each refused field, and each field marked aria-invalid with aria-describedby naming
its message (WCAG 3.3.1, 3.3.3, 4.1.2)."""

from html.parser import HTMLParser


class _Dom(HTMLParser):
    """Just enough DOM: ids with their text, fields with aria attributes, links."""

    VOID = {"input", "br", "img", "hr", "meta", "link", "source", "wbr", "area", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, str] = {}
        self.fields: list[dict] = []
        self.links: list[str] = []
        self.summaries: list[dict] = []
        self._open: list[tuple[str, str | None, dict]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            ancestors = [attrs for _t, _i, attrs in self._open]
            described = a.get("aria-describedby", "").split()
            for attrs in ancestors:
                if attrs.get("aria-describedby") and (
                    a.get("type") in ("radio", "checkbox") or not described
                ):
                    described += attrs["aria-describedby"].split()
            self.fields.append(
                a
                | {
                    "_tag": tag,
                    "_described": described,
                    "_ids": [a.get("id", "")] + [x.get("id", "") for x in ancestors if x.get("id")],
                }
            )
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag in self.VOID:
            if a.get("id"):
                self.ids.setdefault(a["id"], "")
            return
        self._open.append((tag, a.get("id"), a))
        if a.get("id"):
            self.ids.setdefault(a["id"], "")

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _id, attrs = self._open.pop()
            if attrs.get("role") == "alert" or "error-summary" in attrs.get("class", ""):
                self.summaries.append(attrs)
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _tag, element_id, _attrs in self._open:
            if element_id:
                self.ids[element_id] += data


def dom(html: str) -> _Dom:
    parser = _Dom()
    parser.feed(html)
    return parser


def assert_errors_announced(label: str, html: str):
    page = dom(html)
    invalid = [f for f in page.fields if f.get("aria-invalid") == "true"]
    assert invalid, f"{label}: no field is marked aria-invalid"
    assert page.summaries, f"{label}: no error summary (role=alert or .error-summary)"
    problems = []
    for field in invalid:
        name = field.get("name", "?")
        described = field["_described"]
        messages = [page.ids.get(i, "").strip() for i in described if i in page.ids]
        if not any(messages):
            problems.append(f"{name}: aria-describedby {described} does not name an error text")
        # The summary may link to the field itself or to its question (fieldset / wrapper).
        if not set(field["_ids"]) & set(page.links):
            problems.append(f"{name}: the error summary does not link to it ({field['_ids']})")
    problems = list(dict.fromkeys(problems))
    assert not problems, f"{label}: " + "; ".join(problems)
