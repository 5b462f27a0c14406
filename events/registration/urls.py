from django.urls import path

from . import evaluation_views, experiment_views, notify_views, views

# The manage and confirmation links carry their token in the query string (`?adgang=`), which the views move into the
# session; the two routes with the token in the path keep links in e-mails sent before working.
urlpatterns = [
    path("<id:page_id>/", views.register, name="registration_form"),
    path("<id:page_id>/besked/", notify_views.notify_request, name="registration_notify"),
    path("besked/slet/", notify_views.notify_unsubscribe, name="registration_notify_unsubscribe"),
    path("<uuid:public_id>/", views.manage, name="registration_manage"),
    path("deltager/<id:participant_id>/", views.participant_page, name="registration_participant"),
    path(
        "deltager/<id:participant_id>/eksperiment/<id:activity_id>/",
        experiment_views.experiment_submit,
        name="registration_experiment",
    ),
    path(
        "deltager/<id:participant_id>/eksperiment/fil/<id:experiment_id>/",
        experiment_views.experiment_file,
        name="registration_experiment_file",
    ),
    path("evaluering/<id:invitation_id>/", evaluation_views.evaluation, name="registration_evaluation"),
    path("<uuid:public_id>/kompetencelandskab/", views.landscape, name="registration_landscape"),
    path("<uuid:public_id>/bekraeft/", views.confirm, name="registration_confirm"),
    path("<uuid:public_id>/<str:token>/", views.manage_old_link, name="registration_manage_old_link"),
    path(
        "<uuid:public_id>/<str:token>/kompetencelandskab/",
        views.landscape_old_link,
        name="registration_landscape_old_link",
    ),
]

# Under /kursusbevis/: a certificate's verification page and its PDF, by the certificate's code.
certificate_urlpatterns = [
    path("<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("<str:code>/pdf/", views.certificate_download, name="certificate_pdf"),
]
