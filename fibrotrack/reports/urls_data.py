from django.urls import URLPattern

app_name = "data"

urlpatterns: list[URLPattern] = []
