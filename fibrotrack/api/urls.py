from django.urls import path

from fibrotrack.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
