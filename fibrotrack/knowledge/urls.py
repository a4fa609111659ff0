from django.urls import URLPattern, path

from fibrotrack.knowledge import views_outcomes

app_name = "knowledge"

urlpatterns: list[URLPattern] = []

# "What worked for others" (fixed paths: keep them before any "<slug:key>/" article pattern).
urlpatterns += [
    path("what-worked/", views_outcomes.index, name="outcomes"),
    path("what-worked/share/", views_outcomes.share, name="outcomes_share"),
    path("what-worked/<slug:key>/", views_outcomes.detail, name="outcome_detail"),
]
