"""Static data of the demo data set: structures, users, communes and their streets.

Real public bodies and partners of the Dijon PLIE are named as in the 2023 activity report; the
SIAE and companies are fictitious. Phone numbers are taken from the ranges reserved by ARCEP for
works of fiction (03 53 73 xx xx, 06 39 98 xx xx) and e-mail addresses from reserved or demo
domains, so that nothing in the demo reaches a real person.
"""

from dataclasses import dataclass

from tremplin.accounts.enums import Role
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType

SEED = 21231
# People in the registry: the PLIE's participants (about 2,300 pathways over the period, see below),
# the people oriented who did not enter, and people followed only for clauses or mobility.
PEOPLE_COUNT = 2900
# People living outside Dijon Métropole (clauses, mobility; never PLIE).
OUTSIDE_METROPOLE_SHARE = 0.065
DEMO_PASSWORD = "demo-tremplin"
EMAIL_DOMAIN = "demo.tremplin.fr"
LEAD_NAME = "Creativ'"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"

# Person e-mails use the domains reserved for examples (RFC 2606).
PERSON_EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]
# ARCEP's numbers reserved for fiction: prefix + 4 free digits.
MOBILE_PREFIX = "063998"
LANDLINE_PREFIX = "035373"


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    commune: str  # INSEE code
    street: str
    siae_type: str = ""
    website: str = ""
    has_siret: bool = True
    activity: str = ""  # companies: line of business, for the clauses reports


K = OrganizationKind
A = Activity

ORGANIZATIONS = [
    OrgSpec("creativ", LEAD_NAME, K.LEAD, "21231", "rue de Longvic"),
    # The 7 structures of the 11 référents (2023 report): 2 communes and 5 operators.
    OrgSpec("chenove", "Ville de Chenôve", K.OPERATOR, "21166", "place Pierre-Meunier"),
    OrgSpec("quetigny", "Ville de Quetigny", K.OPERATOR, "21515", "place Hôtel-de-Ville"),
    OrgSpec("irfa", "IRFA", K.OPERATOR, "21231", "boulevard de Chicago"),
    OrgSpec("cesam", "CESAM", K.OPERATOR, "21231", "rue de Mirande"),
    OrgSpec("apsalc", "APSALC", K.OPERATOR, "21231", "avenue du Lac"),
    OrgSpec("mission-locale", "Mission Locale de Dijon", K.OPERATOR, "21231", "rue Chabot-Charny"),
    OrgSpec("cma", "CMA Côte-d'Or", K.OPERATOR, "21231", "avenue Jean-Jaurès"),
    # Prescribers.
    OrgSpec("ft-marbotte", "France Travail Dijon Marbotte", K.PRESCRIBER, "21231", "rue de la Marbotte"),
    OrgSpec("ft-toison", "France Travail Dijon Toison d'Or", K.PRESCRIBER, "21231", "avenue de Langres"),
    OrgSpec("ft-chenove", "France Travail Chenôve", K.PRESCRIBER, "21166", "avenue Roland-Carraz"),
    OrgSpec(
        "cd21-rsa",
        "Conseil départemental de la Côte-d'Or – insertion RSA",
        K.PRESCRIBER,
        "21231",
        "rue de la Préfecture",
    ),
    OrgSpec("ccas", "CCAS de Dijon", K.PRESCRIBER, "21231", "rue Devosge"),
    OrgSpec("cap-emploi", "Cap Emploi 21", K.PRESCRIBER, "21231", "boulevard de Strasbourg"),
    # SIAE, one of each type (fictitious names).
    OrgSpec("ei", "Ressourcerie des Ducs", K.SIAE, "21231", "rue Jean-Baptiste-Say", siae_type=SiaeType.EI),
    OrgSpec("aci-jardins", "Les Jardins du Suzon", K.SIAE, "21617", "rue Notre-Dame", siae_type=SiaeType.ACI),
    OrgSpec("aci-batiment", "Chantier Bâti Patrimoine 21", K.SIAE, "21166", "rue Paul-Bert", siae_type=SiaeType.ACI),
    OrgSpec("ai", "Ouche Services Emploi", K.SIAE, "21231", "boulevard Gaston-Bachelard", siae_type=SiaeType.AI),
    OrgSpec("etti", "Tremplin Intérim Bourgogne", K.SIAE, "21355", "rue de Dijon", siae_type=SiaeType.ETTI),
    OrgSpec("geiq", "GEIQ Bâtiment Côte-d'Or", K.SIAE, "21171", "avenue de la République", siae_type=SiaeType.GEIQ),
    # Companies (fictitious names).
    OrgSpec("btp", "Bâtiments des Ducs de Bourgogne", K.COMPANY, "21540", "rue des Vignes", activity=A.BUILDING),
    OrgSpec("proprete", "Propreté Dijon Services", K.COMPANY, "21231", "avenue du Drapeau", activity=A.SERVICES),
    OrgSpec(
        "logistique", "Logistique Porte Sud", K.COMPANY, "21355", "avenue du Général-de-Gaulle", activity=A.SERVICES
    ),
    OrgSpec(
        "espaces-verts", "Espaces Verts de la Combe", K.COMPANY, "21390", "route des Grands-Crus", activity=A.SERVICES
    ),
    OrgSpec(
        "restauration",
        "Restauration Collective Côte-d'Or",
        K.COMPANY,
        "21515",
        "avenue de Bourgogne",
        activity=A.SERVICES,
    ),
    OrgSpec("menuiserie", "Menuiserie du Suzon", K.COMPANY, "21278", "rue Saint-Bernard", activity=A.BUILDING),
    # Buyers (donneurs d'ordre).
    OrgSpec(
        "dm-acheteur",
        "Dijon Métropole",
        K.BUYER,
        "21231",
        "avenue du Drapeau",
        website="https://www.metropole-dijon.fr",
    ),
    OrgSpec(
        "ville-dijon", "Ville de Dijon", K.BUYER, "21231", "place de la Libération", website="https://www.dijon.fr"
    ),
    OrgSpec("gdh", "Grand Dijon Habitat", K.BUYER, "21231", "rue du Maréchal-Leclerc"),
    OrgSpec("orvitis", "Orvitis", K.BUYER, "21231", "boulevard Georges-Clemenceau"),
    OrgSpec("chu", "CHU Dijon Bourgogne", K.BUYER, "21231", "rue Paul-Gaffarel"),
    # Funders.
    OrgSpec("dm-financeur", "Dijon Métropole – financement du PLIE", K.FUNDER, "21231", "avenue du Drapeau"),
    OrgSpec("region", "Région Bourgogne-Franche-Comté", K.FUNDER, "21231", "boulevard de la Trémouille"),
    OrgSpec("ddets", "État – DDETS de la Côte-d'Or", K.FUNDER, "21231", "rue de la Préfecture"),
    OrgSpec("fse", "Union européenne – FSE+", K.FUNDER, "21231", "boulevard de la Trémouille", has_siret=False),
    OrgSpec("cd21", "Conseil départemental de la Côte-d'Or", K.FUNDER, "21231", "rue de la Préfecture"),
]

OPERATOR_KEYS = ["chenove", "quetigny", "irfa", "cesam", "apsalc", "mission-locale", "cma"]
# PLIE follow-ups of people the communes' services or the Mission Locale do not follow.
OPERATOR_WEIGHTS = {"irfa": 3, "cesam": 3, "apsalc": 3, "cma": 1.2}
FRANCE_TRAVAIL_KEYS = ["ft-marbotte", "ft-toison", "ft-chenove"]

# Contacts: (job title for a man, for a woman), a few per kind of structure.
CONTACT_TITLES = {
    K.LEAD: [("Directeur", "Directrice"), ("Responsable du pôle clauses", "Responsable du pôle clauses")],
    K.OPERATOR: [("Directeur", "Directrice"), ("Responsable insertion", "Responsable insertion")],
    K.PRESCRIBER: [("Directeur d'agence", "Directrice d'agence"), ("Conseiller référent", "Conseillère référente")],
    K.SIAE: [("Directeur", "Directrice"), ("Encadrant technique", "Encadrante technique")],
    K.COMPANY: [("Gérant", "Gérante"), ("Responsable des ressources humaines", "Responsable des ressources humaines")],
    K.BUYER: [("Acheteur public", "Acheteuse publique"), ("Responsable des marchés", "Responsable des marchés")],
    K.FUNDER: [("Chargé de mission emploi", "Chargée de mission emploi"), ("Gestionnaire", "Gestionnaire")],
}


@dataclass(frozen=True)
class UserSpec:
    local: str  # e-mail before @demo.tremplin.fr
    role: str
    organization: str  # OrgSpec.key
    sex: str  # "F" or "M": the first name and job title follow it
    job_title: tuple[str, str]  # (for a man, for a woman)
    superuser: bool = False


R = Role

USERS = [
    UserSpec("admin", R.COORDINATOR, "creativ", "M", ("Administrateur de la plateforme", ""), superuser=True),
    UserSpec("coordination", R.COORDINATOR, "creativ", "F", ("", "Coordinatrice du PLIE")),
    UserSpec("assistance", R.ASSISTANT, "creativ", "F", ("", "Assistante administrative")),
    UserSpec("direction", R.MANAGER, "creativ", "M", ("Directeur de Creativ'", "")),
    UserSpec("facilitatrice", R.FACILITATOR, "creativ", "F", ("", "Facilitatrice clauses d'insertion")),
    UserSpec("mobilite", R.MOBILITY_ADVISER, "creativ", "M", ("Conseiller plateforme mobilité", "")),
    UserSpec("chargee-de-projet", R.PROJECT_OFFICER, "creativ", "F", ("", "Chargée de projet Cité de l'emploi")),
    UserSpec("prescripteur", R.PRESCRIBER, "ft-marbotte", "F", ("", "Conseillère France Travail")),
    UserSpec("donneur-ordre", R.BUYER, "dm-acheteur", "M", ("Responsable de la commande publique", "")),
    UserSpec("entreprise", R.COMPANY, "btp", "F", ("", "Responsable des ressources humaines")),
    UserSpec("financeur", R.FUNDER, "dm-financeur", "M", ("Chargé de mission emploi et insertion", "")),
]

_REFERENT = ("Référent de parcours PLIE", "Référente de parcours PLIE")
# The 11 référents of 2023, in the 7 structures.
REFERENTS = [
    UserSpec("referente.chenove", R.REFERENT, "chenove", "F", _REFERENT),
    UserSpec("referent.quetigny", R.REFERENT, "quetigny", "M", _REFERENT),
    UserSpec("referente.irfa", R.REFERENT, "irfa", "F", _REFERENT),
    UserSpec("referent.irfa", R.REFERENT, "irfa", "M", _REFERENT),
    UserSpec("referente.cesam", R.REFERENT, "cesam", "F", _REFERENT),
    UserSpec("referente2.cesam", R.REFERENT, "cesam", "F", _REFERENT),
    UserSpec("referente.apsalc", R.REFERENT, "apsalc", "F", _REFERENT),
    UserSpec("referent.apsalc", R.REFERENT, "apsalc", "M", _REFERENT),
    UserSpec("referente.mission-locale", R.REFERENT, "mission-locale", "F", _REFERENT),
    UserSpec("referent.mission-locale", R.REFERENT, "mission-locale", "M", _REFERENT),
    UserSpec("referente.cma", R.REFERENT, "cma", "F", _REFERENT),
]

ALL_USERS = USERS + REFERENTS

# Where people live: INSEE code -> weight (%). ~93 % in the 23 communes of Dijon Métropole,
# roughly by population with the PLIE's over-representation of Dijon and Chenôve.
COMMUNE_WEIGHTS = {
    "21231": 55.45,  # Dijon
    "21166": 8.5,  # Chenôve
    "21617": 5.5,  # Talant
    "21355": 4.5,  # Longvic
    "21515": 4.0,  # Quetigny
    "21171": 3.5,  # Chevigny-Saint-Sauveur
    "21540": 2.5,  # Saint-Apollinaire
    "21278": 2.0,  # Fontaine-lès-Dijon
    "21390": 1.5,  # Marsannay-la-Côte
    "21485": 1.0,  # Plombières-lès-Dijon
    "21452": 0.8,  # Neuilly-Crimolois
    "21605": 0.7,  # Sennecey-lès-Dijon
    "21481": 0.5,  # Perrigny-lès-Dijon
    "21223": 0.4,  # Daix
    "21003": 0.4,  # Ahuy
    "21473": 0.4,  # Ouges
    "21263": 0.3,  # Fénay
    "21315": 0.3,  # Hauteville-lès-Dijon
    "21105": 0.2,  # Bressey-sur-Tille
    "21106": 0.2,  # Bretenière
    "21370": 0.2,  # Magny-sur-Tille
    "21192": 0.1,  # Corcelles-les-Monts
    "21270": 0.05,  # Flavignerot
    # Outside the Métropole (clauses, mobility).
    "21292": 2.0,  # Genlis
    "21038": 1.8,  # Auxonne
    "21317": 1.5,  # Is-sur-Tille
    "21054": 1.7,  # Beaune
}

# Postcodes of the communes outside the Métropole (the reference data only has the Métropole's).
POSTCODES = {"21292": "21110", "21038": "21130", "21317": "21120", "21054": "21200"}

# Share of residents of each commune with QPVs who live in one (overall ~28 % of people).
QPV_SHARE = {"21231": 0.37, "21166": 0.55, "21617": 0.30, "21355": 0.25, "21515": 0.30}

VILLAGE_STREETS = [
    "Grande Rue",
    "rue de l'Église",
    "rue des Écoles",
    "rue du Lavoir",
    "chemin des Vignes",
    "rue de la Mairie",
    "rue du Moulin",
    "rue de la Fontaine",
    "allée des Tilleuls",
    "impasse des Vergers",
]

STREETS = {
    "21231": [
        "rue de la Liberté",
        "avenue du Drapeau",
        "boulevard de Chicago",
        "rue des Godrans",
        "avenue Victor-Hugo",
        "rue d'Auxonne",
        "boulevard des Martyrs-de-la-Résistance",
        "avenue du Lac",
        "rue Jean-Baptiste-Say",
        "rue Chabot-Charny",
        "rue Berbisey",
        "rue Monge",
        "rue Devosge",
        "rue de Mirande",
        "rue d'Ahuy",
        "rue de Talant",
        "rue de Longvic",
        "rue Jeannin",
        "rue Vauban",
        "rue de Montchapet",
        "avenue Jean-Jaurès",
        "avenue Aristide-Briand",
        "avenue de Langres",
        "avenue de Stalingrad",
        "avenue du Maréchal-Foch",
        "avenue Gustave-Eiffel",
        "boulevard de Strasbourg",
        "boulevard Carnot",
        "boulevard Georges-Clemenceau",
        "boulevard Gaston-Bachelard",
        "boulevard de Sévigné",
        "boulevard de Troyes",
        "boulevard Voltaire",
        "boulevard Thiers",
    ],
    "21166": [
        "rue Paul-Bert",
        "avenue Roland-Carraz",
        "avenue du 14-Juillet",
        "rue Jean-Moulin",
        "rue Roger-Salengro",
        "rue de Longvic",
        "rue Jules-Ferry",
        "rue Alfred-de-Musset",
        "route de Dijon",
    ],
    "21617": [
        "rue du Belvédère",
        "rue Notre-Dame",
        "rue Marie-Curie",
        "avenue du Mail",
        "rue de la Libération",
        "rue des Écoles",
        "rue Jean-Jaurès",
    ],
    "21355": [
        "rue Jean-Jaurès",
        "avenue du Général-de-Gaulle",
        "rue de Dijon",
        "rue Pasteur",
        "rue des Frères-Lumière",
        "rue du Bief-du-Moulin",
    ],
    "21515": [
        "avenue de Bourgogne",
        "rue des Vergers",
        "avenue du Château",
        "Grande Rue",
        "rue de la Fontaine",
        "rue des Prairies",
    ],
    "21171": [
        "avenue de la République",
        "rue Jean-Moulin",
        "rue Pasteur",
        "rue des Écoles",
        "rue de Dijon",
        "rue de Sennecey",
    ],
    "21540": ["rue Jean-Jaurès", "rue des Vignes", "rue de la Fontaine", "rue de Mirande", "rue de Varois"],
    "21278": ["rue Saint-Bernard", "rue du Général-de-Gaulle", "rue des Carrières", "rue Pasteur", "rue de Daix"],
    "21390": ["route des Grands-Crus", "rue du Rocher", "rue de Chenôve", "rue de la Mairie", "rue des Vignes"],
    "21292": ["rue de Dijon", "rue d'Auxonne", "avenue de la Gare", "rue de la République", "Grande Rue"],
    "21038": ["rue Vauban", "rue de Dijon", "rue Antoine-Masson", "rue Carnot", "avenue de la Gare"],
    "21317": ["rue Charles-de-Gaulle", "rue de Dijon", "rue Diderot", "place du Général-Leclerc"],
    "21054": [
        "rue d'Alsace",
        "rue Carnot",
        "rue de Lorraine",
        "faubourg Saint-Nicolas",
        "avenue de la République",
        "rue du Faubourg-Bretonnière",
    ],
}

# Streets of the QPVs (by the seeded QPV names), used for their residents.
QPV_STREETS = {
    "Grésilles": [
        "boulevard des Martyrs-de-la-Résistance",
        "rue Jean-Baptiste-Say",
        "avenue du Drapeau",
        "rue des Grésilles",
    ],
    "Fontaine d'Ouche": ["avenue du Lac", "boulevard Gaston-Bachelard", "boulevard Chanoine-Kir", "rue de Bourgogne"],
    "Le Mail": ["rue Paul-Bert", "avenue du 14-Juillet", "avenue Roland-Carraz"],
    "Centre-ville": ["avenue du Château", "rue des Vergers"],
    "Belvédère": ["rue du Belvédère", "avenue du Mail"],
    "Bief du Moulin": ["rue du Bief-du-Moulin", "rue des Frères-Lumière"],
}

# The demo's memberships start in September, this many years before the period's first year: before the
# first PLIE pathways still open at the start of the period (they begin up to 4 years before it).
MEMBERSHIPS_LEAD_IN_YEARS = 5
