"""Asking, triage, answers, acceptance, the knowledge base, escalation and obligations."""

import datetime

import pytest
from django.utils import timezone

from meute.core.models import AuditEntry
from meute.files.storage import atomic_with_files, private_storage
from meute.members.models import Role
from meute.notifications.models import Kind, Notification
from meute.questions import escalation, experts, knowledge, obligations, services
from meute.questions.exceptions import QuestionError
from meute.questions.models import Article, Question, Status
from meute.questions.queries import question_themes
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, peer_group
from tests.files.samples import pdf_bytes, upload
from tests.questions.factories import ask, member_of, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory()
    team_of(network)
    return network


def test_asking_records_the_question_its_tags_and_an_audit_entry(network):
    """A member's question is stored with its tags, audited, and the team is told."""
    question = ask(network, tags="Recrutement, DUERP")
    assert sorted(question.tags.values_list("slug", flat=True)) == ["duerp", "recrutement"]
    assert AuditEntry.objects.filter(action="questions.question.asked").exists()
    assert Notification.objects.filter(kind=Kind.QUESTION_ASKED).count() == 1


def test_a_non_member_cannot_ask(network):
    """Someone outside the network cannot ask its team."""
    with pytest.raises(QuestionError):
        ask(network, author=LeaderFactory().user)
    assert not Question.objects.exists()


def test_a_group_scope_needs_the_authors_own_group(network):
    """A question to a peer group the author is not in is refused."""
    group = peer_group(network=network)
    with pytest.raises(QuestionError) as error:
        ask(network, scope="group", group=group)
    assert error.value.field == "group"
    member = group.members.first().leader.user
    assert ask(network, author=member, scope="group", group=group).group == group


def test_too_many_tags_are_refused(network):
    """Six tags are one too many."""
    with pytest.raises(QuestionError):
        ask(network, tags="a1, b2, c3, d4, e5, f6")


def test_routing_proposes_the_expert_whose_expertise_matches(network):
    """The member whose expertise speaks of recruitment comes first; the author is never proposed."""
    expert = member_of(network, expertise="recrutement, droit du travail, contrat de travail CDI")
    member_of(network, expertise="comptabilité, fiscalité")
    question = ask(network, title="Recrutement : CDI ou CDD ?",
                   body="Quel contrat de travail pour un premier salarié ?")
    proposals = experts.propose_experts(question)
    assert proposals and proposals[0].user == expert
    assert question.author_id not in {p.user.pk for p in proposals}


def test_routing_notifies_the_expert_and_refuses_outsiders(network):
    """Routed experts are told; someone outside the network cannot be routed to."""
    question = ask(network)
    staff = network.roles.get(role=Role.STAFF).user
    expert = member_of(network)
    with pytest.raises(QuestionError):
        services.check_route(question, [LeaderFactory().user], acting_user=staff)
    services.check_route(question, [expert], acting_user=staff)
    assert Notification.objects.filter(kind=Kind.QUESTION_ROUTED, recipient=expert).exists()
    with pytest.raises(QuestionError):
        services.check_route(question, [expert], acting_user=expert)


def test_accepting_resolves_and_counts_for_the_expert_badge(network):
    """The author accepts two answers; the question is resolved; withdrawing both reopens it."""
    question = ask(network, scope="network")
    one, two = member_of(network), member_of(network)
    a1 = services.check_answer(question, acting_user=one, body="Un CDD d'abord.")
    a2 = services.check_answer(question, acting_user=two, body="Un CDI avec période d'essai.")
    services.check_accept(a1, acting_user=question.author)
    services.check_accept(a2, acting_user=question.author)
    question.refresh_from_db()
    assert question.status == Status.RESOLVED
    services.check_accept(a1, acting_user=question.author, accept=False)
    services.check_accept(a2, acting_user=question.author, accept=False)
    question.refresh_from_db()
    assert question.status == Status.OPEN


def test_only_the_author_and_the_team_accept(network):
    """Another member who may read the question cannot accept an answer."""
    question = ask(network, scope="network")
    reader = member_of(network)
    answer = services.check_answer(question, acting_user=member_of(network), body="Réponse")
    with pytest.raises(QuestionError):
        services.check_accept(answer, acting_user=reader)


def test_the_author_cannot_answer_nor_mark_their_own(network):
    """The author comments rather than answers; an answer's author cannot mark it helpful."""
    question = ask(network, scope="network")
    with pytest.raises(QuestionError):
        services.check_answer(question, acting_user=question.author, body="x")
    expert = member_of(network)
    answer = services.check_answer(question, acting_user=expert, body="Réponse")
    with pytest.raises(QuestionError):
        services.check_helpful(answer, acting_user=expert)
    services.check_helpful(answer, acting_user=question.author)
    services.check_helpful(answer, acting_user=question.author)
    assert answer.helpful_marks.count() == 1


def test_details_then_the_authors_comment_reopen(network):
    """Asking for details sets the status; the author's comment puts the question back to open."""
    question = ask(network)
    staff = network.roles.get(role=Role.STAFF).user
    services.check_ask_details(question, acting_user=staff, body="Combien de salariés ?")
    question.refresh_from_db()
    assert question.status == Status.DETAILS
    services.check_comment(question, acting_user=question.author, body="Trois.")
    question.refresh_from_db()
    assert question.status == Status.OPEN


def test_merging_moves_the_answers_and_closing_stops_answers(network):
    """A merged duplicate's answers move to the kept question; a closed question takes no answer."""
    staff = network.roles.get(role=Role.STAFF).user
    kept, duplicate = ask(network, scope="network"), ask(network, scope="network")
    services.check_answer(duplicate, acting_user=member_of(network), body="Réponse")
    services.check_merge(duplicate, kept, acting_user=staff)
    assert kept.answers.count() == 1 and Question.objects.get(pk=duplicate.pk).status == Status.MERGED
    services.check_close(kept, acting_user=staff)
    with pytest.raises(QuestionError):
        services.check_answer(kept, acting_user=member_of(network), body="Trop tard")


def test_publishing_needs_consent_and_removes_names(network):
    """Without consent nothing is published; the draft replaces the author's and company's names."""
    author = member_of(network)
    author.first_name, author.last_name = "Gaëlle", "Morvan"
    author.save()
    question = ask(network, author=author, body=f"Chez {author.leader.company.name}, Gaëlle Morvan hésite.")
    staff = network.roles.get(role=Role.STAFF).user
    answer = services.check_answer(question, acting_user=staff, body="Un CDI.")
    services.check_accept(answer, acting_user=author)
    text = knowledge.draft(question)
    assert "Morvan" not in text["body"] and author.leader.company.name not in text["body"]
    fields = {"title": text["title"], "body": text["body"], "tags": "recrutement", "valid_on": datetime.date.today()}
    with pytest.raises(QuestionError):
        knowledge.check_publish(question, acting_user=staff, **fields)
    services.check_consent(question, acting_user=author)
    article = knowledge.check_publish(question, acting_user=staff, **fields)
    assert "recrutement" in article.search_text
    with pytest.raises(QuestionError):
        knowledge.check_publish(question, acting_user=staff, **fields)
    assert Article.objects.count() == 1


def test_escalation_tells_the_team_once(network, settings):
    """An open question without answer after N days is escalated once; an answered one is not."""
    settings.MEUTE_QUESTION_ESCALATION_DAYS = 3
    late, answered = ask(network), ask(network, scope="network")
    services.check_answer(answered, acting_user=member_of(network), body="Oui")
    Question.objects.update(created_at=timezone.now() - datetime.timedelta(days=4))
    assert escalation.due_question_ids() == [late.pk]
    assert escalation.escalate(late.pk) and not escalation.escalate(late.pk)
    assert Notification.objects.filter(kind=Kind.QUESTION_ESCALATED).count() == 1


def test_obligation_reminds_concerned_members_once_a_year(network):
    """Members of companies from 10 employees are reminded once in the month, with the article's title."""
    staff = network.roles.get(role=Role.STAFF).user
    big = MembershipFactory(network=network, leader__company__headcount="20-49").leader.user
    small = MembershipFactory(network=network, leader__company__headcount="3-5").leader.user
    now = timezone.now()
    obligation = obligations.check_create_obligation(network, acting_user=staff, title="Mise à jour du DUERP",
                                                     tag="DUERP", min_headcount="10-19", month=now.month)
    Article.objects.create(network=network, title="Le DUERP pas à pas", body="x", valid_on=now.date())
    network.articles.get().tags.add(obligation.tag)
    assert obligations.send_reminders(obligation.pk, now=now) == 1
    assert obligations.send_reminders(obligation.pk, now=now) == 0
    notification = Notification.objects.get(kind=Kind.OBLIGATION)
    assert notification.recipient == big and "Le DUERP pas à pas" in notification.body
    assert not Notification.objects.filter(recipient=small, kind=Kind.OBLIGATION).exists()


def test_cockpit_themes_count_questions_asked_by_several_people(network):
    """Two people asking about recruitment make a theme; one person alone does not."""
    ask(network, tags="recrutement")
    ask(network, tags="recrutement, paie")
    themes = question_themes(network)
    assert [(t.tag.slug, t.questions) for t in themes] == [("recrutement", 2)]


def test_answers_count_in_the_engagement_light(network):
    """A routed question answered counts as attended; a routed one left unanswered as expected only."""
    from meute.engagement.lights import compute_lights

    staff = network.roles.get(role=Role.STAFF).user
    expert = member_of(network)
    first, second = ask(network), ask(network)
    services.check_route(first, [expert], acting_user=staff)
    services.check_route(second, [expert], acting_user=staff)
    services.check_answer(first, acting_user=expert, body="Réponse")
    light = compute_lights(network.pk)[expert.leader.pk]
    assert light.components["answers"] == (2, 1, 0)


def test_staff_of_another_network_cannot_triage(network):
    """The team of another network is refused."""
    question = ask(network)
    with pytest.raises(QuestionError):
        services.check_close(question, acting_user=NetworkRoleFactory(role=Role.STAFF).user)


def test_an_answer_points_to_a_library_document_only_its_readers_see(network, client):
    """The link to a team-only document shows to the team, not to a member reading the answer."""
    from django.urls import reverse

    from meute.documents.services import check_add_document
    from tests.files.samples import pdf_bytes, upload

    staff = network.roles.get(role=Role.STAFF).user
    guide = check_add_document(network, acting_user=staff, title="Guide interne du recrutement", scope="team",
                               uploaded=upload("guide.pdf", pdf_bytes()))
    question = ask(network, scope="network")
    services.check_answer(question, acting_user=staff, body="Voir le guide.", document=guide)
    with pytest.raises(QuestionError):
        services.check_answer(question, acting_user=member_of(network), body="Ce guide", document=guide)
    page = reverse("web:question", args=[question.pk])
    client.force_login(member_of(network))
    assert "Guide interne du recrutement" not in client.get(page).content.decode()
    client.force_login(staff)
    assert "Guide interne du recrutement" in client.get(page).content.decode()


def test_the_personal_data_download_holds_the_persons_questions_and_answers(network):
    """A member's download lists the questions they asked (anonymous ones too) and their answers."""
    from meute.members.privacy import personal_data

    question = ask(network, title="Question discrète", anonymous=True, scope="network")
    expert = member_of(network)
    services.check_answer(question, acting_user=expert, body="Ma réponse")
    assert [q["title"] for q in personal_data(question.author)["questions"]] == ["Question discrète"]
    assert personal_data(question.author)["questions"][0]["anonymous"] is True
    assert [a["text"] for a in personal_data(expert)["answers"]] == ["Ma réponse"]
    assert personal_data(expert)["questions"] == []


def _question_files() -> set[str]:
    storage = private_storage()
    return set(storage.listdir("questions")[1]) if storage.exists("questions") else set()


def test_a_failure_after_the_attachment_is_saved_removes_its_file(network, monkeypatch):
    """The database fails after the file is saved: no attachment row and no file remain."""
    question = ask(network)
    before = _question_files()
    monkeypatch.setattr(services, "log_action", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.check_attach(question, upload("devis.pdf", pdf_bytes()), acting_user=question.author)
    assert not question.attachments.exists() and _question_files() == before


def test_asking_with_a_file_rolled_back_later_leaves_no_file(network):
    """The question and its file are one transaction: when it fails after the attach, the file goes too."""
    author = member_of(network)
    before = _question_files()
    with pytest.raises(LookupError), atomic_with_files():
        question = ask(network, author=author)
        services.check_attach(question, upload("devis.pdf", pdf_bytes()), acting_user=author)
        assert _question_files() != before
        raise LookupError
    assert not Question.objects.exists() and _question_files() == before


# ----------------------------------------------------------------------------- merging moves every child


@pytest.fixture
def merged(network):
    """A duplicate with an answer (marked helpful, commented, with a file), a comment, a file and two
    routings — one to an expert also routed to the kept question — merged into the kept question."""
    staff = network.roles.get(role=Role.STAFF).user
    kept, duplicate = ask(network, scope="network"), ask(network, scope="network")
    both, only = member_of(network), member_of(network)
    services.check_route(kept, [both], acting_user=staff)
    services.check_route(duplicate, [both, only], acting_user=staff)
    answerer = member_of(network)
    answer = services.check_answer(duplicate, acting_user=answerer, body="Réponse")
    services.check_helpful(answer, acting_user=duplicate.author)
    services.check_comment(duplicate, acting_user=staff, body="Sur la question")
    services.check_comment(duplicate, acting_user=duplicate.author, body="Sur la réponse", answer=answer)
    services.check_attach(duplicate, upload("devis.pdf", pdf_bytes()), acting_user=duplicate.author)
    services.check_attach(duplicate, upload("annexe.pdf", pdf_bytes()), acting_user=answerer, answer=answer)
    services.check_merge(duplicate, kept, acting_user=staff)
    return {"kept": kept, "duplicate": duplicate, "answer": answer, "both": both, "only": only, "staff": staff}


def test_merging_moves_the_comments_on_the_question_and_on_its_answers(merged):
    """Both comments of the duplicate now belong to the kept question; none stays behind."""
    kept, duplicate = merged["kept"], merged["duplicate"]
    assert sorted(kept.comments.values_list("body", flat=True)) == ["Sur la question", "Sur la réponse"]
    assert not duplicate.comments.exists()


def test_merging_moves_the_files_of_the_question_and_of_its_answers(merged):
    """The duplicate's file and its answer's file are the kept question's, still tied to the answer."""
    kept = merged["kept"]
    assert set(kept.attachments.values_list("name", "answer_id")) == {("devis.pdf", None),
                                                                       ("annexe.pdf", merged["answer"].pk)}
    assert not merged["duplicate"].attachments.exists()


def test_merging_keeps_the_helpful_marks_with_their_answer(merged):
    """The helpful mark follows its answer to the kept question."""
    answer = merged["kept"].answers.get()
    assert answer.pk == merged["answer"].pk and answer.helpful_marks.count() == 1


def test_merging_moves_routings_without_duplicating_an_expert(merged):
    """Each expert has one routing on the kept question; the duplicate keeps none."""
    kept = merged["kept"]
    assert sorted(kept.routings.values_list("expert_id", flat=True)) == sorted([merged["both"].pk, merged["only"].pk])
    assert not merged["duplicate"].routings.exists()


def test_merging_audits_what_moved(merged):
    """The audit entry counts each kind of row moved and the routing dropped as a duplicate."""
    entry = AuditEntry.objects.get(action="questions.question.merged")
    assert {k: entry.data[k] for k in ("answers_moved", "comments_moved", "attachments_moved", "routings_moved",
                                       "routings_dropped")} == {
        "answers_moved": 1, "comments_moved": 2, "attachments_moved": 2, "routings_moved": 1, "routings_dropped": 1}


def test_an_expert_routed_to_the_duplicate_is_led_to_the_kept_question(merged, client):
    """The expert's old link to a team-only duplicate leads them to the question it was merged into."""
    from django.urls import reverse

    Question.objects.filter(pk__in=[merged["kept"].pk, merged["duplicate"].pk]).update(scope="team")
    client.force_login(merged["only"])
    response = client.get(reverse("web:question", args=[merged["duplicate"].pk]))
    assert response.status_code == 302 and response.url == reverse("web:question", args=[merged["kept"].pk])


def test_a_member_not_routed_still_cannot_open_a_merged_team_question(merged, client):
    """Merging opens the duplicate to nobody new but the experts routed to the kept question."""
    from django.urls import reverse

    Question.objects.filter(pk__in=[merged["kept"].pk, merged["duplicate"].pk]).update(scope="team")
    client.force_login(member_of(merged["kept"].network))
    assert client.get(reverse("web:question", args=[merged["duplicate"].pk])).status_code == 404


# ----------------------------------------------------------------------------- reminders in each one's language


def test_an_obligation_reminder_is_written_in_each_recipients_language(network):
    """From one run, an English-speaking member reads English and a French-speaking one French."""
    from django.utils import translation

    from tests.factories import EventFactory

    staff = network.roles.get(role=Role.STAFF).user
    english = MembershipFactory(network=network, leader__company__headcount="20-49").leader.user
    french = MembershipFactory(network=network, leader__company__headcount="20-49").leader.user
    english.language, french.language = "en", "fr"
    english.save(update_fields=["language"])
    french.save(update_fields=["language"])
    now = timezone.now()
    obligation = obligations.check_create_obligation(network, acting_user=staff, title="DUERP", tag="DUERP",
                                                     min_headcount="10-19", month=timezone.localtime(now).month)
    Article.objects.create(network=network, title="Le DUERP pas à pas", body="x", valid_on=now.date())
    network.articles.get().tags.add(obligation.tag)
    EventFactory(network=network, title="Atelier DUERP",
                 starts_at=timezone.make_aware(datetime.datetime(now.year + 1, 1, 15, 10)))
    with translation.override("fr"):  # the server's language is not the recipients'
        assert obligations.send_reminders(obligation.pk, now=now) == 2
    to_english = Notification.objects.get(kind=Kind.OBLIGATION, recipient=english)
    to_french = Notification.objects.get(kind=Kind.OBLIGATION, recipient=french)
    assert to_english.title.startswith("Reminder:") and to_french.title.startswith("Rappel")
    assert "In the knowledge base" in to_english.body and "Next related event" in to_english.body
    assert "Jan. 15" in to_english.body and "Dans la base" not in to_english.body
    assert "Dans la base de connaissances" in to_french.body and "15 janvier" in to_french.body
