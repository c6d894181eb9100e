"""Demo questions: members of Offensiv'PME ask the team and their network (one anonymously), the
team routes to experts, experts answer, answers are accepted; three resolved questions are in the
knowledge base; an open question waits for the team; a yearly DUERP obligation is declared."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import User
from meute.members.models import Membership, MembershipStatus, Network
from meute.questions import experts, knowledge, obligations, services
from meute.questions.models import Question

QUESTIONS = [
    # title, body, tags, scope, anonymous, answer, resolved and published
    ("Premier recrutement : CDD ou CDI ?",
     "Nous voulons recruter notre premier salarié pour l'atelier. **CDD** pour tester, ou directement un CDI "
     "avec période d'essai ? Quelles aides existent ?",
     "recrutement", "network", False,
     "Un CDI avec période d'essai (deux mois renouvelable une fois pour un ouvrier) est souvent plus simple "
     "qu'un CDD, qui doit avoir un motif. Regardez l'aide à l'embauche de la Région et l'apprentissage.", True),
    ("Mettre à jour le DUERP quand on passe à 11 salariés",
     "Nous passons à 11 salariés cette année. Que change le Document unique d'évaluation des risques "
     "professionnels, et à quel rythme faut-il le mettre à jour ?",
     "duerp, prevention", "team", False,
     "À partir de 11 salariés, la mise à jour est **annuelle**, et à chaque changement important des "
     "conditions de travail. Gardez les versions successives : elles doivent être conservées 40 ans.", True),
    ("Relancer un client qui paie à 90 jours",
     "Un gros client paie systématiquement à 90 jours malgré nos conditions à 45 jours. Comment le relancer "
     "sans perdre le marché ?",
     "tresorerie, recouvrement", "network", True,
     "Rappelez le plafond légal de 60 jours, facturez les pénalités prévues aux conditions générales et "
     "proposez l'affacturage pour ce client seulement. La médiation des entreprises est gratuite.", True),
    ("Passer à la facturation électronique",
     "Quelles étapes pour une petite entreprise avant l'obligation de facturation électronique ?",
     "numerique, comptabilite", "territory", False, "", False),
    ("Entretien annuel : quelle trame ?",
     "Quelqu'un aurait-il une trame simple d'entretien annuel et professionnel ?",
     "recrutement, management", "network", False, "", False),
]


def _members(network: Network, count: int, rng: random.Random) -> list[User]:
    users = list(User.objects.filter(leader__memberships__network=network,
                                     leader__memberships__status=MembershipStatus.ACTIVE)
                 .exclude(email__endswith="@demo.meute.example").order_by("pk"))
    return rng.sample(users, min(count, len(users)))


@transaction.atomic
def load_demo_questions(seed: int = 2026) -> None:
    rng = random.Random(seed)
    network = Network.objects.get(slug="offensiv-pme")
    staff = User.objects.get(email="staff@demo.meute.example")
    member = User.objects.get(email="membre@demo.meute.example")
    askers = [member, *_members(network, len(QUESTIONS), rng)]
    now = timezone.now()
    for i, (title, body, tags, scope, anonymous, answer_text, resolved) in enumerate(QUESTIONS):
        author = askers[i % len(askers)]
        if not Membership.objects.filter(network=network, leader__user=author).exists():
            continue
        question = services.check_ask(network, acting_user=author, title=title, body=body, tags=tags, scope=scope,
                                      anonymous=anonymous)
        Question.objects.filter(pk=question.pk).update(created_at=now - datetime.timedelta(days=40 - 6 * i))
        if not answer_text:
            continue
        proposals = experts.propose_experts(question, limit=2)
        answerer = proposals[0].user if proposals else staff
        if proposals:
            services.check_route(question, [p.user for p in proposals], acting_user=staff)
        answer = services.check_answer(question, acting_user=answerer, body=answer_text)
        if resolved:
            services.check_accept(answer, acting_user=author)
            services.check_consent(question, acting_user=author)
            draft = knowledge.draft(question)
            knowledge.check_publish(question, acting_user=staff, title=draft["title"], body=draft["body"],
                                    tags=draft["tags"], valid_on=now.date())
    obligations.check_create_obligation(
        network, acting_user=staff, title="Mise à jour annuelle du DUERP", tag="duerp", min_headcount="10-19",
        month=timezone.localtime(now).month,
        description="Le Document unique d'évaluation des risques professionnels se met à jour chaque année "
                    "à partir de 11 salariés.")
