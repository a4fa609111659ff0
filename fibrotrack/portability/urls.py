from django.urls import path

from fibrotrack.portability import views

app_name = "data"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<slug:kind>/", views.export, name="export"),
    path("import/", views.upload, name="upload"),
    path("import/<str:token>/", views.preview, name="preview"),
    path("import/<str:token>/confirm/", views.confirm, name="confirm"),
    path("import/<str:token>/status/", views.status, name="status"),
    path("import/<str:token>/cancel/", views.cancel, name="cancel"),
]
