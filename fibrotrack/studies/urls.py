from django.urls import path

from fibrotrack.studies.views import exports, home, monitoring, results

app_name = "studies"

urlpatterns = [
    path("", home.study_list, name="list"),
    path("<uuid:study>/monitoring/", monitoring.dashboard, name="monitoring"),
    path("<uuid:study>/report-event/", monitoring.report_own_event, name="report_own_event"),
    path("<uuid:study>/participants/<int:participant>/report-event/", monitoring.report_event, name="report_event"),
    path("<uuid:study>/results/", results.page, name="results"),
    path("<uuid:study>/results/lock/", results.lock, name="lock_dataset"),
    path("<uuid:study>/results/analyse/", results.analyse, name="run_analysis"),
    path("<uuid:study>/results/results.pdf", results.results_pdf, name="results_pdf"),
    path("<uuid:study>/results/results.csv", results.results_csv, name="results_csv"),
    path("<uuid:study>/exports/dataset.csv", exports.dataset_csv, name="export_dataset"),
    path("<uuid:study>/exports/data-dictionary.csv", exports.data_dictionary, name="export_dictionary"),
    path("<uuid:study>/exports/fhir.json", exports.fhir_bundle, name="export_fhir"),
]
