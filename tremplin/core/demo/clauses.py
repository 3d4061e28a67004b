"""The clauses d'insertion of the demo: buyers, operations, lots, companies, the candidates' pool,
placements and monthly hours, at the scale of the 2023 activity report (seed 000).

Every full year of the period counts about 136 operations with hours from 33 buyers; 179 employers
(building 117, public works 11, services 23, EI/AI/ACI 11, ESAT 7, EA 1, ETTI 8, GEIQ 1); about 1,240
employees (26 % women, 20 % living in a QPV); about 89 hires; and 432,000, 452,000 then 465,000 counted
hours (2022: 432,316; 2023: 464,855), 31 % in BTP and 69 % in services, as in 2017. Hours are counted
with the rules of tremplin/clauses/counting.py while the placements are planned, so that each year
reaches its target.

Everything is planned in memory first: operations and lots with their sizing; then the placements,
year by year (each employer and each operation gets hours every year, then the hires, then placements
until the year's hours are reached); then the people, in the order the placements start: people of the
registry followed by the clauses service when their follow-up fits, else new people registered on the
day they are referred. Rows are then written with bulk inserts and a creation history row, except the
monthly hours records (plain bulk_create: tens of thousands of rows).
"""

import random
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tremplin.clauses.enums import (
    ALTERNANCE_CONTRACTS,
    NO_HOURS_BASES,
    SUBCONTRACTING_MODES,
    CandidateStatus,
    EligiblePublic,
    EvaluationStatus,
    FulfilmentMode,
    HireContract,
    LegalBasis,
    Sector,
)
from tremplin.clauses.models import (
    Candidate,
    CountingConvention,
    GlobalisationAgreement,
    HoursRecord,
    Lot,
    Market,
    Operation,
    Placement,
)
from tremplin.core.demo.data import CONTACT_TITLES, EMAIL_DOMAIN, LANDLINE_PREFIX, ORGANIZATIONS, SEED, STREETS
from tremplin.core.text import fold
from tremplin.people.enums import REFUSED, EducationLevel, FactKind, Programme, Sex
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType
from tremplin.structures.models import Contact, Organization
from tremplin.territory.models import RomeCode

M, C, K = FulfilmentMode, HireContract, OrganizationKind
BTP, SERVICES, INTELLECTUAL = Sector.BTP, Sector.SERVICES, Sector.INTELLECTUAL
PROVISION_MODES = {M.PROVISION_ETTI, M.PROVISION_AI, M.PROVISION_GEIQ}
CENT = Decimal("0.01")
SIRET_OFFSET = 1000  # demo_siret indexes of the clauses' structures (the static ones use 0 to 35)

# --- Volumes (seed 000 for 2022-2023, seed 004 for 2017) ---------------------------------------------

# Counted hours of each full year of the period (the first, the second, the last), and of the current
# year's months pro rata; the last half of the year before the period is a lead-in.
YEAR_HOURS = (432_000, 452_000, 465_000)
CURRENT_YEAR_HOURS = 465_000
LEAD_IN_HOURS = 215_000  # July to December of the year before the period
SECTOR_HOURS = {BTP: 0.31, SERVICES: 0.685, INTELLECTUAL: 0.005}
HIRES_PER_YEAR = 89
HIRE_SECTOR = {BTP: 0.6, SERVICES: 0.4}  # "60 % BTP / 40 % services" (seed 000)
# Operations starting each year; with their durations, about 136 run each year.
OPERATIONS_PER_YEAR = 56
SECTOR_OF_OPERATIONS = {BTP: 0.47, SERVICES: 0.49, INTELLECTUAL: 0.04}
# Women among the people placed, by sector (26 % of the employees), and a lower chance of living in a
# QPV than the registry's people (20 % of the employees).
WOMEN_SHARE = {BTP: 0.07, SERVICES: 0.35, INTELLECTUAL: 0.55}
QPV_FACTOR = 0.7
OUTSIDE_METROPOLE_SHARE = 0.10
# A person placed again within POOL_DAYS of the end of their last placement (the pool, the vivier);
# afterwards they leave the pool.
REUSE_SHARE = 0.38
POOL_DAYS = 365
# Candidacies that do not lead to a placement, a year: refusals, people validated then withdrawn; and,
# on the day the demo is loaded, referrals to receive and people waiting in the pool.
REFUSALS_PER_YEAR = 30
PENDING_REFERRALS = 14
WAITING_IN_POOL = 35
# Operations to come (sized, not started) and tripartite evaluations overdue.
FUTURE_OPERATIONS = 4
OVERDUE_EVALUATIONS = 6
EVALUATION_DAYS = (12, 45)

# --- Buyers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuyerSpec:
    key: str  # an OrgSpec key of data.py for the 5 buyers of the static data set
    name: str
    profile: str
    code: str  # in market references
    weight: float
    commune: str = "21231"
    street: str = ""


BUYERS = [
    BuyerSpec("dm-acheteur", "Dijon Métropole", "metropole", "DM", 13),
    BuyerSpec("ville-dijon", "Ville de Dijon", "commune", "VD", 12),
    BuyerSpec("gdh", "Grand Dijon Habitat", "bailleur", "GDH", 9),
    BuyerSpec("orvitis", "Orvitis", "bailleur", "ORV", 7),
    BuyerSpec("chu", "CHU Dijon Bourgogne", "hopital", "CHU", 5),
    BuyerSpec("habellis", "Habellis", "bailleur", "HAB", 5, street="boulevard de Sévigné"),
    BuyerSpec("cdc-habitat", "CDC Habitat – agence de Dijon", "bailleur", "CDC", 2, street="rue de Mirande"),
    BuyerSpec("villeo", "Villéo", "bailleur", "VIL", 2, street="boulevard Voltaire"),
    BuyerSpec(
        "splaad",
        "SPLAAD – Société publique locale d'aménagement de l'agglomération dijonnaise",
        "amenageur",
        "SPL",
        4,
        street="avenue du Drapeau",
    ),
    BuyerSpec("ube", "Université Bourgogne Europe", "universite", "UBE", 3, street="boulevard Gabriel"),
    BuyerSpec("crous", "CROUS Bourgogne-Franche-Comté", "universite", "CRO", 2, street="rue du Docteur-Maret"),
    BuyerSpec(
        "departement",
        "Département de la Côte-d'Or – direction du patrimoine",
        "departement",
        "CD21",
        3,
        street="rue de la Préfecture",
    ),
    BuyerSpec(
        "region-lycees",
        "Région Bourgogne-Franche-Comté – direction des lycées",
        "region",
        "RBFC",
        3,
        street="boulevard de la Trémouille",
    ),
    BuyerSpec("talant", "Ville de Talant", "commune", "TAL", 1.5, "21617", "rue de la Libération"),
    BuyerSpec("longvic", "Ville de Longvic", "commune", "LON", 1.5, "21355", "rue Jean-Jaurès"),
    BuyerSpec("chevigny", "Ville de Chevigny-Saint-Sauveur", "commune", "CSS", 1, "21171", "avenue de la République"),
    BuyerSpec("saint-apollinaire", "Ville de Saint-Apollinaire", "commune", "SAP", 1, "21540", "rue de Mirande"),
    BuyerSpec("fontaine", "Ville de Fontaine-lès-Dijon", "commune", "FLD", 1, "21278", "rue du Général-de-Gaulle"),
    BuyerSpec("marsannay", "Ville de Marsannay-la-Côte", "commune", "MLC", 1, "21390", "rue de la Mairie"),
    BuyerSpec("plombieres", "Ville de Plombières-lès-Dijon", "commune", "PLD", 0.8, "21485", "rue de la Mairie"),
    BuyerSpec(
        "chenove-achats", "Ville de Chenôve – commande publique", "commune", "CHE", 2, "21166", "avenue Roland-Carraz"
    ),
    BuyerSpec(
        "quetigny-achats", "Ville de Quetigny – commande publique", "commune", "QUE", 1.5, "21515", "avenue du Château"
    ),
    BuyerSpec(
        "plaine-dijonnaise",
        "Communauté de communes de la Plaine Dijonnaise",
        "commune",
        "CCPD",
        0.8,
        "21292",
        "rue de Dijon",
    ),
    BuyerSpec(
        "chartreuse", "Centre hospitalier La Chartreuse", "hopital", "CHS", 1.5, street="boulevard Chanoine-Kir"
    ),
    BuyerSpec("cgfl", "Centre Georges-François Leclerc", "hopital", "CGFL", 1, street="rue du Professeur-Marion"),
    BuyerSpec("sdis", "SDIS de la Côte-d'Or", "sdis", "SDIS", 1, street="rue du Sergent-Bobillot"),
    BuyerSpec("rectorat", "Rectorat de l'académie de Dijon", "etat", "REC", 1, street="rue Général-Delaborde"),
    BuyerSpec("prefecture", "Préfecture de la Côte-d'Or", "etat", "PREF", 1, street="rue de la Préfecture"),
    BuyerSpec("caf", "CAF de la Côte-d'Or", "etat", "CAF", 0.8, street="rue Léon-Mauris"),
    BuyerSpec("keolis", "Keolis Dijon Mobilités (Divia)", "transport", "KDM", 1.5, street="rue des Ateliers"),
    BuyerSpec("institut-agro", "Institut Agro Dijon", "universite", "IAD", 0.8, street="boulevard Docteur-Petitjean"),
    BuyerSpec("opera", "Opéra de Dijon", "culture", "OPE", 0.8, street="place du Théâtre"),
    BuyerSpec("congrexpo", "Dijon Congrexpo", "culture", "DCE", 0.8, street="avenue des Grands-Ducs-d'Occident"),
]
# Chance that a buyer's operation is works (BTP) rather than services.
BTP_SHARE = {
    "metropole": 0.45,
    "commune": 0.5,
    "bailleur": 0.62,
    "hopital": 0.35,
    "universite": 0.55,
    "amenageur": 0.9,
    "departement": 0.6,
    "region": 0.7,
    "etat": 0.25,
    "sdis": 0.6,
    "transport": 0.35,
    "culture": 0.3,
}
INTELLECTUAL_PROFILES = {"metropole", "bailleur", "amenageur", "universite", "commune"}

# Places for the operations' names (real places of Dijon and its metropolis; residences are invented).
SCHOOLS = [
    "Montchapet",
    "Colombière",
    "Jean-Jaurès",
    "Voltaire",
    "Mansart",
    "Petites-Roches",
    "Trémouille",
    "Darcy",
    "Drapeau",
    "Maladière",
    "Champollion",
    "Eiffel",
    "Buffon",
    "Larrey",
    "Joséphine-Baker",
    "Simone-Veil",
    "Anjou",
    "Flammarion",
]
VILLAGE_SCHOOLS = ["du Centre", "Jules-Ferry", "Pasteur", "des Tilleuls", "Marie-Curie", "Jean-Moulin"]
COLLEGES = [
    "Gaston-Bachelard",
    "Jean-Philippe-Rameau",
    "Les Lentillères",
    "Le Parc",
    "Marcelle-Pardé",
    "Clos-de-Pouilly",
]
LYCEES = ["Hippolyte-Fontaine", "Le Castel", "Carnot", "Montchapet", "Simone-Weil", "Les Marcs-d'Or"]
PARKS = [
    "parc de la Colombière",
    "jardin Darcy",
    "parc des Grésilles",
    "combe à la Serpent",
    "lac Kir",
    "parc du Drapeau",
]
ZACS = ["Jardin des Maraîchers", "Heudelet 26", "Via Romana", "Arsenal", "Ecoparc Dijon-Bourgogne", "Valmy"]
BUILDINGS = ["A", "B", "C", "D", "E", "Nord", "Sud"]
# Neighbourhoods: (name, INSEE code, is a QPV of the reference data, is in the national urban renewal programme).
AREAS = [
    ("Grésilles", "21231", True, True),
    ("Fontaine d'Ouche", "21231", True, True),
    ("Le Mail", "21166", True, True),
    ("Belvédère", "21617", True, False),
    ("Bief du Moulin", "21355", True, False),
    ("Centre-ville", "21515", True, False),
    ("Montchapet", "21231", False, False),
    ("Université", "21231", False, False),
    ("Toison d'Or", "21231", False, False),
    ("Clemenceau", "21231", False, False),
    ("Port du Canal", "21231", False, False),
    ("Bourroches", "21231", False, False),
    ("Valmy", "21231", False, False),
    ("Maladière", "21231", False, False),
    ("Chevreul-Parc", "21231", False, False),
]
RESIDENCES = {
    "Grésilles": ["Épirey", "Billardon", "Boutaric", "Castel"],
    "Fontaine d'Ouche": ["Le Lac", "Bachelard", "Les Saules", "Cap Vert"],
    "Le Mail": ["Saint-Exupéry", "Renan", "Les Acacias", "Boileau"],
    "Belvédère": ["Les Grands Crus", "Belvédère"],
    "Bief du Moulin": ["Les Peupliers", "Bief du Moulin"],
    "Centre-ville": ["Les Cèdres", "Le Nymphéa"],
}
OTHER_RESIDENCES = ["Les Tilleuls", "Le Parc", "Les Vignes", "Montmuzard", "Les Lilas", "Le Clos", "Les Marronniers"]

# Operation names: (template, works kind or service, sector). Works kinds: "building", "public_works".
BTP_NAMES = {
    "metropole": [
        ("Rénovation de la piscine du Carrousel", "building"),
        ("Réhabilitation de la piscine de la Fontaine d'Ouche", "building"),
        ("Requalification {street}", "public_works"),
        ("Aménagement du {park}", "public_works"),
        ("Extension du réseau de chaleur urbain – secteur {area}", "public_works"),
        ("Création d'une voie verte le long du canal de Bourgogne", "public_works"),
        ("Construction du centre technique de {commune}", "building"),
    ],
    "commune": [
        ("Réhabilitation du groupe scolaire {school}", "building"),
        ("Rénovation énergétique de l'école {school}", "building"),
        ("Construction du gymnase du quartier {area}", "building"),
        ("Extension de la crèche {school}", "building"),
        ("Mise en accessibilité de l'hôtel de ville de {commune}", "building"),
        ("Construction de la maison de santé de {commune}", "building"),
        ("Réfection des voiries du quartier {area}", "public_works"),
        ("Aménagement du cœur de ville de {commune}", "public_works"),
    ],
    "bailleur": [
        ("Réhabilitation thermique de {n} logements – résidence {residence}", "building"),
        ("Construction de {n} logements – résidence {residence}", "building"),
        ("Démolition de la résidence {residence}", "building"),
        ("Résidentialisation de la résidence {residence}", "public_works"),
        ("Remplacement des menuiseries de la résidence {residence}", "building"),
    ],
    "hopital": [
        ("Restructuration du bâtiment {building} {of}", "building"),
        ("Rénovation des blocs opératoires {of}", "building"),
        ("Mise en sécurité incendie du bâtiment {building} {of}", "building"),
        ("Construction d'un parking silo pour le personnel {of}", "building"),
    ],
    "universite": [
        ("Réhabilitation de la résidence universitaire {residence}", "building"),
        ("Rénovation énergétique du bâtiment {building} du campus Montmuzard", "building"),
        ("Restructuration du restaurant universitaire Montmuzard", "building"),
    ],
    "amenageur": [
        ("Aménagement de la ZAC {zac}", "public_works"),
        ("Viabilisation de l'écoquartier {zac}", "public_works"),
        ("Construction des équipements publics de la ZAC {zac}", "building"),
    ],
    "departement": [
        ("Rénovation énergétique du collège {college}", "building"),
        ("Restructuration du collège {college}", "building"),
        ("Réfection de la RD {n} à {commune}", "public_works"),
    ],
    "region": [
        ("Restructuration du lycée {lycee}", "building"),
        ("Rénovation de l'internat du lycée {lycee}", "building"),
    ],
    "etat": [
        ("Rénovation de la cité administrative Dampierre", "building"),
        ("Mise en accessibilité des locaux {of}", "building"),
    ],
    "sdis": [
        ("Construction du centre d'incendie et de secours de {commune}", "building"),
        ("Réhabilitation de la caserne Transvaal", "building"),
    ],
    "transport": [
        ("Extension du dépôt de tramway", "building"),
        ("Réaménagement du dépôt de bus de Valmy", "building"),
        ("Réfection des quais des stations de tramway", "public_works"),
    ],
    "culture": [
        ("Réfection de la toiture du Grand Théâtre", "building"),
        ("Rénovation de la grande salle de l'Auditorium", "building"),
        ("Extension du parc des expositions", "building"),
    ],
}
SERVICE_NAMES = {
    "metropole": [
        ("Propreté urbaine du centre-ville de Dijon", "cleaning"),
        ("Enlèvement des tags et de l'affichage sauvage", "cleaning"),
        ("Collecte des encombrants et des dépôts sauvages", "waste"),
        ("Entretien des espaces verts des zones d'activités", "green"),
        ("Nettoyage des locaux du siège de Dijon Métropole", "cleaning"),
        ("Gardiennage des déchetteries", "security"),
        ("Tri des collectes sélectives", "waste"),
    ],
    "commune": [
        ("Nettoyage des locaux des écoles de {commune}", "cleaning"),
        ("Nettoyage des bâtiments communaux de {commune}", "cleaning"),
        ("Restauration scolaire de {commune}", "catering"),
        ("Entretien des espaces verts de {commune}", "green"),
        ("Entretien des terrains de sport de {commune}", "green"),
        ("Déménagement et manutention des services de {commune}", "logistics"),
    ],
    "bailleur": [
        ("Nettoyage des parties communes – patrimoine {area}", "cleaning"),
        ("Entretien des espaces verts des résidences {area}", "green"),
        ("Enlèvement des encombrants des résidences {area}", "waste"),
        ("Remise en propreté des logements vacants", "cleaning"),
    ],
    "hopital": [
        ("Entretien ménager des services de soins {of}", "cleaning"),
        ("Blanchisserie et gestion du linge {of}", "laundry"),
        ("Bionettoyage des blocs opératoires {of}", "cleaning"),
        ("Brancardage et logistique interne {of}", "logistics"),
        ("Entretien des espaces verts {of}", "green"),
    ],
    "universite": [
        ("Nettoyage des locaux du campus Montmuzard", "cleaning"),
        ("Entretien des espaces verts du campus", "green"),
        ("Nettoyage des résidences universitaires", "cleaning"),
        ("Déménagement des laboratoires", "logistics"),
    ],
    "amenageur": [("Entretien des espaces publics de la ZAC {zac}", "green")],
    "departement": [
        ("Nettoyage des locaux des collèges du secteur {area}", "cleaning"),
        ("Entretien des dépendances vertes des routes départementales", "green"),
    ],
    "region": [("Nettoyage des locaux du lycée {lycee}", "cleaning")],
    "etat": [
        ("Nettoyage des locaux {of}", "cleaning"),
        ("Gardiennage et accueil {of}", "security"),
        ("Numérisation et archivage des dossiers {of}", "logistics"),
    ],
    "sdis": [("Nettoyage des casernes et des véhicules", "cleaning")],
    "transport": [
        ("Nettoyage des rames de tramway et des bus", "cleaning"),
        ("Nettoyage des stations et des abribus", "cleaning"),
    ],
    "culture": [
        ("Nettoyage des salles de spectacle", "cleaning"),
        ("Montage et démontage des salons", "logistics"),
    ],
}
INTELLECTUAL_NAMES = [
    "Assistance à maîtrise d'ouvrage pour le renouvellement urbain du quartier {area}",
    "Étude de programmation du groupe scolaire {school}",
    "Numérisation des archives {of}",
    "Enquête de satisfaction des locataires",
    "Diagnostic énergétique du patrimoine bâti",
]
INSERTION_MARKETS = [
    ("Marché d'insertion – entretien des berges de l'Ouche et du lac Kir", "green", SiaeType.ACI),
    ("Marché d'insertion – restauration du petit patrimoine (lavoirs, murets)", "building", SiaeType.ACI),
    ("Marché d'insertion – valorisation des encombrants et du mobilier de réemploi", "waste", SiaeType.EI),
]
SERVICE_MARKETS = {
    "cleaning": "Marché de prestations de nettoyage",
    "green": "Marché d'entretien des espaces verts",
    "catering": "Marché de restauration collective",
    "waste": "Marché de collecte et de traitement des déchets",
    "security": "Marché de gardiennage et de sécurité",
    "logistics": "Marché de manutention et de logistique",
    "laundry": "Marché de blanchisserie",
}
SERVICE_LOTS = {
    "cleaning": ["Bâtiments administratifs", "Écoles et équipements", "Vitrerie", "Sites sensibles"],
    "green": ["Secteur nord", "Secteur sud", "Terrains de sport"],
    "catering": ["Fabrication et livraison des repas", "Service en salle"],
    "waste": ["Collecte", "Tri et valorisation"],
    "security": ["Gardiennage", "Rondes et interventions"],
    "logistics": ["Manutention", "Déménagements"],
    "laundry": ["Linge plat", "Tenues professionnelles"],
}

# Building trades: (lot name, weight among lots, labour share, ROME codes sought, job titles).
TRADES = {
    "Gros œuvre": (10, "0.45", ["F1703", "F1704", "F1701"], ["Manœuvre gros œuvre", "Aide-maçon·ne"]),
    "Désamiantage – démolition": (4, "0.55", ["F1704"], ["Manœuvre démolition", "Opérateur·rice de désamiantage"]),
    "Charpente – couverture": (4, "0.45", ["F1610"], ["Aide-couvreur·se", "Manœuvre couverture"]),
    "Étanchéité": (3, "0.40", ["F1613"], ["Aide-étancheur·se"]),
    "Menuiseries extérieures": (6, "0.35", ["F1607"], ["Aide-menuisier·ère poseur·se"]),
    "Menuiseries intérieures": (5, "0.40", ["F1604", "F1607"], ["Aide-menuisier·ère agenceur·se"]),
    "Plâtrerie – peinture": (8, "0.60", ["F1601", "F1606"], ["Aide-plaquiste", "Peintre en bâtiment"]),
    "Électricité": (7, "0.40", ["F1602"], ["Aide-électricien·ne"]),
    "Plomberie – chauffage – ventilation": (7, "0.40", ["F1603"], ["Aide-plombier·ère chauffagiste"]),
    "Carrelage – faïence": (3, "0.55", ["F1608"], ["Aide-carreleur·se"]),
    "Revêtements de sols": (3, "0.50", ["F1609"], ["Aide-solier·ère"]),
    "Serrurerie – métallerie": (3, "0.40", ["H2911"], ["Aide-serrurier·ère métallier·ère"]),
    "Isolation thermique par l'extérieur": (4, "0.50", ["F1613", "F1611"], ["Façadier·ère isolation"]),
    "Nettoyage de chantier": (2, "0.80", ["K2204"], ["Agent·e de nettoyage de chantier"]),
}
PUBLIC_WORKS_TRADES = {
    "Terrassements – VRD": (6, "0.35", ["F1702", "F1704"], ["Ouvrier·ère VRD", "Manœuvre TP"]),
    "Voirie – revêtements": (5, "0.35", ["F1702"], ["Ouvrier·ère routier·ère"]),
    "Réseaux humides": (3, "0.40", ["F1705"], ["Canalisateur·rice", "Manœuvre réseaux"]),
    "Éclairage public – réseaux secs": (2, "0.40", ["F1605"], ["Aide-monteur·se réseaux"]),
}
SERVICE_JOBS = {
    "cleaning": (["K2204", "K2202"], ["Agent·e de propreté", "Agent·e de service", "Laveur·se de vitres"]),
    "green": (["A1203"], ["Agent·e d'entretien des espaces verts", "Ouvrier·ère paysagiste"]),
    "catering": (["G1603", "G1605", "G1602"], ["Agent·e de restauration", "Plongeur·se", "Commis de cuisine"]),
    "waste": (["K2303", "K2304"], ["Agent·e de collecte", "Agent·e de tri"]),
    "security": (["K2501"], ["Agent·e de sécurité"]),
    "logistics": (["N1105", "N1103"], ["Manutentionnaire", "Déménageur·se"]),
    "laundry": (["K2201"], ["Agent·e de blanchisserie"]),
    "intellectual": (["M1606", "M1607"], ["Opérateur·rice de saisie", "Agent·e de numérisation", "Enquêteur·rice"]),
}
PLANNED_HOURS_REASONS = [
    "Heures ajustées à la réunion de lancement : une partie de la fabrication se fait en atelier, hors chantier.",
    "Objectif relevé à la demande du maître d'ouvrage (opération du renouvellement urbain, charte ANRU).",
    "Montant du lot révisé par avenant ; heures maintenues au niveau du marché initial.",
    "Lot très technique (ascenseurs, courants faibles) : objectif réduit après étude avec l'entreprise.",
]

# --- Companies and SIAE ------------------------------------------------------------------------------

# Employers of the 2023 report, by kind (the static data set's ones included).
# Building companies (117) by trade, as the trades come among the lots (the static data set's two included).
BUILDING_COMPANIES = {
    "Gros œuvre": 21,
    "Plâtrerie – peinture": 12,
    "Électricité": 11,
    "Plomberie – chauffage – ventilation": 10,
    "Menuiseries intérieures": 9,
    "Menuiseries extérieures": 8,
    "Isolation thermique par l'extérieur": 7,
    "Désamiantage – démolition": 7,
    "Charpente – couverture": 6,
    "Carrelage – faïence": 6,
    "Étanchéité": 6,
    "Revêtements de sols": 5,
    "Serrurerie – métallerie": 5,
    "Nettoyage de chantier": 4,
}
PUBLIC_WORKS_COMPANIES = 11
SERVICE_COMPANIES = {"cleaning": 10, "green": 5, "catering": 2, "waste": 2, "security": 1, "logistics": 3}
SIAE = [  # (key, name, type, service or works, INSEE code, street); the static data set has one of each
    ("ei-net", "Net'Insertion Dijon", SiaeType.EI, "cleaning", "21231", "rue d'Auxonne"),
    ("ei-bati", "Bâti'Insertion 21", SiaeType.EI, "building", "21166", "rue Roger-Salengro"),
    ("ei-tri", "Tri Services Bourgogne", SiaeType.EI, "waste", "21355", "rue des Frères-Lumière"),
    ("aci-tille", "Chantier Nature de la Tille", SiaeType.ACI, "green", "21292", "rue d'Auxonne"),
    ("aci-chenove", "Atelier Bâtiment Solidaire de Chenôve", SiaeType.ACI, "building", "21166", "rue Jules-Ferry"),
    ("ai-quetigny", "Emploi Services Quetigny", SiaeType.AI, "cleaning", "21515", "rue des Vergers"),
    ("ai-longvic", "Solidarité Emploi Longvic", SiaeType.AI, "cleaning", "21355", "rue Pasteur"),
    ("etti-dijon", "Intérim Insertion Dijon", SiaeType.ETTI, "building", "21231", "boulevard de Strasbourg"),
    ("etti-cote-or", "ETTI Côte-d'Or Emploi", SiaeType.ETTI, "building", "21231", "avenue Jean-Jaurès"),
    ("etti-passerelle", "Passerelle Intérim", SiaeType.ETTI, "cleaning", "21231", "rue Monge"),
    ("etti-actif", "Actif Intérim Insertion", SiaeType.ETTI, "building", "21171", "rue de Dijon"),
    ("etti-bourgogne", "Bourgogne Travail Temporaire d'Insertion", SiaeType.ETTI, "building", "21355", "rue de Dijon"),
    ("etti-pluriel", "Pluriel Intérim 21", SiaeType.ETTI, "cleaning", "21617", "rue Marie-Curie"),
    ("etti-elan", "Élan Intérim Chenôve", SiaeType.ETTI, "building", "21166", "avenue du 14-Juillet"),
]
ADAPTED = [  # (key, name, activity, service, INSEE code, street)
    ("esat-mail", "ESAT Les Ateliers du Mail", Activity.ESAT, "cleaning", "21166", "rue Alfred-de-Musset"),
    ("esat-combe", "ESAT La Combe", Activity.ESAT, "green", "21390", "rue du Rocher"),
    ("esat-tilleuls", "ESAT Les Tilleuls", Activity.ESAT, "laundry", "21231", "rue d'Ahuy"),
    ("esat-plaine", "ESAT de la Plaine", Activity.ESAT, "green", "21292", "avenue de la Gare"),
    ("esat-vergers", "ESAT Les Vergers", Activity.ESAT, "logistics", "21515", "rue des Prairies"),
    ("esat-suzon", "ESAT du Suzon", Activity.ESAT, "cleaning", "21617", "rue du Belvédère"),
    ("esat-ouche", "ESAT Blanchisserie de l'Ouche", Activity.ESAT, "laundry", "21485", "rue de la Mairie"),
    ("ea-bourgogne", "EA Bourgogne Services Adaptés", Activity.ADAPTED, "cleaning", "21231", "rue de Longvic"),
]
# The static data set's companies and SIAE: key -> building trade or service.
STATIC_EMPLOYERS = {
    "btp": "Gros œuvre",
    "menuiserie": "Menuiseries intérieures",
    "proprete": "cleaning",
    "logistique": "logistics",
    "espaces-verts": "green",
    "restauration": "catering",
    "ei": "waste",
    "aci-jardins": "green",
    "aci-batiment": "building",
    "ai": "cleaning",
    "etti": "building",
    "geiq": "building",
}
INTELLECTUAL_FIRMS = [
    ("Cabinet Urbanisme et Territoires", "21231", "rue Chabot-Charny"),
    ("Bourgogne Ingénierie", "21231", "boulevard Carnot"),
    ("Archives et Numérisation Services", "21355", "rue des Frères-Lumière"),
    ("Études et Enquêtes Sociales 21", "21231", "rue de la Liberté"),
    ("Programmation et Patrimoine Conseil", "21278", "rue Pasteur"),
]
COMPANY_PATTERNS = {
    "Gros œuvre": ["Maçonnerie {name}", "{name} Bâtiment", "{name} et Fils", "Entreprise {name}", "Béton {place}"],
    "Désamiantage – démolition": ["Démolition {name}", "Désamiantage {place}"],
    "Charpente – couverture": ["Charpentes {name}", "Couverture {name}", "Toitures {place}"],
    "Étanchéité": ["Étanchéité {name}", "Étanchéité {place}"],
    "Menuiseries extérieures": ["Menuiseries {name}", "Fermetures {place}"],
    "Menuiseries intérieures": ["Menuiserie {name}", "Agencement {name}"],
    "Plâtrerie – peinture": ["Plâtrerie Peinture {name}", "Peintures {place}", "{name} Décoration"],
    "Électricité": ["Électricité {name}", "{name} Énergies", "Élec {place}"],
    "Plomberie – chauffage – ventilation": ["Plomberie Chauffage {name}", "Thermique {place}", "{name} Climatisation"],
    "Carrelage – faïence": ["Carrelages {name}", "Céramiques {place}"],
    "Revêtements de sols": ["Sols {name}", "Revêtements {place}"],
    "Serrurerie – métallerie": ["Métallerie {name}", "Serrurerie {place}"],
    "Isolation thermique par l'extérieur": ["Isolation Façades {name}", "Façades {place}"],
    "Nettoyage de chantier": ["Nettoyage de chantiers {name}"],
    "public_works": ["{name} TP", "Terrassements {name}", "Routes et Réseaux {place}", "VRD {name}"],
    "cleaning": ["Propreté {name}", "Net'{place}", "{name} Nettoyage", "Hygiène Services {place}"],
    "green": ["Paysages {name}", "Jardins {place}", "Espaces Verts {name}"],
    "catering": ["Restauration {place}", "Cuisine Collective {name}"],
    "waste": ["Collecte et Recyclage {place}", "{name} Environnement"],
    "security": ["Sécurité Gardiennage {place}"],
    "logistics": ["Déménagements {name}", "Logistique {place}"],
}
PLACES = [
    "de la Côte",
    "du Val de Saône",
    "de l'Auxois",
    "de la Tille",
    "de l'Ouche",
    "du Dijonnais",
    "des Hautes-Côtes",
    "de la Plaine",
    "Bourguignon",
    "des Ducs",
    "du Suzon",
    "de Côte-d'Or",
]
COMPANY_COMMUNES = {
    "21231": 40,
    "21166": 8,
    "21355": 8,
    "21515": 6,
    "21171": 6,
    "21540": 5,
    "21390": 4,
    "21278": 4,
    "21452": 3,
    "21292": 6,
    "21038": 4,
    "21317": 3,
    "21054": 3,
}
COMPANY_STREETS = [
    "rue de l'Industrie",
    "rue des Artisans",
    "zone artisanale des Grandes Varennes",
    "rue du Pré-Fleuri",
    "avenue de la Gare",
    "rue des Frères-Montgolfier",
    "rue Antoine-Becquerel",
    "rue Pierre-de-Coubertin",
    "route de Dijon",
    "rue de l'Europe",
]

# --- Placements: fulfilment mode, contract, employer, monthly hours, duration (months) ---------------


@dataclass(frozen=True)
class Profile:
    mode: str
    contract: str
    employer: str  # "attributaire", or the SIAE type, or "adapted" (EA, ESAT)
    hours: tuple[float, float]  # hours of a full month
    months: tuple[int, int]
    weight: float = 1
    training: float = 0  # training hours a month (alternance)


FILL_PROFILES = {
    BTP: [
        Profile(M.PROVISION_ETTI, C.CTTI, SiaeType.ETTI, (110, 151.67), (1, 4), 40),
        Profile(M.DIRECT_HIRE, C.INTERIM, "attributaire", (100, 151.67), (1, 3), 16),
        Profile(M.SUBCONTRACTING_ACI, C.CDDI, SiaeType.ACI, (86.67, 121.33), (3, 8), 8),
        Profile(M.SUBCONTRACTING_EI, C.CDDI, SiaeType.EI, (104, 151.67), (3, 8), 8),
        Profile(M.PROVISION_AI, C.OTHER, SiaeType.AI, (40, 100), (1, 4), 6),
    ],
    SERVICES: [
        Profile(M.PROVISION_AI, C.OTHER, SiaeType.AI, (40, 104), (2, 8), 20),
        Profile(M.SUBCONTRACTING_EI, C.CDDI, SiaeType.EI, (86.67, 130), (4, 12), 14),
        Profile(M.SUBCONTRACTING_ACI, C.CDDI, SiaeType.ACI, (86.67, 104), (4, 12), 11),
        Profile(M.PROVISION_ETTI, C.CTTI, SiaeType.ETTI, (70, 151.67), (1, 4), 20),
        Profile(M.DIRECT_HIRE, C.INTERIM, "attributaire", (60, 151.67), (1, 3), 14),
        Profile(M.SUBCONTRACTING_EA, C.OTHER, "adapted", (70, 121.33), (4, 12), 9),
    ],
    INTELLECTUAL: [
        Profile(M.SUBCONTRACTING_EI, C.CDDI, SiaeType.EI, (60, 104), (2, 6), 2),
        Profile(M.SUBCONTRACTING_EA, C.OTHER, "adapted", (50, 100), (3, 9), 1),
    ],
}
HIRE_PROFILES = {
    BTP: [
        Profile(M.DIRECT_HIRE, C.CDI, "attributaire", (151.67, 151.67), (10, 30), 34),
        Profile(M.DIRECT_HIRE, C.CDD, "attributaire", (140, 151.67), (3, 9), 20),
        Profile(M.PROVISION_GEIQ, C.PROFESSIONALISATION, SiaeType.GEIQ, (105, 120), (9, 18), 20, training=35),
        Profile(M.DIRECT_HIRE, C.PROFESSIONALISATION, "attributaire", (105, 120), (9, 18), 10, training=35),
        Profile(M.DIRECT_HIRE, C.APPRENTICESHIP, "attributaire", (100, 115), (12, 24), 6, training=45),
        Profile(M.DIRECT_HIRE, C.QUALIFYING_TRAINING, "attributaire", (70, 140), (2, 4), 10),
    ],
    SERVICES: [
        Profile(M.DIRECT_HIRE, C.CDI, "attributaire", (80, 151.67), (12, 36), 40),
        Profile(M.DIRECT_HIRE, C.CDD, "attributaire", (60, 130), (3, 9), 22),
        Profile(M.DIRECT_HIRE, C.PROFESSIONALISATION, "attributaire", (100, 115), (9, 15), 26, training=35),
        Profile(M.DIRECT_HIRE, C.APPRENTICESHIP, "attributaire", (100, 115), (12, 24), 4, training=45),
        Profile(M.DIRECT_HIRE, C.QUALIFYING_TRAINING, "attributaire", (70, 140), (2, 4), 8),
    ],
}
COVERAGE_PROFILE = {
    BTP: Profile(M.DIRECT_HIRE, C.INTERIM, "attributaire", (100, 151.67), (1, 3)),
    SERVICES: Profile(M.DIRECT_HIRE, C.INTERIM, "attributaire", (60, 130), (1, 3)),
}
# The market holder of a reserved market employs the people itself.
RESERVED_PROFILES = {
    SiaeType.EI: Profile(M.DIRECT_HIRE, C.CDDI, "attributaire", (86.67, 130), (4, 12)),
    SiaeType.ACI: Profile(M.DIRECT_HIRE, C.CDDI, "attributaire", (86.67, 104), (4, 12)),
    Activity.ESAT: Profile(M.DIRECT_HIRE, C.OTHER, "attributaire", (70, 121.33), (4, 12)),
    Activity.ADAPTED: Profile(M.DIRECT_HIRE, C.OTHER, "attributaire", (80, 151.67), (4, 12)),
}
INSERTION_PROFILE = Profile(M.DIRECT_HIRE, C.CDDI, "attributaire", (0, 0), (4, 10))
HIRE_CONTRACTS = {C.CDI, C.CDD, C.PROFESSIONALISATION, C.APPRENTICESHIP, C.QUALIFYING_TRAINING}

# --- Counting conventions and globalisation -------------------------------------------------------------

CHARTER = "Charte départementale des clauses d'insertion de Côte-d'Or, 2021"
PROVENANCES = [
    (f"{CHARTER}, reprise à l'article 9 du CCAP du marché.", 55),
    ("Guide de l'Alliance Villes Emploi (AVE) sur le comptage des heures d'insertion, annexé au marché.", 15),
    ("CCAP du marché, article 7.4 « Clause sociale d'insertion ».", 20),
    (f"Charte des achats responsables de l'acheteur, 2022, et {CHARTER}.", 10),
]
ANRU_PROVENANCE = (
    "Charte locale d'insertion du NPNRU de Dijon Métropole (ANRU), 2019 : 5 % des heures travaillées des "
    f"marchés de travaux réservées à l'insertion ; {CHARTER}."
)
SUBCONTRACTING_RATES = [Decimal("30.00"), Decimal("33.00"), Decimal("35.00")]
CDI_EQUIVALENCE = Decimal("600.00")

# --- People ---------------------------------------------------------------------------------------------

# Prescribers (PRESCRIBER structures of the static data set) and their advisers' first names.
PRESCRIBER_KEYS = ["ft-marbotte", "ft-toison", "ft-chenove", "cd21-rsa", "ccas", "cap-emploi"]
REFERRAL_REASONS = {
    BTP: [
        "Demandeur d'emploi de longue durée, expérience de manœuvre sur chantier, souhaite travailler dans le BTP.",
        "Projet professionnel dans le bâtiment validé en atelier découverte des métiers ; disponible immédiatement.",
        "Ancien maçon au chômage depuis deux ans, permis B, souhaite reprendre une activité sur chantier.",
        "Jeune sans diplôme motivé par les travaux publics, demande une première expérience en entreprise.",
    ],
    SERVICES: [
        "Recherche un emploi à temps partiel dans la propreté, compatible avec la garde des enfants.",
        "Expérience en restauration collective, souhaite retrouver un emploi stable après une longue interruption.",
        "Demande une mise en situation professionnelle dans les espaces verts pour confirmer son projet.",
        "Bénéficiaire du RSA, prête à reprendre une activité dans le nettoyage ou la manutention.",
    ],
    INTELLECTUAL: ["Souhaite une expérience administrative (saisie, numérisation) après une formation bureautique."],
}
VALIDATION_REASONS = [
    "Éligible ({public}, justificatif vu). Motivé·e, disponible immédiatement, capable d'occuper un poste en "
    "entreprise dès maintenant : entre au vivier.",
    "Éligible ({public}). Expérience confirmée dans le métier, mobilité assurée (permis B) : entre au vivier.",
    "Éligible ({public}). Projet réaliste, savoir-être correct à l'entretien ; prévoir une évaluation à un mois.",
]
REFUSAL_REASONS = [
    "Non éligible : inscrit·e à France Travail depuis quatre mois seulement et diplômé·e d'un BTS ; "
    "réorienté·e vers son conseiller France Travail.",
    "Éligible, mais problèmes de santé incompatibles à ce jour avec les postes proposés : orientation vers "
    "l'action santé du PLIE, à revoir dans six mois.",
    "Formation qualifiante en cours jusqu'à l'été : candidature à renouveler à l'issue de la formation.",
    "Ne souhaite finalement pas travailler sur chantier ni en horaires décalés : pas de poste adapté.",
]
WITHDRAWAL_REASONS = [
    "Emploi durable trouvé hors clauses.",
    "Déménagement hors de la Côte-d'Or.",
    "Ne répond plus aux propositions de mission malgré les relances.",
    "Entrée en formation qualifiante longue.",
    "Indisponible pour raisons de santé.",
]
EVALUATION_NOTES = [
    "Bonne intégration dans l'équipe, ponctualité à travailler. Le tuteur propose une prolongation.",
    "Tâches maîtrisées, autonomie en progrès ; point sur les équipements de protection fait avec le chef de chantier.",
    "Difficultés de transport en début de mission, résolues avec un abonnement Divia. Tuteur satisfait.",
    "Salarié·e motivé·e, à orienter vers une formation qualifiante à l'issue du contrat.",
    "Quelques retards au démarrage ; objectifs fixés pour le mois suivant avec le tuteur et la personne.",
    "Très bon retour de l'entreprise : une embauche est envisagée à la fin du marché.",
]
PROOFS = {
    EligiblePublic.DELD: "Attestation France Travail d'inscription depuis plus de 12 mois",
    EligiblePublic.RSA: "Attestation de droits de la CAF (RSA)",
    EligiblePublic.ASS: "Attestation France Travail de versement de l'ASS",
    EligiblePublic.AAH: "Notification de la CAF (AAH)",
    EligiblePublic.RQTH: "Notification de la MDPH (RQTH)",
    EligiblePublic.YOUNG_LOW_QUALIFIED: "Attestation de la Mission Locale et relevé du dernier diplôme",
    EligiblePublic.SIAE_EMPLOYEE: "Contrat de travail de la SIAE et attestation de l'employeur",
    EligiblePublic.EPIDE_E2C: "Attestation de sortie de l'École de la 2e chance",
    EligiblePublic.FACILITATOR_DECISION: "Décision motivée : sortie de détention récente, sans emploi depuis deux ans "
    "(courrier du SPIP)",
}


def _round(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _month_end(month: date) -> date:
    return _next_month(month) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, 28))


# --- Plan -------------------------------------------------------------------------------------------------


@dataclass
class _Operation:
    obj: Operation
    buyer: BuyerSpec
    works: str  # "building", "public_works", a service, or "insertion"
    convention: CountingConvention | None = None
    lots: list = field(default_factory=list)
    agreement: object = None  # _Agreement


@dataclass
class _Lot:
    obj: Lot
    operation: _Operation
    trade: str  # building trade, public works trade, or service
    weight: float = 0.0  # planned hours a month

    @property
    def sector(self) -> str:
        return self.operation.obj.sector


@dataclass
class _Agreement:
    obj: GlobalisationAgreement
    operations: list


@dataclass
class _Record:
    month: date
    hours: Decimal
    training: Decimal = Decimal("0.00")
    amount: Decimal | None = None
    worked_on: _Operation | None = None
    counted: Decimal = Decimal("0.00")


@dataclass
class _Placement:
    lot: _Lot
    profile: Profile
    employer: Organization
    started_on: date
    end: date  # the last day worked (planned end when to come)
    job_title: str
    records: list = field(default_factory=list)
    worker: object = None  # _Worker
    index: int = 0

    @property
    def sector(self) -> str:
        return self.lot.sector


@dataclass
class _Worker:
    """A person of the clauses service: from the registry (draft), or to create."""

    sex: str
    referred_on: date
    draft: object = None  # generator._Draft, once known
    follow_up: dict | None = None  # the registry person's CLAUSES follow-up
    placements: list = field(default_factory=list)
    busy_until: date = date.min
    sector: str = ""
    status: str = CandidateStatus.VALIDATED
    decided_on: date | None = None
    left_on: date | None = None  # refusal or withdrawal: the end of the follow-up
    candidate: Candidate | None = None
    prescriber: Organization | None = None

    @property
    def window_end(self) -> date | None:
        return self.follow_up["ended_on"] if self.follow_up else None


class ClausesDemo:
    def __init__(self, builder):
        self.b = builder
        self.rng = random.Random(SEED + 4)
        self.today = builder.today
        self.first_year = builder.start.year
        self.lead_in = date(self.first_year - 1, 7, 1)
        # Hours are recorded up to the last full month.
        self.last_month = _month(_month(self.today) - timedelta(days=1))
        self.last_day = _month_end(self.last_month)
        self.operations: list[_Operation] = []
        self.lots: list[_Lot] = []
        self.placements: list[_Placement] = []
        self.workers: list[_Worker] = []
        self.agreements: list[_Agreement] = []
        self.counted = defaultdict(Decimal)  # (year, sector) -> counted hours
        self.employers_by_kind: dict[str, list[Organization]] = defaultdict(list)
        self.cycles: dict[str, list] = {}
        self.references = Counter()
        self.employed = defaultdict(set)  # year -> id() of the employers with counted hours
        self.strays = 0
        self.names = set()

    # Helpers ------------------------------------------------------------------------------------------

    def _moment(self, day: date) -> datetime:
        day = min(day, self.today)
        return timezone.make_aware(datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59))))

    def _stamp(self, record, user, day: date):
        record._history_user = user
        record._history_date = self._moment(day)
        return record

    def _day(self, first: date, last: date) -> date:
        """A weekday between first and last (first when the span is empty)."""
        if last <= first:
            return first
        day = first + timedelta(days=self.rng.randint(0, (last - first).days))
        while day.weekday() >= 5 and day < last:
            day += timedelta(days=1)
        return day

    def _cycle(self, key: str, items: list):
        """The next item of a shuffled round: every item comes once before any comes twice."""
        queue = self.cycles.get(key)
        if not queue:
            queue = list(items)
            self.rng.shuffle(queue)
            self.cycles[key] = queue
        return queue.pop()

    def _weighted(self, items: list, weights: list):
        return self.rng.choices(items, weights=weights)[0]

    # Build ----------------------------------------------------------------------------------------------

    def build(self, drafts) -> None:
        b = self.b
        self.facilitator, self.assistant = b.facilitator, b.users["assistance"]
        self.company_user = b.users["entreprise"]
        self.creativ = b.organizations["creativ"]
        self.romes = {r.code: r for r in RomeCode.objects.all()}
        self._organizations()
        self._operations()
        self._agreements()
        self._plan_placements()
        self._people(drafts)
        self._write()

    # Structures ------------------------------------------------------------------------------------------

    def _organization(self, name, kind, commune, street, *, siae_type="", activity="", website=""):
        from tremplin.core.demo.generator import demo_siret

        b = self.b
        index = SIRET_OFFSET + len(self.new_organizations)
        siret = demo_siret(index) if kind in (K.COMPANY, K.SIAE) or self.rng.random() < 0.9 else ""
        slug = fold(name).replace(" ", "-")[:40].strip("-")
        while slug in self.slugs:
            slug = f"{slug[:36]}-{len(self.slugs)}"
        self.slugs.add(slug)
        organization = Organization(
            name=name,
            kind=kind,
            siae_type=siae_type,
            siret=siret,
            activity=activity,
            address=b._address([street]),
            commune=b.communes[commune],
            email=f"contact@{slug}.{EMAIL_DOMAIN}",
            phone=b._phone(LANDLINE_PREFIX),
            website=website,
            search_text=fold(f"{name} {siret}")[:255],
        )
        self._stamp(organization, b.admin, b.start - timedelta(days=self.rng.randint(200, 900)))
        organization._slug = slug
        self.new_organizations.append(organization)
        return organization

    def _company_name(self, pattern_key: str) -> str:
        patterns = COMPANY_PATTERNS[pattern_key]
        for _ in range(50):
            name = self.rng.choice(patterns).format(name=self.b.fake.last_name(), place=self.rng.choice(PLACES))
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError(f"No free company name for {pattern_key}")

    def _company_commune(self) -> str:
        return self._weighted(list(COMPANY_COMMUNES), list(COMPANY_COMMUNES.values()))

    def _organizations(self) -> None:
        b, rng = self.b, self.rng
        self.new_organizations, self.slugs = [], set()
        self.names = {o.name for o in b.organizations.values()}
        self.buyers = {}
        for spec in BUYERS:
            if spec.key in b.organizations:
                self.buyers[spec.key] = b.organizations[spec.key]
            else:
                self.buyers[spec.key] = self._organization(spec.name, K.BUYER, spec.commune, spec.street)
        # Employers by building trade, public works, service, SIAE type, EA/ESAT.
        self.by_trade = defaultdict(list)
        self.by_service = defaultdict(list)
        self.siae = defaultdict(list)
        self.adapted = []
        self.adapted_service = {}
        for key, trade in STATIC_EMPLOYERS.items():
            organization = b.organizations[key]
            if organization.kind == K.SIAE:
                self.siae[organization.siae_type].append(organization)
            elif trade in TRADES:
                self.by_trade[trade].append(organization)
            else:
                self.by_service[trade].append(organization)
        chosen = [
            trade for trade, count in BUILDING_COMPANIES.items() for _ in range(count - len(self.by_trade[trade]))
        ]
        for trade in chosen:
            commune = self._company_commune()
            organization = self._organization(
                self._company_name(trade),
                K.COMPANY,
                commune,
                rng.choice(COMPANY_STREETS),
                activity=Activity.BUILDING,
            )
            self.by_trade[trade].append(organization)
        for _ in range(PUBLIC_WORKS_COMPANIES):
            organization = self._organization(
                self._company_name("public_works"),
                K.COMPANY,
                self._company_commune(),
                rng.choice(COMPANY_STREETS),
                activity=Activity.PUBLIC_WORKS,
            )
            self.by_trade["public_works"].append(organization)
        for service, count in SERVICE_COMPANIES.items():
            for _ in range(count - len(self.by_service[service])):
                organization = self._organization(
                    self._company_name(service),
                    K.COMPANY,
                    self._company_commune(),
                    rng.choice(COMPANY_STREETS),
                    activity=Activity.SERVICES,
                )
                self.by_service[service].append(organization)
        for _key, name, siae_type, _service, commune, street in SIAE:
            organization = self._organization(name, K.SIAE, commune, street, siae_type=siae_type)
            self.siae[siae_type].append(organization)
        for _key, name, activity, service, commune, street in ADAPTED:
            organization = self._organization(name, K.COMPANY, commune, street, activity=activity)
            self.adapted.append(organization)
            self.adapted_service[id(organization)] = service
        self.firms = [
            self._organization(name, K.COMPANY, commune, street, activity=Activity.OTHER)
            for name, commune, street in INTELLECTUAL_FIRMS
        ]
        created = bulk_create_with_history(self.new_organizations, Organization)
        contacts = []
        for organization in created:
            for male_title, female_title in CONTACT_TITLES[organization.kind][: rng.randint(1, 2)]:
                sex = Sex.WOMAN if rng.random() < 0.5 else Sex.MAN
                first_name, last_name = b._first_name(sex), b.fake.last_name()
                contact = Contact(
                    organization=organization,
                    first_name=first_name,
                    last_name=last_name,
                    job_title=female_title if sex == Sex.WOMAN else male_title,
                    email=f"{b._email_part(first_name)}.{b._email_part(last_name)}@{organization._slug}.{EMAIL_DOMAIN}",
                    phone=b._phone(LANDLINE_PREFIX),
                )
                contacts.append(self._stamp(contact, b.admin, b.start - timedelta(days=120)))
        bulk_create_with_history(contacts, Contact)

    def _service_employer(self, service: str) -> Organization:
        companies = self.by_service.get(service) or self.by_service["cleaning"]
        return self._cycle(f"service:{service}", companies)

    def _siae_employer(self, siae_type: str) -> Organization:
        return self._cycle(f"siae:{siae_type}", self.siae[siae_type])

    # Operations, markets, lots ----------------------------------------------------------------------------

    def _operations(self) -> None:
        """Operations starting each year from four years before the period (the long ones still run in it)."""
        rng, today = self.rng, self.today
        specs = {spec.key: spec for spec in BUYERS}
        keys, weights = list(specs), [spec.weight for spec in specs.values()]
        for year in range(self.first_year - 4, today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), today)
            share = ((last - first).days + 1) / 365
            count = round(OPERATIONS_PER_YEAR * share)
            buyers = []
            if year >= self.first_year - 1:
                # Each buyer has an operation running every year.
                running = {
                    op.buyer.key
                    for op in self.operations
                    if op.obj.ended_on >= date(year, 3, 1) and op.works != "insertion"
                }
                buyers = [key for key in keys if key not in running]
                rng.shuffle(buyers)
            buyers += [self._weighted(keys, weights) for _ in range(max(0, count - len(buyers)))]
            for key in buyers:
                started_on = self._day(first, last)
                self._operation(specs[key], started_on)
            if year >= self.first_year - 1:
                for _ in range(rng.choice([1, 2]) if year < today.year else 1):
                    self._insertion_operation(self._day(first, last))
        for _ in range(FUTURE_OPERATIONS):
            spec = self._weighted(list(specs.values()), weights)
            self._operation(spec, self._day(today + timedelta(days=20), today + timedelta(days=120)), future=True)

    def _place_names(self, spec: BuyerSpec):
        """The neighbourhood, commune and names an operation of this buyer is about."""
        rng = self.rng
        if spec.profile in ("metropole", "bailleur", "amenageur", "departement", "etat", "sdis"):
            qpv_chance = {"bailleur": 0.55, "metropole": 0.3, "amenageur": 0.2}.get(spec.profile, 0.15)
            in_qpv = rng.random() < qpv_chance
            area = rng.choice([a for a in AREAS if a[2] == in_qpv])
        else:
            areas = [a for a in AREAS if a[1] == spec.commune]
            area = rng.choice(areas) if areas else (self.b.communes[spec.commune].name, spec.commune, False, False)
            if area[2] and spec.commune != "21231" and rng.random() < 0.5:
                area = ("Centre", spec.commune, False, False)  # the commune of a QPV works elsewhere too
        code = area[1]
        residences = RESIDENCES.get(area[0]) if area[2] else None
        streets = [s for s in STREETS.get(code, []) if s.startswith(("avenue ", "boulevard "))] or [
            "avenue du Drapeau"
        ]
        street = rng.choice(streets)
        return (
            area,
            self.b.communes[code],
            {
                "school": rng.choice(SCHOOLS if code == "21231" else VILLAGE_SCHOOLS),
                "college": rng.choice(COLLEGES),
                "lycee": rng.choice(LYCEES),
                "park": rng.choice(PARKS),
                "zac": rng.choice(ZACS),
                "building": rng.choice(BUILDINGS),
                "residence": rng.choice(residences or OTHER_RESIDENCES),
                "area": area[0],
                "commune": self.b.communes[code].name,
                "of": _of(spec.name),
                "street": f"de l'{street}" if street.startswith("avenue") else f"du {street}",
                "n": rng.choice([12, 24, 36, 48, 64, 80, 96, 120]),
            },
        )

    def _unique(self, name: str) -> str:
        base, number = name, 2
        while name in self.names:
            name = f"{base} – tranche {number}"
            number += 1
        self.names.add(name)
        return name

    def _operation(self, spec: BuyerSpec, started_on: date, *, future: bool = False) -> None:
        rng = self.rng
        draw = rng.random()
        if spec.profile in INTELLECTUAL_PROFILES and draw < SECTOR_OF_OPERATIONS[INTELLECTUAL] * 2.2:
            sector = INTELLECTUAL
        elif rng.random() < BTP_SHARE[spec.profile]:
            sector = BTP
        else:
            sector = SERVICES
        if sector == BTP:
            names, months = BTP_NAMES[spec.profile], rng.choices([(4, 9), (10, 18), (19, 30)], weights=[30, 45, 25])[0]
        elif sector == SERVICES:
            names = SERVICE_NAMES[spec.profile]
            months = rng.choices([(12, 12), (24, 24), (36, 36), (48, 48)], weights=[50, 25, 15, 10])[0]
        else:
            names, months = [(name, "intellectual") for name in INTELLECTUAL_NAMES], (6, 18)
        duration = rng.randint(*months)
        ended_on = _add_months(started_on, duration) - timedelta(days=1)
        for _ in range(6):  # another name rather than a second operation of the same name
            area, commune, values = self._place_names(spec)
            template, works = rng.choice(names)
            name = template.format(**values)
            if sector == SERVICES:  # services markets are renewed: their years tell them apart
                name = f"{name} {started_on.year}-{ended_on.year}"
            if name not in self.names:
                break
        name = self._unique(name)
        in_qpv = bool(area[2]) and area[0] in name or (bool(area[2]) and rng.random() < 0.6)
        urban_renewal = in_qpv and area[3] and sector != SERVICES and rng.random() < 0.75
        if ended_on < self.lead_in and not future:
            return  # over before the demo's clauses begin
        operation = Operation(
            name=name,
            buyer=self.buyers[spec.key],
            owner=self.buyers["dm-acheteur"] if spec.key == "splaad" else None,
            commune=commune,
            in_qpv=in_qpv,
            urban_renewal=urban_renewal,
            sector=sector,
            started_on=started_on,
            ended_on=ended_on,
            facilitator=self.b.facilitator,
            notes=self._operation_notes(sector, urban_renewal),
        )
        planned = _Operation(operation, spec, works)
        self._stamp(operation, self.facilitator, started_on - timedelta(days=rng.randint(60, 150)))
        if rng.random() < 0.85 or urban_renewal:
            planned.convention = self._convention(planned)
        self.operations.append(planned)
        self._markets(planned, future=future)

    def _operation_notes(self, sector, urban_renewal) -> str:
        if urban_renewal:
            return "Opération du renouvellement urbain : charte locale d'insertion ANRU, comité de suivi trimestriel."
        if sector == SERVICES and self.rng.random() < 0.3:
            return "Clause de reprise du personnel : l'attributaire reprend les salariés du marché précédent."
        return ""

    def _insertion_operation(self, started_on: date) -> None:
        rng = self.rng
        name, service, siae_type = rng.choice(INSERTION_MARKETS)
        spec = rng.choice([s for s in BUYERS if s.profile in ("metropole", "commune", "bailleur")][:4])
        ended_on = _add_months(started_on, 12) - timedelta(days=1)
        operation = Operation(
            name=self._unique(name),
            buyer=self.buyers[spec.key],
            commune=self.b.communes[spec.commune],
            sector=BTP if service == "building" else SERVICES,
            started_on=started_on,
            ended_on=ended_on,
            facilitator=self.facilitator,
            notes="Marché d'insertion : l'insertion est l'objet du marché ; suivi qualitatif, sans heures.",
        )
        self._stamp(operation, self.facilitator, started_on - timedelta(days=rng.randint(60, 150)))
        planned = _Operation(operation, spec, "insertion")
        self.operations.append(planned)
        market = self._market(planned, "Marché d'insertion par l'activité économique")
        holder = self._cycle(f"insertion:{siae_type}", self.siae[siae_type])
        lot = Lot(
            market=market,
            number="",
            name=name.split(" – ", 1)[1].capitalize(),
            legal_basis=LegalBasis.INSERTION_MARKET,
            amount=_round(rng.randint(60, 180) * 1000),
            attributaire=holder,
            started_on=started_on,
            ended_on=ended_on,
        )
        self._stamp(lot, self.facilitator, started_on - timedelta(days=30))
        planned_lot = _Lot(lot, planned, service)
        planned.lots.append(planned_lot)
        self.lots.append(planned_lot)

    def _convention(self, planned: _Operation) -> CountingConvention:
        rng = self.rng
        operation = planned.obj
        if operation.urban_renewal:
            provenance = ANRU_PROVENANCE
        else:
            provenance = self._weighted([p for p, _ in PROVENANCES], [w for _, w in PROVENANCES])
        convention = CountingConvention(operation=operation, provenance=provenance)
        details = []
        draw = rng.random()
        if draw < 0.04:
            convention.count_staff_provision = False
            details.append("les mises à disposition (ETTI, AI, GEIQ) ne comptent pas")
        elif draw < 0.07:
            convention.count_subcontracting = False
            details.append("la sous-traitance ne compte pas")
        if rng.random() < 0.12:
            convention.count_alternance_training = False
            details.append("les heures de formation de l'alternance ne comptent pas")
        if rng.random() < 0.4:
            convention.subcontracting_hourly_rate = rng.choice(SUBCONTRACTING_RATES)
            details.append(
                f"la sous-traitance se convertit à {int(convention.subcontracting_hourly_rate)} € HT l'heure"
            )
        if rng.random() < 0.06:
            convention.cdi_equivalence_hours = CDI_EQUIVALENCE
            details.append(f"une embauche en CDI vaut {int(CDI_EQUIVALENCE)} heures")
        if details:
            convention.provenance = f"{provenance} Particularités : {' ; '.join(details)}."
        self._stamp(convention, self.facilitator, operation.started_on - timedelta(days=rng.randint(30, 60)))
        return convention

    def _market(self, planned: _Operation, name: str) -> Market:
        operation = planned.obj
        self.references[(operation.started_on.year, planned.buyer.code)] += 1
        number = self.references[(operation.started_on.year, planned.buyer.code)]
        market = Market(
            operation=operation, reference=f"{operation.started_on.year}-{planned.buyer.code}-{number:03d}", name=name
        )
        self._stamp(market, self.facilitator, operation.started_on - timedelta(days=self.rng.randint(30, 60)))
        return market

    def _markets(self, planned: _Operation, *, future: bool) -> None:
        rng = self.rng
        operation = planned.obj
        sector, works = operation.sector, planned.works
        start, end = operation.started_on, operation.ended_on
        days = (end - start).days
        lots = []  # (market, trade, share of the amount)
        if sector == BTP and works == "building":
            count = rng.choices(range(1, 10), weights=[6, 8, 10, 12, 14, 14, 12, 10, 8])[0]
            trades = list(TRADES)
            chosen = []
            if count >= 3 and "Démolition" not in operation.name:
                chosen.append("Gros œuvre")
            if "Démolition" in operation.name:
                chosen = ["Désamiantage – démolition", "Terrassements – VRD"][: max(1, min(count, 2))]
            while len(chosen) < count:
                trade = self._weighted(trades, [TRADES[t][0] for t in trades])
                if trade not in chosen:
                    chosen.append(trade)
            if count >= 5 and rng.random() < 0.4:
                chosen.append("Terrassements – VRD")
            total = self._amount(1_800_000, 0.8, 150_000, 25_000_000)
            asbestos = "Désamiantage – démolition" in chosen and len(chosen) > 3
            works_market = self._market(planned, "Marché de travaux")
            other = self._market(planned, "Marché de désamiantage et de curage") if asbestos else None
            for trade in chosen:
                market = other if trade == "Désamiantage – démolition" and other else works_market
                weight = (TRADES.get(trade) or PUBLIC_WORKS_TRADES[trade])[0]
                lots.append((market, trade, weight * rng.uniform(0.6, 1.4)))
        elif sector == BTP:
            market = self._market(planned, "Marché de travaux de voirie et réseaux")
            count = rng.choice([1, 2, 3, 4])
            chosen = rng.sample(list(PUBLIC_WORKS_TRADES), count)
            if rng.random() < 0.3:
                chosen.append("Espaces verts – plantations")
            total = self._amount(900_000, 0.7, 100_000, 8_000_000)
            lots = [(market, trade, rng.uniform(0.6, 1.4)) for trade in chosen]
        elif sector == SERVICES:
            market = self._market(planned, SERVICE_MARKETS[works])
            count = rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
            names = SERVICE_LOTS[works][:count]
            total = self._amount(450_000, 0.7, 60_000, 4_000_000) * max(1, days / 365)
            lots = [(market, name, rng.uniform(0.6, 1.4)) for name in names]
        else:
            market = self._market(planned, "Marché de prestations intellectuelles")
            total = self._amount(120_000, 0.6, 30_000, 500_000)
            lots = [(market, "Prestation", 1.0)]
        shares = sum(share for _, _, share in lots)
        for number, (market, trade, share) in enumerate(lots, start=1):
            if sector == BTP:
                lot_start = start + timedelta(days=int(days * rng.uniform(0, 0.3)))
                lot_end = end - timedelta(days=int(days * rng.uniform(0, 0.2)))
                lot_end = max(lot_end, min(end, lot_start + timedelta(days=60)))
            else:
                lot_start, lot_end = start, end
            amount = _round(round(total * share / shares, -2))
            legal_basis, holder = self._basis_and_holder(planned, trade, future)
            lot = Lot(
                market=market,
                number=f"{number:02d}" if len(lots) > 1 else "",
                name=self._lot_name(sector, trade),
                legal_basis=legal_basis,
                amount=amount,
                attributaire=holder,
                started_on=lot_start,
                ended_on=lot_end,
            )
            self._size(lot, sector, trade, operation)
            self._stamp(lot, self.facilitator, market._history_date.date())
            service = works if sector == SERVICES else trade
            if trade == "Espaces verts – plantations":
                service = "green"
            planned_lot = _Lot(lot, planned, service)
            months = max(1.0, (lot_end - lot_start).days / 30.4)
            planned_lot.weight = float(lot.planned_hours) / months
            planned.lots.append(planned_lot)
            self.lots.append(planned_lot)

    def _lot_name(self, sector, trade) -> str:
        if sector == INTELLECTUAL:
            return "Prestation"
        return trade

    def _amount(self, median, sigma, low, high) -> float:
        return min(high, max(low, self.rng.lognormvariate(0, sigma) * median))

    def _basis_and_holder(self, planned: _Operation, trade: str, future: bool):
        """The legal basis and the market holder of a lot (none yet for operations to come)."""
        rng = self.rng
        sector = planned.obj.sector
        if sector == SERVICES and trade in SERVICE_LOTS[planned.works] and rng.random() < 0.07:
            # Reserved to SIAE or to EA/ESAT, by service.
            if planned.works in ("cleaning", "laundry", "logistics") and rng.random() < 0.6:
                holders = [o for o in self.adapted if self.adapted_service[id(o)] in (planned.works, "cleaning")]
            else:
                siae_type = SiaeType.ACI if planned.works == "green" else SiaeType.EI
                holders = self.siae[siae_type]
            holder = self._cycle(f"reserved:{planned.works}", holders)
            return LegalBasis.RESERVED_MARKET, None if future else holder
        basis = LegalBasis.EXECUTION_AND_AWARD if rng.random() < 0.12 else LegalBasis.EXECUTION_CONDITION
        if future and rng.random() < 0.7:
            return basis, None
        if sector == INTELLECTUAL:
            return basis, self._cycle("firms", self.firms)
        if sector == SERVICES:
            return basis, self._service_employer(planned.works)
        if trade in TRADES:
            return basis, self._cycle(f"trade:{trade}", self.by_trade[trade])
        if trade == "Espaces verts – plantations":
            return basis, self._service_employer("green")
        return basis, self._cycle("trade:public_works", self.by_trade["public_works"])

    def _size(self, lot: Lot, sector: str, trade: str, operation: Operation) -> None:
        """Sizing inputs and planned hours (Lot.sized_hours), a few adjusted with a reason."""
        rng = self.rng
        if sector == BTP:
            spec = TRADES.get(trade) or PUBLIC_WORKS_TRADES.get(trade) or (0, "0.45")
            labour = Decimal(spec[1])
            rate = Decimal(rng.choice(["0.05", "0.05", "0.06", "0.07", "0.08"]))
            if operation.urban_renewal:
                rate = max(rate, Decimal("0.06"))
            cost = Decimal(rng.choice([30, 32, 33, 35, 36]))
        elif sector == SERVICES:
            labour = Decimal(rng.choice(["0.60", "0.70", "0.75", "0.80"]))
            rate = Decimal(rng.choice(["0.08", "0.10", "0.12", "0.15"]))
            cost = Decimal(rng.choice([24, 25, 26, 28]))
        else:
            labour, rate, cost = Decimal("0.70"), Decimal(rng.choice(["0.02", "0.03", "0.05"])), Decimal(50)
        lot.labour_share, lot.insertion_rate, lot.hourly_cost = labour, rate, cost
        lot.planned_hours = lot.sized_hours
        if rng.random() < 0.04:
            lot.planned_hours = _round(round(float(lot.planned_hours) * rng.choice([0.7, 0.8, 1.25, 1.5]), -1))
            lot.planned_hours_reason = rng.choice(PLANNED_HOURS_REASONS)

    # Globalisation -------------------------------------------------------------------------------------

    def _agreements(self) -> None:
        """Two agreements: the urban renewal of one neighbourhood, the cleaning markets of the Ville de Dijon."""
        first = date(self.first_year, 1, 1)
        groups = []
        renewal = defaultdict(list)
        for planned in self.operations:
            op = planned.obj
            if op.urban_renewal and op.started_on <= self.today and op.ended_on >= first:
                renewal[op.commune_id].append(planned)
        if renewal:
            operations = max(renewal.values(), key=len)[:5]
            groups.append(
                (
                    "Globalisation des heures d'insertion du renouvellement urbain",
                    operations,
                    first,
                    None,
                    "Convention de globalisation signée par Dijon Métropole et les bailleurs sociaux, annexée à la "
                    "charte locale d'insertion du NPNRU (avenant n° 2).",
                )
            )
        cleaning = [
            p
            for p in self.operations
            if p.buyer.key == "ville-dijon"
            and p.works == "cleaning"
            and p.obj.started_on <= self.today
            and p.obj.ended_on >= date(self.first_year + 1, 1, 1)
        ]
        if len(cleaning) >= 2:
            groups.append(
                (
                    "Globalisation des marchés de propreté de la Ville de Dijon",
                    cleaning[:3],
                    date(self.first_year + 1, 1, 1),
                    date(self.today.year, 12, 31),
                    "Délibération du conseil municipal de la Ville de Dijon sur les achats responsables ; accord "
                    "signé avec les attributaires des marchés de propreté.",
                )
            )
        for name, operations, started_on, ended_on, provenance in groups:
            if len(operations) < 2:
                continue
            agreement = GlobalisationAgreement(
                name=name, started_on=started_on, ended_on=ended_on, provenance=provenance
            )
            self._stamp(agreement, self.facilitator, started_on - timedelta(days=30))
            planned = _Agreement(agreement, operations)
            for operation in operations:
                operation.agreement = planned
            self.agreements.append(planned)

    # Placements ----------------------------------------------------------------------------------------

    def _periods(self):
        """(first day, last day of records, hours target) of the lead-in, each full year, the current year."""
        today = self.today
        yield self.lead_in, date(self.lead_in.year, 12, 31), LEAD_IN_HOURS
        for index, hours in enumerate(YEAR_HOURS):
            year = self.first_year + index
            yield date(year, 1, 1), date(year, 12, 31), hours
        if self.last_month.year == today.year:
            yield date(today.year, 1, 1), self.last_day, CURRENT_YEAR_HOURS * self.last_month.month / 12

    def _plan_placements(self) -> None:
        for first, last, hours in self._periods():
            year = first.year
            active = [
                lot
                for lot in self.lots
                if lot.obj.attributaire is not None
                and lot.obj.started_on <= last - timedelta(days=14)
                and lot.obj.ended_on >= first + timedelta(days=14)
            ]
            with_hours = [lot for lot in active if lot.obj.legal_basis not in NO_HOURS_BASES]
            self._coverage(with_hours, first, last)
            self._employer_coverage(with_hours, first, last)
            self._insertion_placements([lot for lot in active if lot.obj.legal_basis in NO_HOURS_BASES], first, last)
            if first != self.lead_in:
                self._hires(with_hours, first, last)
            for sector, share in SECTOR_HOURS.items():
                target = Decimal(hours * share)
                lots = [lot for lot in with_hours if lot.sector == sector]
                if not lots:
                    continue
                weights = [lot.weight * self._overlap(lot, first, last) for lot in lots]
                cumulative = list(accumulate(weights))
                guard = 0
                while self.counted[(year, sector)] < target and guard < 20_000:
                    guard += 1
                    index = bisect_right(cumulative, self.rng.random() * cumulative[-1])
                    lot = lots[min(index, len(lots) - 1)]
                    self._fill(lot, first, last)
        self._recent_starts()

    @staticmethod
    def _overlap(lot: _Lot, first: date, last: date) -> float:
        start, end = max(lot.obj.started_on, first), min(lot.obj.ended_on, last)
        return max(0, (end - start).days) / 30.4

    def _start_in(self, lot: _Lot, first: date, last: date) -> date:
        start = max(lot.obj.started_on, first)
        end = min(lot.obj.ended_on - timedelta(days=14), last - timedelta(days=7))
        return self._day(start, max(start, end))

    def _coverage(self, lots, first, last) -> None:
        """Every lot holder employs someone every year (as the report's employers), every operation has hours."""
        rng = self.rng
        by_holder = defaultdict(list)
        for lot in lots:
            by_holder[id(lot.obj.attributaire)].append(lot)
        covered_operations = set()
        for holder_lots in by_holder.values():
            lot = rng.choice(holder_lots)
            holder = lot.obj.attributaire
            if lot.sector == INTELLECTUAL:
                continue
            if lot.obj.legal_basis == LegalBasis.RESERVED_MARKET:
                profile = self._reserved_profile(holder)
            else:
                profile = COVERAGE_PROFILE[lot.sector]
            self._add(lot, profile, self._start_in(lot, first, last))
            covered_operations.add(id(lot.operation))
        for lot in lots:
            if id(lot.operation) not in covered_operations:
                covered_operations.add(id(lot.operation))
                self._fill(lot, first, last)

    def _employer_coverage(self, lots, first, last) -> None:
        """Companies without a lot running this year employ someone as co- or sub-contractors of a lot of
        their trade (else of their sector): each of the report's employers has hours every year."""
        rng, employed = self.rng, self.employed[first.year]
        groups = [(trade, BTP, companies) for trade, companies in self.by_trade.items()]
        groups += [(service, SERVICES, companies) for service, companies in self.by_service.items()]
        for trade, sector, companies in groups:
            missing = [company for company in companies if id(company) not in employed]
            if not missing:
                continue
            open_lots = [
                lot
                for lot in lots
                if lot.sector == sector
                and lot.obj.legal_basis != LegalBasis.RESERVED_MARKET
                and lot.obj.attributaire.kind == K.COMPANY
            ]
            if trade == "public_works":
                same = [lot for lot in open_lots if lot.trade in PUBLIC_WORKS_TRADES]
            else:
                same = [lot for lot in open_lots if lot.trade == trade]
            for company in missing:
                if same or open_lots:
                    lot = rng.choice(same or open_lots)
                    self._add(lot, COVERAGE_PROFILE[sector], self._start_in(lot, first, last), employer=company)

    def _reserved_profile(self, holder: Organization) -> Profile:
        return RESERVED_PROFILES[holder.siae_type or holder.activity]

    def _insertion_placements(self, lots, first, last) -> None:
        """Insertion markets: people in the holder's CDDI, followed qualitatively (no hours)."""
        for lot in lots:
            if lot.obj.started_on < first:
                continue
            for _ in range(self.rng.randint(3, 6)):
                self._add(lot, INSERTION_PROFILE, self._start_in(lot, first, last))

    def _hires(self, lots, first, last) -> None:
        rng = self.rng
        share = ((last - first).days + 1) / 365
        for sector, sector_share in HIRE_SECTOR.items():
            candidates = [lot for lot in lots if lot.sector == sector and lot.obj.legal_basis != "reserved_market"]
            if not candidates:
                continue
            weights = [lot.weight * self._overlap(lot, first, last) for lot in candidates]
            profiles = HIRE_PROFILES[sector]
            for _ in range(round(HIRES_PER_YEAR * sector_share * share * rng.uniform(0.95, 1.05))):
                lot = self._weighted(candidates, weights)
                profile = self._weighted(profiles, [p.weight for p in profiles])
                self._add(lot, profile, self._start_in(lot, first, last))

    def _fill(self, lot: _Lot, first: date, last: date) -> None:
        rng = self.rng
        if lot.obj.legal_basis == LegalBasis.RESERVED_MARKET:
            profile = self._reserved_profile(lot.obj.attributaire)
        else:
            profiles = FILL_PROFILES[lot.sector]
            convention = lot.operation.convention
            for _ in range(4):
                profile = self._weighted(profiles, [p.weight for p in profiles])
                if convention is None or _admitted(convention, profile.mode) or rng.random() < 0.08:
                    break
        self._add(lot, profile, self._start_in(lot, first, last))

    def _recent_starts(self) -> None:
        """Placements started this month, no hours recorded yet (their evaluation is to come)."""
        first = _month(self.today)
        if self.today.day < 3:
            return
        lots = [
            lot
            for lot in self.lots
            if lot.obj.attributaire is not None
            and lot.obj.legal_basis not in NO_HOURS_BASES
            and lot.obj.started_on <= self.today <= lot.obj.ended_on - timedelta(days=30)
            and lot.sector != INTELLECTUAL
        ]
        for _ in range(min(len(lots), 12)):
            lot = self.rng.choice(lots)
            profiles = FILL_PROFILES[lot.sector]
            profile = self._weighted(profiles, [p.weight for p in profiles])
            if lot.obj.legal_basis == LegalBasis.RESERVED_MARKET:
                profile = self._reserved_profile(lot.obj.attributaire)
            self._add(lot, profile, self._day(max(first, lot.obj.started_on), self.today))

    def _employer(self, lot: _Lot, profile: Profile) -> Organization:
        if profile.employer == "attributaire":
            return lot.obj.attributaire
        if profile.employer == "adapted":
            return self._cycle("adapted", self.adapted)
        return self._siae_employer(profile.employer)

    def _job_title(self, lot: _Lot, employer: Organization) -> str:
        rng = self.rng
        trade = lot.trade
        if lot.sector == INTELLECTUAL:
            return rng.choice(SERVICE_JOBS["intellectual"][1])
        spec = TRADES.get(trade) or PUBLIC_WORKS_TRADES.get(trade)
        if spec:
            return rng.choice(spec[3])
        if trade == "building":
            return "Ouvrier·ère polyvalent·e du bâtiment"
        service = trade if trade in SERVICE_JOBS else lot.operation.works
        return rng.choice(SERVICE_JOBS.get(service, SERVICE_JOBS["cleaning"])[1])

    def _add(self, lot: _Lot, profile: Profile, started_on: date, *, employer=None) -> _Placement:
        rng, obj = self.rng, lot.obj
        started_on = max(started_on, obj.started_on)
        months = rng.randint(*profile.months)
        end = started_on + timedelta(days=int(months * 30.4) + rng.randint(-10, 10))
        if profile.contract == C.CDI:
            end = obj.ended_on  # hired for good: the clause counts until the end of the lot
        end = max(started_on + timedelta(days=20), min(end, obj.ended_on))
        end = min(end, obj.ended_on)
        employer = employer or self._employer(lot, profile)
        placement = _Placement(lot, profile, employer, started_on, end, self._job_title(lot, employer))
        placement.index = len(self.placements)
        self.placements.append(placement)
        if obj.legal_basis not in NO_HOURS_BASES:
            self._records(placement)
        return placement

    def _records(self, placement: _Placement) -> None:
        """Monthly hours up to the last full month, counted as counting.py counts them."""
        rng, profile = self.rng, placement.profile
        operation = placement.lot.operation
        convention = operation.convention
        level = profile.hours[1] if profile.hours[0] == profile.hours[1] else rng.uniform(*profile.hours)
        if rng.random() < 0.35 and profile.hours[1] >= 151.67:
            level = 151.67  # full time
        by_amount = (
            profile.mode in SUBCONTRACTING_MODES
            and convention is not None
            and convention.subcontracting_hourly_rate
            and rng.random() < 0.3
        )
        month = _month(placement.started_on)
        last = min(placement.end, self.last_day)
        while month <= last:
            first_day = max(month, placement.started_on)
            last_day = min(_month_end(month), placement.end)
            fraction = ((last_day - first_day).days + 1) / ((_month_end(month) - month).days + 1)
            hours = level * fraction * rng.uniform(0.88, 1.06)
            if rng.random() < 0.03:
                hours *= 0.5  # sick leave, holidays
            hours = min(_round(hours), Decimal("220"))
            if hours >= 1:
                record = _Record(month, hours)
                if profile.training:
                    record.training = _round(profile.training * fraction * rng.uniform(0.9, 1.1))
                if by_amount:
                    record.amount = _round(float(hours) * float(convention.subcontracting_hourly_rate))
                    record.amount = _round(float(record.amount) * rng.uniform(0.98, 1.02))
                    record.hours = Decimal("0.00")
                if operation.agreement is None and self.strays < 6 and rng.random() < 0.002:
                    # Worked on another operation of the buyer, without an agreement: not counted.
                    others = [
                        o
                        for o in self.operations
                        if o.buyer is operation.buyer
                        and o is not operation
                        and o.agreement is None
                        and o.obj.started_on <= month <= o.obj.ended_on
                    ]
                    if others:
                        record.worked_on = rng.choice(others)
                        self.strays += 1
                elif operation.agreement is not None and rng.random() < 0.15:
                    elsewhere = [
                        o
                        for o in operation.agreement.operations
                        if o is not operation and o.obj.started_on <= _month_end(month) and o.obj.ended_on >= month
                    ]
                    if elsewhere and operation.agreement.obj.is_in_force(month):
                        record.worked_on = rng.choice(elsewhere)
                record.counted = _counted(record, placement)
                if record.counted:
                    self.employed[month.year].add(id(placement.employer))
                placement.records.append(record)
                self.counted[(month.year, placement.sector)] += record.counted
            month = _next_month(month)

    # People ----------------------------------------------------------------------------------------------

    def _people(self, drafts) -> None:
        """Who is placed: people of the registry followed by the clauses service when their follow-up fits,
        the pool (people placed before), or new people; then the candidacies without placements."""
        rng = self.rng
        existing = []
        for draft in drafts:
            for follow_up in draft.follow_ups:
                if follow_up["programme"] == Programme.CLAUSES:
                    worker = _Worker(draft.person.sex, follow_up["started_on"], draft=draft, follow_up=follow_up)
                    existing.append(worker)
        self.existing = existing
        unused = {Sex.WOMAN: [], Sex.MAN: []}
        for worker in existing:
            unused[Sex.WOMAN if worker.sex == Sex.WOMAN else Sex.MAN].append(worker)
        pool = {Sex.WOMAN: [], Sex.MAN: []}
        ordered = sorted(self.placements, key=lambda p: (p.started_on, p.index))
        for number, placement in enumerate(ordered):
            sex = Sex.WOMAN if rng.random() < WOMEN_SHARE[placement.sector] else Sex.MAN
            start, end = placement.started_on, placement.end
            worker = None
            if rng.random() < REUSE_SHARE:
                recent = pool[sex]
                for _ in range(8):
                    if not recent:
                        break
                    candidate = recent[rng.randrange(len(recent))]
                    if candidate.busy_until < start and candidate.busy_until >= start - timedelta(days=POOL_DAYS):
                        if candidate.window_end is None or candidate.window_end >= end:
                            worker = candidate
                            break
            if worker is None:
                worker = self._registry_worker(unused[sex], start, end)
            if worker is None:
                referred_on = self._day(start - timedelta(days=50), start - timedelta(days=12))
                worker = _Worker(sex, referred_on)
                self.workers.append(worker)
            if not worker.placements:
                worker.sector = placement.sector
                pool[sex].append(worker)
            worker.placements.append(placement)
            worker.busy_until = max(worker.busy_until, end)
            placement.worker = worker
            if number % 300 == 0:
                for key in pool:
                    pool[key] = [w for w in pool[key] if w.busy_until >= start - timedelta(days=POOL_DAYS)]
        self._statuses()
        self._extra_candidacies()
        new_drafts = []
        for worker in self.workers:
            if worker.draft is None:
                worker.draft = self.b._draft(
                    sex=worker.sex,
                    registered_on=worker.referred_on,
                    min_age=18,
                    qpv_factor=QPV_FACTOR,
                    outside=rng.random() < OUTSIDE_METROPOLE_SHARE,
                    follow_ups=False,
                )
                worker.prescriber = self._prescriber(worker)
                worker.draft.follow_ups.append(
                    {
                        "organization": self.creativ,
                        "programme": Programme.CLAUSES,
                        "referent": self.facilitator,
                        "prescriber": worker.prescriber,
                        "started_on": worker.referred_on,
                        "ended_on": worker.left_on,
                    }
                )
                person = worker.draft.person
                person.created_by = self.facilitator
                person._history_user = self.facilitator
                new_drafts.append(worker.draft)
            else:
                worker.prescriber = self._prescriber(worker)
        self.b._save_drafts(new_drafts)

    def _registry_worker(self, unused: list, start: date, end: date):
        """A person of the registry whose clauses follow-up covers the placement, validated before it starts."""
        if not unused:
            return None
        offset = self.rng.randrange(len(unused))
        for step in range(len(unused)):
            worker = unused[(offset + step) % len(unused)]
            if worker.referred_on + timedelta(days=14) <= start and (
                worker.window_end is None or worker.window_end >= end
            ):
                unused.remove(worker)
                self.workers.append(worker)
                return worker
        return None

    def _statuses(self) -> None:
        """Placed people stay in the pool until POOL_DAYS after their last placement, then leave it."""
        rng, today = self.rng, self.today
        for worker in self.workers:
            worker.decided_on = self._interview_day(worker)
            if worker.follow_up is not None:
                if worker.window_end is not None:
                    worker.status, worker.left_on = CandidateStatus.WITHDRAWN, worker.window_end
                continue
            if worker.busy_until < today - timedelta(days=POOL_DAYS):
                left_on = worker.busy_until + timedelta(days=rng.randint(20, 120))
                if left_on < today:
                    worker.status, worker.left_on = CandidateStatus.WITHDRAWN, self._day(left_on, left_on)

    def _interview_day(self, worker: _Worker) -> date:
        first = worker.placements[0].started_on if worker.placements else self.today
        latest = min(first - timedelta(days=2), worker.referred_on + timedelta(days=25), self.today)
        return self._day(min(worker.referred_on + timedelta(days=5), latest), latest)

    def _extra_candidacies(self) -> None:
        """Referrals that did not lead to a placement: refused, validated then withdrawn, waiting in the pool,
        to receive; people of the registry followed by the clauses service first, then new people."""
        rng, today = self.rng, self.today
        placed = {id(w) for w in self.workers}
        for worker in self.existing:
            if id(worker) in placed:
                continue
            follow_up = worker.follow_up
            if follow_up["ended_on"] is None:
                if (today - worker.referred_on).days <= 30:
                    worker.status = CandidateStatus.REFERRED
                else:
                    worker.status = CandidateStatus.VALIDATED
                    worker.decided_on = self._day(
                        worker.referred_on + timedelta(days=5), worker.referred_on + timedelta(days=25)
                    )
            elif (follow_up["ended_on"] - worker.referred_on).days <= 60:
                worker.status, worker.left_on = CandidateStatus.REFUSED, follow_up["ended_on"]
                worker.decided_on = follow_up["ended_on"]
            else:
                worker.status, worker.left_on = CandidateStatus.WITHDRAWN, follow_up["ended_on"]
                worker.decided_on = self._day(
                    worker.referred_on + timedelta(days=5), worker.referred_on + timedelta(days=25)
                )
            worker.sector = BTP if worker.sex != Sex.WOMAN and rng.random() < 0.6 else SERVICES
            self.workers.append(worker)
        first = date(self.first_year, 1, 1)
        for _ in range(round(REFUSALS_PER_YEAR * ((today - first).days / 365))):
            referred_on = self._day(first, today - timedelta(days=35))
            worker = self._new_extra(referred_on, CandidateStatus.REFUSED)
            worker.decided_on = self._day(referred_on + timedelta(days=5), referred_on + timedelta(days=25))
            worker.left_on = worker.decided_on
        for _ in range(WAITING_IN_POOL):
            referred_on = self._day(today - timedelta(days=75), today - timedelta(days=20))
            worker = self._new_extra(referred_on, CandidateStatus.VALIDATED)
            worker.decided_on = self._day(
                referred_on + timedelta(days=5), min(today, referred_on + timedelta(days=18))
            )
        for _ in range(PENDING_REFERRALS):
            referred_on = self._day(today - timedelta(days=21), today)
            self._new_extra(referred_on, CandidateStatus.REFERRED)

    def _new_extra(self, referred_on: date, status: str) -> _Worker:
        sector = BTP if self.rng.random() < 0.45 else SERVICES
        sex = Sex.WOMAN if self.rng.random() < WOMEN_SHARE[sector] + 0.1 else Sex.MAN
        worker = _Worker(sex, referred_on, status=status, sector=sector)
        self.workers.append(worker)
        return worker

    def _prescriber(self, worker: _Worker) -> Organization:
        rng, draft = self.rng, worker.draft
        organizations = self.b.organizations
        if _has_fact(draft, FactKind.RSA) and rng.random() < 0.5:
            return organizations["cd21-rsa"]
        if _has_fact(draft, FactKind.RQTH) and rng.random() < 0.6:
            return organizations["cap-emploi"]
        code = draft.person.commune.insee_code
        if code == "21231" and rng.random() < 0.1:
            return organizations["ccas"]
        if code in ("21166", "21390", "21355", "21481"):
            return organizations["ft-chenove"]
        return organizations[rng.choice(["ft-marbotte", "ft-toison"])]

    # Writing -----------------------------------------------------------------------------------------------

    def _write(self) -> None:
        rng = self.rng
        facilitator = self.facilitator
        bulk_create_with_history([p.obj for p in self.operations], Operation)
        conventions = [p.convention for p in self.operations if p.convention is not None]
        for convention in conventions:
            convention.operation = convention.operation  # the saved operation's primary key
        bulk_create_with_history(conventions, CountingConvention)
        agreements = [a.obj for a in self.agreements]
        bulk_create_with_history(agreements, GlobalisationAgreement)
        through = GlobalisationAgreement.operations.through
        through.objects.bulk_create(
            [
                through(globalisationagreement_id=a.obj.pk, operation_id=o.obj.pk)
                for a in self.agreements
                for o in a.operations
            ]
        )
        markets = {id(lot.obj.market): lot.obj.market for lot in self.lots}
        bulk_create_with_history(list(markets.values()), Market)
        for lot in self.lots:
            lot.obj.market = lot.obj.market
        bulk_create_with_history([lot.obj for lot in self.lots], Lot)
        # Candidacies, with the jobs they seek.
        candidates = [self._candidate(worker) for worker in self.workers]
        bulk_create_with_history(candidates, Candidate)
        jobs = Candidate.jobs_sought.through
        links = []
        for worker in self.workers:
            if worker.status in (CandidateStatus.VALIDATED, CandidateStatus.WITHDRAWN):
                for code in self._jobs_sought(worker):
                    if code in self.romes:
                        links.append(jobs(candidate_id=worker.candidate.pk, romecode_id=self.romes[code].pk))
        jobs.objects.bulk_create(links, batch_size=2000)
        # Placements, then their monthly hours.
        placements = []
        for planned in self.placements:
            placement = self._placement(planned)
            planned.obj = placement
            placements.append(placement)
        bulk_create_with_history(placements, Placement)
        records = []
        for planned in self.placements:
            recorder = self.company_user if planned.employer.pk == self.b.organizations["btp"].pk else None
            for record in planned.records:
                records.append(
                    HoursRecord(
                        placement=planned.obj,
                        month=record.month,
                        hours=record.hours,
                        training_hours=record.training,
                        subcontracting_amount=record.amount,
                        worked_on=record.worked_on.obj if record.worked_on else None,
                        recorded_by=recorder or (facilitator if rng.random() < 0.7 else self.assistant),
                    )
                )
        HoursRecord.objects.bulk_create(records, batch_size=2000)

    def _eligibility(self, worker: _Worker):
        """The eligible public and its proof, from the person's situation on the day of the referral."""
        rng, draft = self.rng, worker.draft
        person, day = draft.person, worker.referred_on
        first = worker.placements[0] if worker.placements else None
        if first is not None and first.profile.mode != M.DIRECT_HIRE and rng.random() < 0.3:
            return EligiblePublic.SIAE_EMPLOYEE
        if _has_fact(draft, FactKind.RSA, day):
            return EligiblePublic.RSA
        if _has_fact(draft, FactKind.RQTH, day):
            return EligiblePublic.RQTH
        age = person.age_on(day)
        levels = [f["value"] for f in draft.facts if f["kind"] == FactKind.EDUCATION_LEVEL]
        if age < 26 and levels and levels[-1] in (EducationLevel.NONE, EducationLevel.LEVEL_3):
            return EligiblePublic.YOUNG_LOW_QUALIFIED
        for fact in draft.facts:
            if fact["kind"] == FactKind.JOB_SEEKER and fact["started_on"] <= day - timedelta(days=365):
                return EligiblePublic.DELD
        if age < 26 and rng.random() < 0.3:
            return EligiblePublic.EPIDE_E2C
        return rng.choices(
            [EligiblePublic.ASS, EligiblePublic.AAH, EligiblePublic.FACILITATOR_DECISION], weights=[50, 15, 35]
        )[0]

    def _candidate(self, worker: _Worker) -> Candidate:
        rng = self.rng
        prescriber = worker.prescriber
        contact_first = self.b.fake.first_name_female() if rng.random() < 0.7 else self.b.fake.first_name_male()
        contact_last = self.b.fake.last_name()
        slug = next(spec.key for spec in ORGANIZATIONS if spec.name == prescriber.name)
        candidate = Candidate(
            person=worker.draft.person,
            prescriber=prescriber,
            prescriber_contact=f"{contact_first} {contact_last}",
            prescriber_email=f"{self.b._email_part(contact_first)}.{self.b._email_part(contact_last)}@"
            f"{slug}.{EMAIL_DOMAIN}",
            referred_on=worker.referred_on,
            reason=rng.choice(REFERRAL_REASONS[worker.sector or SERVICES]),
            status=worker.status,
        )
        today = self.today
        if worker.status != CandidateStatus.REFERRED or rng.random() < 0.5:
            public = self._eligibility(worker)
            candidate.eligible_public = public
            candidate.proof_seen = PROOFS[public]
            candidate.proof_date = worker.referred_on - timedelta(days=rng.randint(0, 90))
        if worker.status == CandidateStatus.REFERRED:
            if rng.random() < 0.7:
                candidate.interview_on = self._day(
                    max(today - timedelta(days=2), worker.referred_on), today + timedelta(days=12)
                )
                if rng.random() < 0.2:
                    candidate.interview_on = today
        else:
            candidate.interview_on = worker.decided_on
            candidate.decided_by = self.facilitator
            if worker.status == CandidateStatus.REFUSED:
                candidate.decision_reason = rng.choice(REFUSAL_REASONS)
                candidate.eligible_public = candidate.eligible_public or EligiblePublic.FACILITATOR_DECISION
            else:
                label = EligiblePublic(candidate.eligible_public).label
                label = label[0].lower() + label[1:]
                candidate.decision_reason = rng.choice(VALIDATION_REASONS).format(public=label)
            if worker.status == CandidateStatus.WITHDRAWN:
                candidate.decision_reason += (
                    f"\nSortie du vivier le {worker.left_on:%d/%m/%Y} : {rng.choice(WITHDRAWAL_REASONS)}"
                )
        moment = worker.left_on or worker.decided_on or worker.referred_on
        self._stamp(candidate, self.facilitator, moment)
        worker.candidate = candidate
        return candidate

    def _jobs_sought(self, worker: _Worker) -> list[str]:
        rng = self.rng
        if worker.placements:
            lot = worker.placements[0].lot
            spec = TRADES.get(lot.trade) or PUBLIC_WORKS_TRADES.get(lot.trade)
            if spec:
                codes = list(spec[2])
            elif lot.sector == INTELLECTUAL:
                codes = list(SERVICE_JOBS["intellectual"][0])
            else:
                codes = list(
                    SERVICE_JOBS.get(lot.trade, SERVICE_JOBS.get(lot.operation.works, SERVICE_JOBS["cleaning"]))[0]
                )
        elif worker.sector == BTP:
            codes = rng.choice([TRADES["Gros œuvre"][2], PUBLIC_WORKS_TRADES["Terrassements – VRD"][2], ["F1606"]])
        else:
            codes = rng.choice([SERVICE_JOBS["cleaning"][0], SERVICE_JOBS["green"][0], SERVICE_JOBS["logistics"][0]])
        return codes[: rng.randint(1, 3)]

    def _placement(self, planned: _Placement) -> Placement:
        rng, today = self.rng, self.today
        end = planned.end
        ended_on = end if end <= today else None
        if ended_on is None and planned.profile.contract != C.CDI and rng.random() < 0.5:
            ended_on = end  # planned end, to come
        placement = Placement(
            person=planned.worker.draft.person,
            candidate=planned.worker.candidate,
            lot=planned.lot.obj,
            mode=planned.profile.mode,
            contract=planned.profile.contract,
            employer=planned.employer,
            job_title=planned.job_title,
            started_on=planned.started_on,
            ended_on=ended_on,
        )
        evaluated_on = planned.started_on + timedelta(days=rng.randint(*EVALUATION_DAYS))
        evaluated_on = min(evaluated_on, end)
        overdue = rng.random() < OVERDUE_EVALUATIONS / max(1, len(self.placements))
        if evaluated_on < today - timedelta(days=2) and not overdue:
            placement.evaluation_status = EvaluationStatus.DONE
            placement.evaluated_on = evaluated_on
            placement.evaluation_notes = rng.choice(EVALUATION_NOTES)
        self._stamp(placement, self.facilitator, planned.started_on - timedelta(days=rng.randint(1, 10)))
        return placement


# --- Counting (the rules of tremplin/clauses/counting.py, for the planning) -------------------------


def _admitted(convention: CountingConvention, mode: str) -> bool:
    if mode == M.DIRECT_HIRE:
        return convention.count_direct_hire
    if mode in PROVISION_MODES:
        return convention.count_staff_provision
    return convention.count_subcontracting


def _counted(record: _Record, placement: _Placement) -> Decimal:
    operation = placement.lot.operation
    convention = operation.convention
    profile = placement.profile
    if placement.lot.obj.legal_basis in NO_HOURS_BASES:
        return Decimal("0.00")
    if convention is not None and not _admitted(convention, profile.mode):
        return Decimal("0.00")
    if record.worked_on is not None and record.worked_on is not operation:
        agreement = operation.agreement
        if (
            agreement is None
            or record.worked_on not in agreement.operations
            or not agreement.obj.is_in_force(record.month)
        ):
            return Decimal("0.00")
    total = record.hours
    if profile.contract in ALTERNANCE_CONTRACTS and (convention is None or convention.count_alternance_training):
        total += record.training
    if (
        profile.mode in SUBCONTRACTING_MODES
        and not record.hours
        and record.amount
        and convention is not None
        and convention.subcontracting_hourly_rate
    ):
        total += _round(record.amount / convention.subcontracting_hourly_rate)
    return _round(total)


def _has_fact(draft, kind, day: date | None = None) -> bool:
    for fact in draft.facts:
        if fact["kind"] != kind or fact["value"] == REFUSED:
            continue
        if day is None or (fact["started_on"] <= day and (fact["ended_on"] is None or fact["ended_on"] >= day)):
            return True
    return False


def _of(name: str) -> str:
    """ "Ville de Talant" -> "de la Ville de Talant", "CHU Dijon Bourgogne" -> "du CHU Dijon Bourgogne"."""
    if name.startswith(("Préfecture", "Rectorat")):
        name = name[0].lower() + name[1:]
    if name.startswith(("Ville", "Communauté", "Région", "SPLAAD", "préfecture", "CAF", "CDC")):
        return f"de la {name}"
    if name.startswith(("CHU", "Centre", "CROUS", "SDIS", "rectorat", "Département")):
        return f"du {name}"
    if name.startswith(("Université", "Institut", "Opéra")):
        return f"de l'{name}"
    if name[0] in "AEIOUÉH":
        return f"d'{name}"
    return f"de {name}"
