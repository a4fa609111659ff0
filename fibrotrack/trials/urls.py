from django.urls import path

from fibrotrack.trials import views

app_name = "trials"

urlpatterns = [
    path("", views.trial_list, name="list"),
    path("new/", views.new, name="new"),
    path("invite/<str:token>/", views.accept_invite, name="accept_invite"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/phases/<int:phase_pk>/remove/", views.phase_remove, name="phase_remove"),
    path("<int:pk>/phases/<int:phase_pk>/move/", views.phase_move, name="phase_move"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/custodian/invite/", views.invite, name="invite"),
    path("<int:pk>/custodian/remove/", views.remove_custodian, name="remove_custodian"),
    path("<int:pk>/custodian/", views.custodian, name="custodian"),
    path("<int:pk>/registration/", views.registration, name="registration"),
    path("<int:pk>/change/", views.amend, name="amend"),
    path("<int:pk>/stop/", views.stop, name="stop"),
    path("<int:pk>/unblind/", views.unblind, name="unblind"),
    path("<int:pk>/finish/", views.finish, name="finish"),
    path("<int:pk>/result/", views.result_view, name="result"),
    path("<int:pk>/assessments/new/", views.assessment_new, name="assessment_new"),
]
