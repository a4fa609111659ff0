from django.urls import path

from fibrotrack.studies.views import allocation, guess, home, monitoring, unblinding, visits

app_name = "studies"

urlpatterns = [
    path("", home.study_list, name="list"),
    path("<uuid:study>/monitoring/", monitoring.dashboard, name="monitoring"),
    path("<uuid:study>/report-event/", monitoring.report_own_event, name="report_own_event"),
    path("<uuid:study>/participants/<int:participant>/report-event/", monitoring.report_event, name="report_event"),
    # Allocation, labels, dispensing (the pharmacist), randomisation (the coordinator).
    path("<uuid:study>/allocation/", allocation.allocation, name="allocation"),
    path("<uuid:study>/allocation/labels/", allocation.bottle_labels, name="labels"),
    path("<uuid:study>/allocation/labels.pdf", allocation.bottle_labels_pdf, name="labels_pdf"),
    path("<uuid:study>/dispensing/", allocation.dispensing, name="dispensing"),
    path("<uuid:study>/participants/<int:participant>/randomise/", allocation.randomise, name="randomise"),
    # Unblinding.
    path("<uuid:study>/participants/<int:participant>/unblind/", unblinding.unblind_participant, name="unblind"),
    path("<uuid:study>/unblindings/", unblinding.unblindings, name="unblindings"),
    path("<uuid:study>/unblindings/<int:event>/", unblinding.unblinding, name="unblinding"),
    path("<uuid:study>/unblind/", unblinding.unblind_study, name="unblind_study"),
    # Visits and lab measures.
    path("<uuid:study>/visits/", visits.visit_list, name="visits"),
    path("<uuid:study>/visits/<int:visit>/", visits.visit_detail, name="visit"),
    path("<uuid:study>/visits/<int:visit>/missed/", visits.visit_missed, name="visit_missed"),
    # The participant's end-of-study blinding question.
    path("<uuid:study>/blinding-question/", guess.blinding_guess, name="blinding_guess"),
]
