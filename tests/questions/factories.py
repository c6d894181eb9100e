"""Factories for questions: a network with its team, members and a question asked through the service."""

from meute.members.models import Role
from meute.questions.services import check_ask
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory


def team_of(network):
    return NetworkRoleFactory(network=network, role=Role.STAFF).user


def member_of(network, **leader):
    return MembershipFactory(network=network, **({"leader__" + k: v for k, v in leader.items()})).leader.user


def ask(network=None, author=None, *, title="Comment recruter un premier salarié ?",
        body="Nous hésitons entre CDD et CDI.", scope="team", tags="recrutement", **kwargs):
    """A question asked by ``author`` (a new member of ``network`` by default)."""
    network = network or NetworkFactory()
    author = author or member_of(network)
    return check_ask(network, acting_user=author, title=title, body=body, scope=scope, tags=tags, **kwargs)


def shareable(network):
    """A question of ``network`` answered, resolved and shared by its author: ready for the knowledge base."""
    from meute.questions.services import check_accept, check_answer, check_consent

    question = ask(network, scope="network")
    answer = check_answer(question, acting_user=member_of(network), body="Un CDI.")
    check_accept(answer, acting_user=question.author)
    check_consent(question, acting_user=question.author)
    return question
