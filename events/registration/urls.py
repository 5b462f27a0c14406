from django.urls import path

from . import views

urlpatterns = [
    path("<id:page_id>/", views.register, name="registration_form"),
    path("<uuid:public_id>/<str:token>/", views.manage, name="registration_manage"),
    path("<uuid:public_id>/<str:token>/kompetencelandskab/", views.landscape, name="registration_landscape"),
]
