"""Markdown for posts and messages: markdown-it-py, then nh3.

* markdown-it-py's "js-default" preset with raw HTML off, so ``<script>`` is
  text, never markup.
* Links are validated: only http, https, mailto and site-relative paths
  survive; anything else (``javascript:``, ``data:``, ``vbscript:``, ``//host``)
  stays plain text. Bare URLs are linkified through the same check.
* Images are not rendered: a remote image would tell its host the IP address
  of everyone reading a health forum.
* ``@Name`` and ``@[Name with spaces]`` become links to the person's profile
  when they resolve to a member (see ``actions.text.resolve_mentions``).
* Headings are moved down two levels so a post never adds an ``<h1>``.
* External links get ``rel="nofollow noopener"``.
* Finally nh3 (ammonia) sanitises the HTML against an allow-list, as a second
  wall in case a markdown-it bug ever lets something through.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from fibrotrack.community import wordfilter

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "rel", "class"}, "ol": {"start"}}
SAFE_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "nofollow noopener"

MENTION_RE = re.compile(r"@(?:\[([^\]\n]{1,40})\]|([^\W_][\w.\-]{0,39}))")
_TRAILING = ".-"


def mention_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class MentionTarget:
    user_id: int
    url: str
    name: str


@dataclass
class Rendered:
    html: str
    mention_names: list[str] = field(default_factory=list)


def is_safe_url(url: str) -> bool:
    url = url.strip()
    if not url or any(ord(c) < 32 for c in url):
        return False
    if url.startswith("#"):
        return True
    if url.startswith("/"):
        return not url.startswith("//") and not url.startswith("/\\")
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return False
    if parts.scheme.lower() in {"http", "https"}:
        return bool(parts.netloc)
    return True


def is_external(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in {"http", "https"}


def _mention_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "@":
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_@/."):
        return False  # an e-mail address or part of a word, not a mention
    match = MENTION_RE.match(state.src, pos)
    if not match:
        return False
    bracketed, bare = match.group(1), match.group(2)
    raw = bracketed if bracketed is not None else bare.rstrip(_TRAILING)
    if not raw or not raw.strip():
        return False
    end = match.end() if bracketed is not None else pos + 1 + len(raw)
    key = mention_key(raw)
    env = state.env
    env.setdefault("mention_names", [])
    if key not in env["mention_names"]:
        env["mention_names"].append(key)
    target: MentionTarget | None = env.get("mentions", {}).get(key)
    if target is None:
        return False  # left as plain text: "unknown mention" is reported by the form
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": target.url, "class": "mention"}
        token = state.push("text", "", 0)
        token.content = f"@{target.name}"
        state.push("link_close", "a", -1)
    state.pos = end
    return True


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"


def _external_links(state: StateCore) -> None:
    for block in state.tokens:
        for token in block.children or []:
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                if is_external(href):
                    token.attrSet("rel", EXTERNAL_REL)


def _validate_link(url: str) -> bool:
    return is_safe_url(url)


def _build() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": True, "typographer": False, "breaks": True})
    md.disable("image")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    md.core.ruler.push("shift_headings", _shift_headings)
    md.core.ruler.push("external_links", _external_links)
    return md


_MD = _build()


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "class":
        return "mention" if value == "mention" else None
    if tag == "a" and attribute == "rel":
        return EXTERNAL_REL if value == EXTERNAL_REL else None
    if tag == "a" and attribute == "href":
        return value if is_safe_url(html_lib.unescape(value)) else None
    return value


def sanitise(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=SAFE_SCHEMES,
        link_rel=None,
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def mention_names(source: str) -> list[str]:
    """The (case-folded) names that ``source`` mentions, in order, code blocks excluded."""
    env: dict[str, Any] = {"mentions": {}}
    _MD.parse(source, env)
    return list(env.get("mention_names", []))


def render(source: str, mentions: Mapping[str, MentionTarget] | None = None) -> Rendered:
    env: dict[str, Any] = {"mentions": dict(mentions or {})}
    raw = _MD.render(wordfilter.censor(source), env)
    return Rendered(html=sanitise(raw), mention_names=list(env.get("mention_names", [])))


def plain_text(rendered_html: str, limit: int = 200) -> str:
    """Words only, for excerpts, e-mails and search results."""
    text = html_lib.unescape(nh3.clean(rendered_html, tags=set()))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def count_links(rendered_html: str) -> int:
    """External links only: mentions and site links do not count towards new-account limits."""
    return len(re.findall(r'<a [^>]*rel="nofollow noopener"', rendered_html))


def quote(source: str, author_name: str) -> str:
    """Markdown that quotes ``source``, for the reply box."""
    lines = source.strip().splitlines() or [""]
    name = author_name if re.fullmatch(r"[^\W_][\w.\-]*", author_name) else f"[{author_name}]"
    return f"> @{name} wrote:\n>\n" + "\n".join(f"> {line}" if line else ">" for line in lines) + "\n\n"
