from django.urls import path

from fibrotrack.knowledge import views, views_outcomes

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("how-we-grade/", views.how_we_grade, name="how_we_grade"),
    path("newsletter/", views.newsletter_archive, name="newsletter_archive"),
    path("newsletter/compose/", views.newsletter_compose, name="newsletter_compose"),
    path("newsletter/<int:pk>/", views.newsletter_issue, name="newsletter_issue"),
    # "What worked for others": fixed paths, before the "<slug:key>/" article pattern that would take them.
    path("what-worked/", views_outcomes.index, name="outcomes"),
    path("what-worked/share/", views_outcomes.share, name="outcomes_share"),
    path("what-worked/<slug:key>/", views_outcomes.detail, name="outcome_detail"),
    path("<slug:key>/", views.article, name="article"),
    path("<slug:key>/comment/", views.comment, name="comment"),
]
