"""Progress cards: one's own cards, making one, deleting one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.community import cards
from fibrotrack.community.access.people import cards_for_owner, get_card_for_owner
from fibrotrack.community.actions.cards import do_create_card, do_remove_card
from fibrotrack.community.views.base import community_view, render_page


@community_view
def cards_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows = cards_for_owner(user).select_related("post", "post__thread")
    return render_page(request, "community/cards.html", {"cards": rows, "sources": cards.sources()})


@community_view
def card_new(request: AuthenticatedHttpRequest, source: str = "chart") -> HttpResponse:
    """Step 1: choose what to show. Step 2 (POST): the frozen card is saved as a draft and shown exactly."""
    user = request.user
    card_source = cards.get_source(source)
    if card_source is None:
        raise Http404("No such kind of card")
    form = card_source.form_class(request.POST or None, user=user)
    caption = (request.POST.get("caption") or "").strip()[:300]
    if request.method == "POST" and form.is_valid():
        snapshot = card_source.build(user, form.cleaned_data)
        try:
            card = do_create_card(user, kind=card_source.key, title=snapshot.title, svg=snapshot.svg, caption=caption)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("community:card_detail", pk=card.pk)
    return render_page(
        request,
        "community/card_new.html",
        {"form": form, "source": card_source, "caption": caption},
        status=400 if request.method == "POST" else 200,
    )


@community_view
def card_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    card = get_card_for_owner(user, pk)
    return render_page(request, "community/card_detail.html", {"card": card})


@community_view
@require_POST
def card_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    card = get_card_for_owner(user, pk)
    do_remove_card(user, card)
    messages.success(
        request,
        gettext("The progress card is deleted. It is gone from your post too.")
        if card.post_id
        else gettext("The progress card is deleted."),
    )
    return redirect("community:cards")
