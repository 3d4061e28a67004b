"""Static data of the clauses' demo: volumes of the activity reports, buyers, places, trades, companies,
profiles of the placements and texts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tremplin.clauses.enums import (
    EligiblePublic,
    FulfilmentMode,
    HireContract,
    Sector,
)
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType

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
