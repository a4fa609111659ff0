from django.urls import path

from fibrotrack.treatments import views

app_name = "treatments"
urlpatterns = [
    path("", views.treatment_list, name="list"),
    path("add/", views.regimen_add, name="add"),
    path("add/own/", views.custom_new, name="custom_new"),
    path("taken/", views.mark_all_taken, name="mark_all_taken"),
    path("<int:pk>/", views.regimen_detail, name="detail"),
    path("<int:pk>/dose/", views.change_dose, name="change_dose"),
    path("<int:pk>/stop/", views.stop, name="stop"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("side-effects/", views.side_effects, name="side_effects"),
    path("side-effects/<int:pk>/", views.side_effect_edit, name="side_effect_edit"),
    path("side-effects/<int:pk>/delete/", views.side_effect_delete, name="side_effect_delete"),
]
