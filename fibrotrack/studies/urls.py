from django.urls import path

from fibrotrack.studies.views import (
    allocation,
    codes,
    consent,
    guess,
    home,
    join,
    manage,
    monitoring,
    participant,
    staff,
    study,
    unblinding,
    visits,
)

app_name = "studies"

urlpatterns = [
    path("", home.study_list, name="list"),
    # st-enrol: setting up, enrolment, the participant's own pages, the team.
    path("new/", manage.new_study, name="new"),
    path("join/", join.join, name="join"),
    path("join/<str:code>/", join.join_code, name="join_code"),
    path("team-invite/<str:token>/", staff.staff_accept, name="staff_accept"),
    path("<uuid:study>/", study.home, name="home"),
    path("<uuid:study>/protocol/", manage.protocol_page, name="protocol"),
    path("<uuid:study>/protocol/edit/", manage.protocol_edit, name="protocol_edit"),
    path("<uuid:study>/enrolment/", manage.enrolment_switch, name="enrolment"),
    path("<uuid:study>/consent/", consent.consent_versions, name="consent"),
    path("<uuid:study>/consent/publish/", consent.consent_publish, name="consent_publish"),
    path("<uuid:study>/team/", staff.team, name="staff"),
    path("<uuid:study>/team/<int:pk>/remove/", staff.staff_remove, name="staff_remove"),
    path("<uuid:study>/team/invites/<int:pk>/withdraw/", staff.staff_invite_revoke, name="staff_invite_revoke"),
    path("<uuid:study>/codes/", codes.code_list, name="codes"),
    path("<uuid:study>/codes/<int:pk>/withdraw/", codes.code_revoke, name="code_revoke"),
    path("<uuid:study>/participants/", study.participant_list, name="participants"),
    path("<uuid:study>/participants/<int:pk>/", study.participant_detail, name="participant"),
    path("<uuid:study>/participants/<int:pk>/withdraw/", study.participant_withdraw, name="participant_withdraw"),
    path("<uuid:study>/me/", participant.me, name="me"),
    path("<uuid:study>/me/consent/", participant.me_consent, name="me_consent"),
    path("<uuid:study>/me/screening/", participant.me_screen, name="me_screen"),
    path("<uuid:study>/me/withdraw/", participant.me_withdraw, name="me_withdraw"),
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
