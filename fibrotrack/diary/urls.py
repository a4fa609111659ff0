from django.urls import path

from fibrotrack.diary import views

app_name = "diary"
urlpatterns = [
    path("", views.today, name="today"),
    path("day/<str:day>/", views.day, name="day"),
    path("day/<str:day>/delete/", views.delete_day, name="delete"),
    path("day/<str:day>/changes/", views.revisions, name="revisions"),
    path("history/", views.history, name="history"),
    path("chart/", views.chart, name="chart"),
    path("symptoms/", views.symptoms, name="symptoms"),
    path("symptoms/<int:pk>/", views.symptom_edit, name="symptom_edit"),
    path("symptoms/<int:pk>/move/", views.symptom_move, name="symptom_move"),
    path("questionnaire/", views.acr_list, name="acr_list"),
    path("questionnaire/new/", views.acr_new, name="acr_new"),
    path("questionnaire/<int:pk>/", views.acr_detail, name="acr_detail"),
    path("questionnaire/<int:pk>/delete/", views.acr_delete, name="acr_delete"),
]
