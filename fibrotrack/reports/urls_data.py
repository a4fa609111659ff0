from django.urls import path

from fibrotrack.reports import views_data

app_name = "data"

urlpatterns = [
    path("", views_data.index, name="index"),
    path("export/<slug:kind>/", views_data.export, name="export"),
    path("import/", views_data.upload, name="upload"),
    path("import/<str:token>/", views_data.preview, name="preview"),
    path("import/<str:token>/confirm/", views_data.confirm, name="confirm"),
    path("import/<str:token>/status/", views_data.status, name="status"),
    path("import/<str:token>/cancel/", views_data.cancel, name="cancel"),
]
