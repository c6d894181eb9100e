"""Demo library: real small PDFs (made with WeasyPrint) and a spreadsheet in the two demo networks,
one for a peer group, linked from an upcoming event and from the group's next meeting."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from meute.accounts.models import User
from meute.documents.models import Scope
from meute.documents.services import check_add_document, check_add_version, check_link
from meute.events.models import Event
from meute.members.models import Network
from meute.peergroups.models import Meeting, PeerGroup

SLIDES = [
    ("Le DUERP en cinq points", ["Qui doit le tenir : toute entreprise dès le premier salarié",
                                "Mise à jour chaque année à partir de 11 salariés",
                                "Inventorier les risques par unité de travail",
                                "Coter gravité et fréquence, puis décider des actions",
                                "Le tenir à disposition des salariés et de l’inspection"]),
    ("Recruter son premier salarié", ["Définir le poste et le coût complet",
                                      "Les aides à l’embauche en Nouvelle-Aquitaine",
                                      "Déclaration préalable, registre du personnel, visite médicale"]),
    ("Charte des groupes de pairs", ["Ce qui se dit dans le groupe reste dans le groupe",
                                     "Chacun parle de son entreprise, pas de celle des autres",
                                     "Présence à chaque réunion : on prévient l’animateur sinon"]),
]


def pdf_bytes(title: str, points: list[str], *, footer: str = "") -> bytes:
    """A one-page PDF of a workshop's slides."""
    from weasyprint import HTML

    items = "".join(f"<li>{escape(p)}</li>" for p in points)
    html = (f"<html lang='fr'><head><meta charset='utf-8'><style>@page {{ size: A4 landscape; margin: 2cm }}"
            f" body {{ font-family: sans-serif }} h1 {{ color: #8a3b12 }} li {{ margin: .6em 0; font-size: 18pt }}"
            f"</style></head><body><h1>{escape(title)}</h1><ul>{items}</ul><p>{escape(footer)}</p></body></html>")
    return HTML(string=html).write_pdf()


def xlsx_bytes() -> bytes:
    """A risk-assessment grid, as members fill it in."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Évaluation"
    sheet.append(["Unité de travail", "Risque", "Gravité (1-4)", "Fréquence (1-4)", "Priorité", "Action"])
    for row in [("Atelier", "Coupure", 3, 3), ("Atelier", "Bruit", 2, 4), ("Bureau", "Écran", 1, 4),
                ("Livraisons", "Routier", 4, 2)]:
        sheet.append([*row, f"=C{sheet.max_row + 1}*D{sheet.max_row + 1}", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _file(name: str, data: bytes) -> ContentFile:
    return ContentFile(data, name=name)


@transaction.atomic
def load_demo_documents() -> None:
    staff = User.objects.get(email="staff@demo.meute.example")
    offensiv = Network.objects.get(slug="offensiv-pme")
    plato = Network.objects.get(slug="plato-vienne")
    now = timezone.now()
    (duerp_title, duerp), (hiring_title, hiring), (charter_title, charter) = SLIDES
    slides = check_add_document(offensiv, acting_user=staff, title=duerp_title, tags="DUERP, prévention, atelier",
                                description="Support de l’atelier « Document unique » animé avec un préventeur.",
                                scope=Scope.NETWORK, note="version présentée en atelier",
                                uploaded=_file("duerp-cinq-points.pdf", pdf_bytes(duerp_title, duerp[:3])))
    check_add_version(slides, acting_user=staff, note="ajout de la mise à jour annuelle",
                      uploaded=_file("duerp-cinq-points.pdf", pdf_bytes(duerp_title, duerp)))
    check_add_document(offensiv, acting_user=staff, title="Grille d’évaluation des risques", tags="DUERP, modèle",
                       description="Modèle à remplir : une ligne par risque, la priorité se calcule.",
                       scope=Scope.TERRITORY, uploaded=_file("grille-evaluation-risques.xlsx", xlsx_bytes()))
    check_add_document(offensiv, acting_user=staff, title=hiring_title, tags="ressources humaines, guide",
                       scope=Scope.NETWORK, uploaded=_file("premier-salarie.pdf", pdf_bytes(hiring_title, hiring)))
    check_add_document(offensiv, acting_user=staff, title="Budget des ateliers", tags="équipe",
                       scope=Scope.TEAM, description="Pour l’équipe : coûts des intervenants de l’année.",
                       uploaded=_file("budget-ateliers.pdf", pdf_bytes("Budget des ateliers", [
                           "Intervenants : 4 200 €", "Salles : 1 100 €"])))
    upcoming = Event.objects.filter(network=offensiv, starts_at__gte=now).order_by("starts_at")
    event = upcoming.filter(kind="workshop").first() or upcoming.first()
    if event is not None:
        check_link(slides, acting_user=staff, event=event)
    group = PeerGroup.objects.filter(network=plato, facilitator__email="animateur@demo.meute.example").first()
    if group is None:
        return
    charter_doc = check_add_document(plato, acting_user=group.facilitator, title=charter_title,
                                     tags="groupe, confidentialité", scope=Scope.GROUP, group=group,
                                     uploaded=_file("charte-groupe.pdf", pdf_bytes(charter_title, charter,
                                                                                   footer=group.name)))
    meeting = Meeting.objects.filter(group=group, starts_at__gte=now).order_by("starts_at").first()
    if meeting is not None:
        check_link(charter_doc, acting_user=group.facilitator, meeting=meeting)
