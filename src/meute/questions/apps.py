from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "meute.questions"
    label = "questions"
    verbose_name = _("Questions and knowledge base")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from meute.notifications.visibility import register_visibility, visible_through
        from meute.questions import components  # registers the engagement component

        for signal in (post_save, post_delete):
            signal.connect(components.routing_changed, sender="questions.Routing",
                           dispatch_uid=f"questions.routing_light.{signal is post_save}")
            signal.connect(components.answer_changed, sender="questions.Answer",
                           dispatch_uid=f"questions.answer_light.{signal is post_save}")

        from meute.members.access import access_changed
        from meute.members.signals import profiles_changed
        from meute.questions import experts

        # What members can answer changed: the cached routing proposals of their networks are stale.
        post_save.connect(experts.leader_saved, sender="members.Leader", dispatch_uid="questions.experts.leader")
        post_save.connect(experts.company_saved, sender="members.Company", dispatch_uid="questions.experts.company")
        access_changed.connect(experts.people_changed, dispatch_uid="questions.experts.memberships")
        profiles_changed.connect(experts.people_changed, dispatch_uid="questions.experts.profiles")

        register_visibility("questions.question", visible_through("meute.questions.queries.access_question"))
        register_visibility("questions.obligation", _obligation)


def _obligation(user, pk: int) -> bool:
    from meute.questions.models import Obligation
    from meute.questions.permissions import can_read_network_base

    obligation = Obligation.objects.filter(pk=pk).first()
    return obligation is not None and can_read_network_base(user, obligation.network_id)
