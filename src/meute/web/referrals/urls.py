"""URLs of referrals and one-to-ones (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.referrals import views

urlpatterns = [
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/suggestions/", views.referral_suggestions, name="referral_suggestions"),
    path("referrals/figures/", views.my_figures, name="referral_figures"),
    path("referrals/<id:referral_id>/", views.referral, name="referral"),
    path("referrals/<id:referral_id>/action/", views.referral_action, name="referral_action"),
    path("one-to-ones/", views.one_to_ones, name="one_to_ones"),
    path("one-to-ones/<id:one_to_one_id>/action/", views.one_to_one_action, name="one_to_one_action"),
    path("networks/<slug:slug>/referrals/", views.network_figures, name="network_referral_figures"),
    path("groups/<id:group_id>/referrals/", views.group_figures, name="group_referral_figures"),
]
