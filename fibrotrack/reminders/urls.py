from django.urls import path

from fibrotrack.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.settings_view, name="settings"),
    path("calendar/new/", views.calendar_new, name="calendar_new"),
    path("calendar/stop/", views.calendar_stop, name="calendar_stop"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("taken/", views.taken, name="taken"),
]
