from django.urls import path

from fibrotrack.studies.views import home

app_name = "studies"

urlpatterns = [
    path("", home.study_list, name="list"),
]
