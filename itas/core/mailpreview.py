"""The outbox's preview of an HTML e-mail under the Content-Security-Policy.

An e-mail styles itself inline (style="..." and <style>: mail programs read nothing else), which
the site's policy refuses. The preview is therefore its own document (core:outbox_body), shown in
a sandboxed <iframe>, with a policy of its own that allows exactly the inline styles of that
message, by hash, and nothing else: no script at all, no 'unsafe-inline'."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser


class _Styles(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[str] = []
        self.elements: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "style" and value is not None:
                self.attributes.append(value)
        self._in_style = tag == "style"
        if self._in_style:
            self.elements.append("")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.elements[-1] += data


def _hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def preview_policy(html: str) -> dict[str, list[str] | bool]:
    """The directives of the preview of `html`: its own style attributes and <style> elements
    (by SHA-256; 'unsafe-hashes' lets a hash match a style attribute), the site's fonts and
    images, no script, no plugin, no form, sandboxed, framed only by this site."""
    parser = _Styles()
    parser.feed(html)
    parser.close()
    hashes = list(dict.fromkeys(_hash(s) for s in parser.attributes + parser.elements))
    styles = ["'self'"] + (["'unsafe-hashes'", *hashes] if hashes else [])
    return {
        "default-src": ["'none'"],
        "style-src": styles,
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "script-src": ["'none'"],
        "object-src": ["'none'"],
        "form-action": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'self'"],
        "sandbox": True,
    }
