"""The registration tools' admin URLs, below /admin/tilmeldinger/ (the hooks include them)."""

from django.urls import path

from .attendance import AttendanceView
from .evaluation import EvaluationExportView, EvaluationResultsView, EvaluationXlsxView
from .evaluation_initiative import (
    InitiativeEvaluationExportView,
    InitiativeEvaluationView,
    InitiativeEvaluationXlsxView,
)
from .experiments import ExperimentFileView, ExperimentListView, ExperimentPrintView
from .funders import FundersIndexView, FundersReportView
from .landscapes import LandscapeIndexView, LibraryLandscapeView
from .offering import (
    AddParticipantView,
    CancelParticipantView,
    MessageParticipantsView,
    OfferingRegistrationsView,
    PromoteParticipantView,
)
from .outbox import OutboxRetryView
from .overview import OverviewView
from .person import PersonDataView

app_name = "registration_admin"
urlpatterns = [
    path("", OverviewView.as_view(), name="overview"),
    path("persondata/", PersonDataView.as_view(), name="person"),
    path("kompetencelandskaber/", LandscapeIndexView.as_view(), name="landscapes"),
    path("kompetencelandskaber/<id:library_id>/", LibraryLandscapeView.as_view(), name="landscape"),
    path("bevillingsrapport/", FundersIndexView.as_view(), name="funders"),
    path("bevillingsrapport/<id:initiative_id>/", FundersReportView.as_view(), name="funders_report"),
    path("udbakke-proev-igen/", OutboxRetryView.as_view(), name="outbox_retry"),
    path("<id:page_id>/", OfferingRegistrationsView.as_view(), name="offering"),
    path("<id:page_id>/tilmeld/", AddParticipantView.as_view(), name="add"),
    path("<id:page_id>/skriv/", MessageParticipantsView.as_view(), name="message"),
    path("<id:page_id>/fremmoede/", AttendanceView.as_view(), name="attendance"),
    path("<id:page_id>/eksperimenter/", ExperimentListView.as_view(), name="experiments"),
    path("<id:page_id>/eksperimenter/udskrift/", ExperimentPrintView.as_view(), name="experiments_print"),
    path("<id:page_id>/eksperimenter/<id:experiment_id>/fil/", ExperimentFileView.as_view(), name="experiment_file"),
    path("<id:page_id>/evaluering/", EvaluationResultsView.as_view(), name="evaluation"),
    path("<id:page_id>/evaluering/csv/", EvaluationExportView.as_view(), name="evaluation_csv"),
    path("<id:page_id>/evaluering/xlsx/", EvaluationXlsxView.as_view(), name="evaluation_xlsx"),
    path("<id:page_id>/evaluering/dag/<id:session_id>/", EvaluationResultsView.as_view(), name="evaluation_day"),
    path("<id:page_id>/evaluering/dag/<id:session_id>/csv/", EvaluationExportView.as_view(), name="evaluation_day_csv"),
    path("<id:page_id>/evaluering/dag/<id:session_id>/xlsx/", EvaluationXlsxView.as_view(), name="evaluation_day_xlsx"),
    path("indsats/<id:page_id>/evaluering/", InitiativeEvaluationView.as_view(), name="initiative_evaluation"),
    path(
        "indsats/<id:page_id>/evaluering/csv/",
        InitiativeEvaluationExportView.as_view(),
        name="initiative_evaluation_csv",
    ),
    path(
        "indsats/<id:page_id>/evaluering/xlsx/",
        InitiativeEvaluationXlsxView.as_view(),
        name="initiative_evaluation_xlsx",
    ),
    path("<id:page_id>/deltager/<id:participant_id>/afmeld/", CancelParticipantView.as_view(), name="cancel"),
    path("<id:page_id>/deltager/<id:participant_id>/ryk-op/", PromoteParticipantView.as_view(), name="promote"),
]
