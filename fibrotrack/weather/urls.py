from django.urls import path

from fibrotrack.weather import views

app_name = "weather"
urlpatterns = [
    path("", views.settings_view, name="settings"),
]
