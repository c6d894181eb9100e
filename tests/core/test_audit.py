import pytest

from meute.core.audit import entries_for, log_action
from tests.factories import NetworkFactory, UserFactory


@pytest.mark.django_db
def test_log_action_records_actor_object_and_data():
    """An audit entry says who did what, on which object, with details."""
    user, network = UserFactory(), NetworkFactory()
    log_action("members.network.updated", actor=user, obj=network, data={"x": 1})
    entry = entries_for(network).get()
    assert (entry.actor, entry.action, entry.object_repr, entry.data) == (user, "members.network.updated",
                                                                         network.name, {"x": 1})
