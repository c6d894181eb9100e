import pytest
from django.core.management import call_command

from meute.advisor.introductions import list_suggestions
from meute.members.models import Leader


@pytest.mark.django_db
def test_demo_member_gets_people_to_meet(capsys):
    """After `meute demo`, the demo member's "people to meet" lists real suggestions with reasons."""
    call_command("demo", members=60)
    member = Leader.objects.get(user__email="membre@demo.meute.example")
    suggestions = list_suggestions(member.user)
    assert suggestions
    assert all(s.reasons for s in suggestions)
    assert member.pk not in {s.leader.pk for s in suggestions}
