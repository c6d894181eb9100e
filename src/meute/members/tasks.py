"""Background jobs of the members app (django-tasks, database backend). Tasks take ids."""

from django_tasks import task


@task()
def send_invitation_batch(invitation_ids: list[int], acting_user_id: int) -> int:
    """Send many invitations, each in its own transaction; returns how many were sent."""
    from meute.accounts.models import User
    from meute.members.exceptions import InvitationInvalid
    from meute.members.models import Invitation, InvitationStatus
    from meute.members.permissions import can_manage_network
    from meute.members.sending import do_send_invitation

    acting_user = User.objects.get(pk=acting_user_id)
    sent = 0
    for invitation in Invitation.objects.filter(pk__in=invitation_ids, status=InvitationStatus.PENDING).select_related(
        "network"
    ).order_by("pk"):
        if not can_manage_network(acting_user, invitation.network):
            continue
        try:
            do_send_invitation(invitation, acting_user=acting_user)
        except InvitationInvalid:
            continue
        sent += 1
    return sent


@task()
def analyse_import(job_id: int) -> int:
    from meute.members.importjobs import run_analysis

    run_analysis(job_id)
    return job_id


@task()
def apply_import(job_id: int) -> int:
    from meute.members.importjobs import run_apply

    run_apply(job_id)
    return job_id
