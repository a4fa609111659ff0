"""Markdown in, safe HTML out."""

import pytest

from fibrotrack.community import markup
from fibrotrack.community.markup import MentionTarget


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#x73;cript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "<svg onload=alert(1)>",
        "[x](//evil.example/steal)",
        "<a href='javascript:alert(1)'>x</a>",
        "javascript:alert(1)",
        "[a](<javascript:alert(1)>)",
        "[a]: javascript:alert(1)\n\n[a]",
    ],
)
def test_nothing_executable_survives(source):
    html = markup.render(source).html
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered and "<svg" not in lowered
    assert 'href="javascript' not in lowered and 'href="vbscript' not in lowered and 'href="data' not in lowered
    assert 'href="//' not in lowered
    assert " onerror=" not in lowered.replace("&lt;", "") or "&lt;" in lowered


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;bold&lt;/b&gt;" in markup.render("<b>bold</b>").html


def test_external_links_get_nofollow_noopener_and_site_links_do_not():
    html = markup.render("[a](https://example.org/x) and [b](/community/) and https://example.com").html
    assert '<a href="https://example.org/x" rel="nofollow noopener">a</a>' in html
    assert '<a href="/community/">b</a>' in html
    assert '<a href="https://example.com" rel="nofollow noopener">https://example.com</a>' in html


def test_images_are_not_loaded_from_anywhere():
    html = markup.render("![tracker](https://evil.example/pixel.png)").html
    assert "<img" not in html
    assert "pixel.png" in html  # shown as a link the reader can choose to open


def test_headings_never_add_an_h1_or_h2():
    html = markup.render("# Big\n\n## Smaller").html
    assert "<h1>" not in html and "<h2>" not in html
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html


def test_mentions_become_profile_links_only_when_known():
    target = MentionTarget(7, "/community/u/7/", "Sam")
    html = markup.render("Hi @sam and @nobody, mail sam@example.org", {"sam": target}).html
    assert '<a href="/community/u/7/" class="mention">@Sam</a>' in html
    assert "@nobody" in html and 'class="mention">@nobody' not in html
    assert "@example" not in markup.mention_names("mail sam@example.org")


def test_mention_names_are_found_outside_code_only():
    assert markup.mention_names("@Alice and @[Bob Smith] but not `@Carol`") == ["alice", "bob smith"]


def test_sanitiser_refuses_class_and_rel_that_markdown_did_not_make():
    assert markup.sanitise('<a href="/x" class="evil" rel="opener">x</a>') == '<a href="/x">x</a>'
    assert markup.sanitise('<p style="color:red" onclick="x()">x</p>') == "<p>x</p>"


def test_quote_builds_a_blockquote_with_a_mention():
    text = markup.quote("line one\nline two", "Sam")
    assert text.startswith("> @Sam wrote:")
    assert "> line two" in text
    assert markup.quote("x", "Two Words").startswith("> @[Two Words] wrote:")


def test_censored_words_are_masked_in_output_only(settings):
    settings.COMMUNITY_CENSORED_WORDS = ["darn"]
    assert "darn" not in markup.render("well darn it").html
    assert "■" in markup.render("well Darn it").html


def test_plain_text_excerpt():
    assert markup.plain_text("<p>Hello <strong>there</strong> &amp; you</p>") == "Hello there & you"
    assert markup.plain_text("<p>" + "word " * 100 + "</p>", 30).endswith("…")


@pytest.mark.django_db
def test_nul_bytes_are_dropped_before_storage_so_postgresql_accepts_the_post(owner):
    from fibrotrack.community.actions.text import check_text, check_title

    assert check_text("a\x00b") == "ab"
    assert check_title("Ti\x00tle") == "Title"
