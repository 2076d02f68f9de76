"""Web pages saved as one file (MHTML: .mht, .mhtml, a browser's "save as
web archive"): the page's HTML part is taken out of the MIME message and read
as an HTML page.

The part's bytes are the page as the browser saved it (its transfer encoding
undone): its own charset declaration still holds, and where it has none the
page's bytes tell (as for any page: UTF-8 or GB18030).
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message

from ..errors import ExtractError
from ..model import Document

# A MIME message whose body holds a web page and the files it shows.
_MHTML_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*?content-type:\s*multipart/related", re.I)


def looks_like_mhtml(head: bytes) -> bool:
    """Do these first bytes (lower-cased, leading blanks stripped) open a web archive?"""
    return head.startswith((b"mime-version:", b"from:", b"content-type:", b"subject:", b"date:")) \
        and _MHTML_HEAD.match(head.replace(b"\r\n", b"\n")) is not None


def read_mhtml(data: bytes) -> Document:
    from .html import read_html

    page = _html_part(email.message_from_bytes(data, policy=email.policy.compat32))
    if page is None:
        raise ExtractError("the file is a web archive (MHTML) that holds no HTML page", code="html")
    body = page.get_payload(decode=True)
    if not isinstance(body, bytes) or not body.strip():
        raise ExtractError("the web archive's (MHTML) page is empty", code="empty")
    return read_html(body)


def _html_part(message: Message) -> Message | None:
    """The archive's page: its first text/html part (the one the archive
    starts with, where several are: frames come after it)."""
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part
    return None
