"""URLs of questions, the knowledge base and obligations (included in meute.web.urls, namespace "web")."""

from django.urls import path

from meute.web.questions import views

urlpatterns = [
    path("questions/", views.questions, name="questions"),
    path("networks/<slug:slug>/questions/ask/", views.ask, name="question_ask"),
    path("questions/<id:question_id>/", views.question, name="question"),
    path("questions/<id:question_id>/answer/", views.answer, name="question_answer"),
    path("questions/<id:question_id>/files/<id:attachment_id>/", views.attachment, name="question_file"),
    path("questions/<id:question_id>/comment/", views.comment, name="question_comment"),
    path("questions/<id:question_id>/triage/", views.triage, name="question_triage"),
    path("questions/<id:question_id>/consent/", views.consent, name="question_consent"),
    path("questions/<id:question_id>/publish/", views.publish, name="question_publish"),
    path("questions/<id:question_id>/answers/<id:answer_id>/accept/", views.accept, name="answer_accept"),
    path("questions/<id:question_id>/answers/<id:answer_id>/helpful/", views.helpful, name="answer_helpful"),
    path("knowledge/", views.knowledge_base, name="knowledge"),
    path("knowledge/<id:article_id>/", views.article, name="article"),
    path("knowledge/<id:article_id>/edit/", views.article_edit, name="article_edit"),
    path("networks/<slug:slug>/obligations/", views.obligation_list, name="obligations"),
    path("obligations/<id:obligation_id>/active/", views.obligation_toggle, name="obligation_active"),
]
