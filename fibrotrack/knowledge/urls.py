from django.urls import path

from fibrotrack.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("how-we-grade/", views.how_we_grade, name="how_we_grade"),
    path("newsletter/", views.newsletter_archive, name="newsletter_archive"),
    path("newsletter/compose/", views.newsletter_compose, name="newsletter_compose"),
    path("newsletter/<int:pk>/", views.newsletter_issue, name="newsletter_issue"),
    path("<slug:key>/", views.article, name="article"),
    path("<slug:key>/comment/", views.comment, name="comment"),
]
