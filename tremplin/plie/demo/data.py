"""Static data of the PLIE's demo journeys: volumes of the 2023 activity report, employers, jobs, trainings."""

from tremplin.people.enums import EducationLevel, FactKind
from tremplin.plie.enums import Barrier, ExitKind, IscedLevel, ReportCategory

# --- PLIE (2023 activity report, seed 000) ---------------------------------------------------------

# Entries validated a year (420 in 2023); pathways last 1.5 year on average, so that about 1,050
# people are accompanied a year (1,083 in 2023). Pathways of the 4 years before the period are
# generated too, for the people still in their pathway on its first day.
PLIE_ENTRIES_PER_YEAR = 420
PLIE_LEAD_IN_YEARS = 4
PATHWAY_DAYS = [((120, 365), 32), ((366, 730), 43), ((731, 1095), 19), ((1096, 1460), 6)]
# Of the people oriented, about 10 % do not enter; half of them missed their first appointment.
NOT_ENTERED_SHARE = 0.10
# Positive exits among exits (48 % in 2022, seed 003); the kinds mirror the call's criteria.
POSITIVE_EXIT_RATE = 0.45
POSITIVE_EXIT_WEIGHTS = {
    ExitKind.POSITIVE_CDI: 28,
    ExitKind.POSITIVE_CDD: 30,
    ExitKind.POSITIVE_INTERIM: 12,
    ExitKind.POSITIVE_TRAINING: 20,
    ExitKind.POSITIVE_SUBSIDISED: 3,
    ExitKind.POSITIVE_BUSINESS: 4,
    ExitKind.POSITIVE_ACI_SENIOR: 3,
}
OTHER_EXIT_WEIGHTS = {
    ExitKind.ABANDONMENT: 20,
    ExitKind.MOVED: 12,
    ExitKind.HEALTH: 15,
    ExitKind.RETIREMENT: 3,
    ExitKind.REORIENTATION: 20,
    ExitKind.NO_SOLUTION: 20,
    ExitKind.UNREACHABLE: 9,
    ExitKind.DECEASED: 1,
}
# Contracts signed in 2023 by category (they sum to 585 for 549 contracts): the mix of each year.
CONTRACTS_PER_YEAR = 550
CONTRACT_MIX = {
    ReportCategory.CDD_SHORT: 169,
    ReportCategory.INTERIM: 91,
    ReportCategory.CDI: 89,
    ReportCategory.CDDI: 73,
    ReportCategory.CDD_LONG: 67,
    ReportCategory.ACI: 39,
    ReportCategory.INTERIM_INSERTION: 29,
    ReportCategory.PROFESSIONALISATION: 11,
    ReportCategory.SUBSIDISED: 7,
    ReportCategory.OTHER: 10,
}
# Accompagnements spécifiques: 330 at 30/09/2023, 31 % on health.
SPECIFIC_SUPPORTS_PER_YEAR = 330
BARRIER_WEIGHTS = {
    Barrier.HEALTH: 31,
    Barrier.HOUSING: 14,
    Barrier.MOBILITY: 14,
    Barrier.ACCESS_TO_RIGHTS: 10,
    Barrier.BUDGET: 8,
    Barrier.MOBILISATION: 7,
    Barrier.CHILDCARE: 6,
    Barrier.FAMILY_LIFE: 5,
    Barrier.LANGUAGE: 4,
    Barrier.OTHER: 1,
}
# (title, provider) of each barrier's supports.
SUPPORTS = {
    Barrier.HEALTH: [
        ("Bilan de santé", "Centre d'examens de santé de la CPAM"),
        ("Accompagnement psychologique", "Psychologue de l'action santé du PLIE"),
        ("Accès aux soins et à la complémentaire santé", "CPAM de la Côte-d'Or"),
        ("Suivi addictologie", "CSAPA de Dijon"),
    ],
    Barrier.HOUSING: [
        ("Recherche de logement", "SIAO de la Côte-d'Or"),
        ("Demande de logement social", "Grand Dijon Habitat"),
        ("Maintien dans le logement", "CCAS de Dijon"),
    ],
    Barrier.MOBILITY: [
        ("Diagnostic mobilité", "Plateforme mobilité de Creativ'"),
        ("Préparation au permis B", "Auto-école sociale"),
        ("Location solidaire d'un scooter", "Plateforme mobilité de Creativ'"),
    ],
    Barrier.ACCESS_TO_RIGHTS: [
        ("Ouverture des droits", "CAF de la Côte-d'Or"),
        ("Démarches administratives en ligne", "France Services"),
    ],
    Barrier.BUDGET: [("Accompagnement budgétaire", "UDAF de la Côte-d'Or"), ("Dossier de surendettement", "CCAS")],
    Barrier.MOBILISATION: [("Atelier confiance en soi", "CESAM"), ("Atelier image de soi", "APSALC")],
    Barrier.CHILDCARE: [("Recherche d'un mode de garde", "Relais petite enfance"), ("Place en crèche", "CCAS")],
    Barrier.FAMILY_LIFE: [("Médiation familiale", "UDAF de la Côte-d'Or")],
    Barrier.LANGUAGE: [("Cours de français à visée professionnelle", "IRFA")],
    Barrier.OTHER: [("Accès au numérique", "Espace numérique de quartier")],
}
# Fictitious employers (the demo's companies and SIAE are added by key) and jobs (title, ROME code).
ORDINARY_EMPLOYERS = [
    "Boulangerie des Ducs",
    "Supermarché de la Toison d'Or",
    "Hôtel du Parc de la Colombière",
    "Brasserie de la Place Darcy",
    "Aide à Domicile Bourgogne",
    "Garage de l'Ouche",
    "Nettoyage Industriel Dijonnais",
    "Clinique des Valendons",
    "Transports Urbains Divia Services",
    "Maraîchage des Bords de Tille",
]
TEMP_AGENCIES = ["Intérim Bourgogne Emploi", "Dijon Travail Temporaire", "Agence Intérim de la Côte-d'Or"]
PUBLIC_EMPLOYERS = ["Ville de Dijon", "CCAS de Dijon", "CHU Dijon Bourgogne", "Ville de Chenôve"]
JOBS = [
    ("Agent·e de propreté", "K2204"),
    ("Préparateur·rice de commandes", "N1103"),
    ("Maçon·ne", "F1703"),
    ("Employé·e polyvalent·e de restauration", "G1603"),
    ("Agent·e d'entretien des espaces verts", "A1203"),
    ("Aide à domicile", "K1304"),
    ("Opérateur·rice de conditionnement", "H3302"),
    ("Chauffeur·se livreur·se", "N4105"),
    ("Employé·e de libre-service", "D1507"),
    ("Commis de cuisine", "G1602"),
    ("Agent·e des services hospitaliers", "J1301"),
    ("Agent·e de maintenance des bâtiments", "I1203"),
    ("Manutentionnaire", "N1105"),
    ("Valet·te de chambre", "G1501"),
]
# Qualifying and certifying trainings (title, certification, provider).
TRAININGS = [
    ("Titre professionnel Agent de propreté et d'hygiène", "TP Agent de propreté et d'hygiène", "IRFA"),
    ("Titre professionnel Préparateur de commandes en entrepôt", "TP Préparateur de commandes", "AFPA Dijon"),
    ("CAP Accompagnant éducatif petite enfance", "CAP AEPE", "GRETA 21"),
    ("Titre professionnel Assistant de vie aux familles", "TP ADVF", "IRFA"),
    ("Titre professionnel Maçon", "TP Maçon", "AFPA Dijon"),
    ("CACES R489 chariots élévateurs", "CACES R489 catégories 1, 3 et 5", "AFTRAL Dijon"),
    ("Titre professionnel Agent de restauration", "TP Agent de restauration", "GRETA 21"),
    ("Permis C et FIMO", "Permis C", "AFTRAL Dijon"),
]
PREQUALIFYING = [
    ("Remise à niveau savoirs de base", "IRFA"),
    ("Découverte des métiers du bâtiment", "AFPA Dijon"),
    ("Prépa compétences", "AFPA Dijon"),
    ("Français langue étrangère à visée professionnelle", "IRFA"),
]
PROGRAMME_ACTIONS = [
    ("Atelier recherche d'emploi et CV", "Creativ'"),
    ("Action « Tremplin BTP » (clauses d'insertion)", "Creativ'"),
    ("Job dating des métiers en tension", "Creativ'"),
    ("Parrainage vers l'emploi", "CESAM"),
]
BUSINESSES = ["Atelier Couture Chenôve", "Services Jardin Talant", "Food-truck des Grésilles", "Nettoyage Pro Longvic"]

# --- Texts of the records -----------------------------------------------------------------------------

INTERVIEW_NOTES = [
    "Point sur les démarches de la semaine : deux candidatures envoyées, une relance à faire.",
    "Travail sur le CV et la lettre de motivation pour les offres en restauration collective.",
    "Préparation de l'entretien d'embauche : simulation et conseils de présentation.",
    "Bilan de l'immersion : retour positif du tuteur, le projet se confirme.",
    "Point sur la formation en cours : assiduité correcte, difficultés en calcul à travailler.",
    "Difficultés de garde d'enfants pour les horaires décalés : solution à chercher avec le relais petite enfance.",
    "Situation de logement toujours précaire, lien fait avec l'assistante sociale du secteur.",
    "Rendez-vous manqué la semaine dernière, reprise de contact par téléphone.",
    "Point contrat : la période d'essai se passe bien, l'employeur envisage une prolongation.",
    "Recherche d'offres sur les métiers du nettoyage et de la logistique, inscription sur deux sites.",
    "Préparation du dossier de financement de la formation avec France Travail.",
    "Point sur la mobilité : achat d'un abonnement Divia, permis B envisagé à moyen terme.",
    "Entretien tripartite avec l'employeur et la personne : objectifs fixés pour les trois prochains mois.",
    "Moral en baisse, orientation vers l'action santé du PLIE proposée et acceptée.",
    "Atelier collectif techniques de recherche d'emploi : participation active.",
]
ORIENTATION_REASONS = {
    FactKind.RSA: "Bénéficiaire du RSA, sans emploi depuis plusieurs années : besoin d'un accompagnement renforcé.",
    FactKind.RQTH: "Travailleur·se handicapé·e, reconversion professionnelle à construire.",
    FactKind.QPV_RESIDENCE: "Habitant·e d'un quartier prioritaire, recherche d'emploi sans résultat depuis un an.",
    FactKind.SINGLE_PARENT: "Parent isolé, reprise d'emploi freinée par la garde des enfants.",
    FactKind.HOMELESS: "Sans domicile stable : emploi et logement à travailler ensemble.",
}
DEFAULT_REASON = "Demandeur·se d'emploi de longue durée, projet professionnel à préciser."
NOT_ENTERED_NOTES = [
    "La personne ne souhaite pas s'engager dans un parcours pour le moment.",
    "Reprise d'emploi avant l'entrée : le parcours n'est plus nécessaire.",
    "Orientée vers un accompagnement plus adapté (Mission Locale, CEJ).",
]
OUTREACH_NOTES = [
    "Trois appels et un SMS sans réponse, courrier envoyé à l'adresse connue.",
    "Visite au domicile avec le médiateur du quartier : nouveau rendez-vous fixé.",
    "Contact repris par l'intermédiaire du conseiller France Travail.",
]
REFUSAL_NOTES = [
    "Projet de formation longue déjà financé : l'accompagnement du PLIE n'apporterait pas de plus-value.",
    "Accompagnement global par le Département en cours : à réexaminer dans six mois.",
]
EXIT_EXPLANATIONS = {
    ExitKind.ABANDONMENT: "La personne a mis fin à son parcours et ne répond plus aux propositions.",
    ExitKind.MOVED: "Déménagement hors de Dijon Métropole.",
    ExitKind.HEALTH: "Problèmes de santé incompatibles avec une reprise d'emploi à court terme.",
    ExitKind.RETIREMENT: "Départ à la retraite.",
    ExitKind.REORIENTATION: "Réorientation vers un accompagnement social renforcé.",
    ExitKind.NO_SOLUTION: "Durée maximale du parcours atteinte sans solution d'emploi durable.",
    ExitKind.UNREACHABLE: "Injoignable depuis plus de trois mois malgré les relances.",
    ExitKind.DECEASED: "Décès.",
}
ISCED_OF_LEVEL = {
    EducationLevel.NONE: IscedLevel.ISCED_0_2,
    EducationLevel.LEVEL_3: IscedLevel.ISCED_3_4,
    EducationLevel.LEVEL_4: IscedLevel.ISCED_3_4,
}
