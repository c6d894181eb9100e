"""URLs of pooled purchases (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.purchases import views

urlpatterns = [
    path("purchases/", views.purchases, name="purchases"),
    path("networks/<slug:slug>/purchases/new/", views.purchase_create, name="purchase_create"),
    path("purchases/<id:campaign_id>/", views.purchase, name="purchase"),
    path("purchases/<id:campaign_id>/progress/", views.purchase_progress, name="purchase_progress"),
    path("purchases/<id:campaign_id>/items/new/", views.item_create, name="purchase_item_create"),
    path("purchases/<id:campaign_id>/items/<id:item_id>/commit/", views.commit, name="purchase_commit"),
    path("purchases/<id:campaign_id>/points/<id:point_id>/", views.point_edit, name="purchase_point"),
    path("purchases/<id:campaign_id>/close/", views.close, name="purchase_close"),
    path("purchases/<id:campaign_id>/lines/<id:line_id>/", views.line_edit, name="purchase_line"),
    path("purchases/<id:campaign_id>/order.pdf", views.order_pdf, name="purchase_order_pdf"),
    path("purchases/<id:campaign_id>/<str:document>.<str:fmt>", views.document, name="purchase_document"),
]
