"""Consent text: markdown rendered as the community renders posts (markdown-it-py, then nh3).

The community's sanitiser (``community.markup.sanitise``) and link check are
reused; its word filter and @mentions are not, because a consent form is the
research team's own text and is signed as written.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from fibrotrack.community import markup


def _shift_headings(state: StateCore) -> None:
    # The page has its own h1 and h2: the consent's headings start at h3.
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"


def _build() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": True, "typographer": False, "breaks": False})
    md.disable("image")
    md.validateLink = markup.is_safe_url  # type: ignore[method-assign]
    md.core.ruler.push("shift_headings", _shift_headings)
    return md


_MD = _build()


def render(source: str) -> str:
    """Safe HTML for ``source`` (no raw HTML, no images, only safe links)."""
    return markup.sanitise(_MD.render(source))
