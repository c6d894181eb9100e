import pytest

from meute.accounts.models import User
from meute.members.demo import PASSWORD, load_demo
from meute.members.models import Leader, Membership, Network, NetworkFamily

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo(seed=11, members=150)


def test_demo_has_about_150_leaders_in_four_departments(demo):
    """The demo territory has 150 leaders spread over the four départements."""
    departments = set(Leader.objects.values_list("company__department_id", flat=True))
    assert (Leader.objects.count(), departments) == (150, {"86", "79", "16", "17"})


def test_demo_logins_work(demo):
    """Every printed demo login authenticates with the demo password."""
    assert all(User.objects.get(email=email).check_password(PASSWORD) for email, _role in demo)


def test_demo_has_networks_of_several_families_and_a_peer_programme(demo):
    """The demo has networks of at least five families, one running peer groups."""
    families = set(Network.objects.values_list("family", flat=True))
    assert len(families) >= 5 and Network.objects.filter(runs_peer_groups=True, family=NetworkFamily.PEER).exists()


def test_capped_network_respects_its_maximum(demo):
    """A network with a maximum size never has more members than it."""
    capped = Network.objects.get(slug="cercle-20-angouleme")
    assert Membership.objects.filter(network=capped).count() <= capped.max_size


def test_demo_is_deterministic(demo):
    """The same seed gives the same people."""
    first = sorted(Leader.objects.values_list("company__siret", flat=True))
    Network.objects.all().delete()
    Leader.objects.all().delete()
    User.objects.all().delete()
    load_demo(seed=11, members=150)
    assert sorted(Leader.objects.values_list("company__siret", flat=True)) == first


def test_demo_directory_is_populated(demo):
    """The demo's people consented, so the directory shows most of them."""
    from meute.members.models import Leader

    assert Leader.objects.filter(in_directory=True).count() >= 100
    assert not Leader.objects.filter(in_directory=True, directory_consent_at__isnull=True).exists()
