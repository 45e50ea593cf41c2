"""A campaign's published answers as a dataset a researcher can cite: its files, their field
dictionary (a Table Schema, with French descriptions), its Frictionless Data Package and its
schema.org description. The rows come from `campaigns.records`, the one owner of what is public
of an answer; this module only describes and serialises them."""

from django.urls import reverse

from collectif.content.links import absolute_url

from . import records
from .answers import ANSWERED, DECLINED, MISSING, PENDING, STATUS_LABELS
from .exports import to_open_csv
from .licences import licence

PUBLISHER = "Collectif petite enfance"

FORMULA_NOTE = (
    "Protection des tableurs : une cellule de texte qui commencerait par =, +, -, @, une "
    "tabulation, un retour de chariot ou une apostrophe reçoit une apostrophe ' de plus au "
    "début, pour qu’un tableur l’affiche comme du texte au lieu de l’exécuter comme une "
    "formule. Pour retrouver exactement ce que le parti a écrit, retirez le premier caractère "
    "de toute cellule qui commence par une apostrophe. Le fichier JSON donne toujours le texte "
    "exact, sans cette apostrophe."
)

ANSWER_STATUSES = [ANSWERED, DECLINED, PENDING, MISSING]
RESPONSE_STATUSES = {"submitted": "soumise", MISSING: STATUS_LABELS[MISSING]}
STATUS_NOTE = "Codes : " + " ; ".join(
    f"{code} = {STATUS_LABELS[code]}" for code in ANSWER_STATUSES
)


def _field(name, type, description, **extra):
    return {"name": name, "type": type, "description": description, **extra}


ID_FIELDS = [
    _field(
        "campagne_id",
        "integer",
        "Identifiant de la campagne, le même dans tous les fichiers ; ne change jamais.",
        constraints={"required": True},
    ),
    _field(
        "questionnaire_id",
        "integer",
        "Identifiant du questionnaire (un thème de la campagne) ; ne change jamais.",
        constraints={"required": True},
    ),
    _field("questionnaire", "string", "Titre du questionnaire à la date du fichier."),
    _field(
        "parti_id",
        "integer",
        "Identifiant du parti, le même d’une campagne à l’autre ; ne change jamais.",
        constraints={"required": True},
    ),
    _field("parti", "string", "Nom du parti à la date du fichier."),
    _field("parti_sigle", "string", "Sigle ou nom court du parti."),
    _field(
        "reponse_id",
        "integer",
        "Identifiant de la réponse du parti à ce questionnaire ; vide s’il n’a jamais soumis.",
    ),
    _field(
        "statut_reponse",
        "string",
        "Ce que le parti a fait de ce questionnaire. Codes : "
        + " ; ".join(f"{code} = {label}" for code, label in RESPONSE_STATUSES.items())
        + ".",
        constraints={"required": True, "enum": list(RESPONSE_STATUSES)},
    ),
    _field(
        "version_id",
        "integer",
        "Identifiant de la version soumise (chaque soumission ou correction en crée une).",
    ),
    _field(
        "version_numero",
        "integer",
        "Numéro de la soumission pour ce parti et ce questionnaire : 1, 2, 3…",
    ),
    _field(
        "soumise_le",
        "datetime",
        "Date et heure de la soumission, en ISO 8601 avec le décalage horaire "
        "(heure du Québec), comme dans le fichier JSON.",
    ),
]


def _answer_fields(prefix, wording):
    return [
        _field(
            f"{prefix}statut",
            "string",
            f"Statut de la réponse{wording}. {STATUS_NOTE}.",
            constraints={"enum": ANSWER_STATUSES},
        ),
        _field(
            f"{prefix}reponse",
            "string",
            f"Texte de la réponse{wording}, tel que le parti l’a écrit ; vide si le parti n’a "
            "pas répondu (le statut dit pourquoi).",
        ),
        _field(
            f"{prefix}explication",
            "string",
            f"Explication facultative du parti{wording}.",
        ),
        _field(
            f"{prefix}prevue_le" if prefix else "reponse_prevue_le",
            "date",
            f"Pour une réponse à venir (statut pending) : la date annoncée par le parti{wording}.",
        ),
    ]


LONG_FIELDS = [
    *ID_FIELDS,
    _field(
        "version_courante",
        "boolean",
        "true pour la version publiée en ce moment ; false pour une version antérieure, "
        "remplacée par une correction du parti.",
    ),
    _field(
        "question_id",
        "string",
        "Identifiant de la question ; ne change jamais, même si la question est reformulée.",
        constraints={"required": True},
    ),
    _field("question_titre", "string", "Titre court de la question à la date du fichier."),
    _field("question_texte", "string", "Texte actuel de la question."),
    _field(
        "question_repondue",
        "string",
        "Texte de la question tel que le parti l’a lu quand il a répondu (il diffère du texte "
        "actuel si la question a été reformulée depuis).",
    ),
    _field(
        "question_reformulee_le",
        "datetime",
        "Date et heure de la dernière reformulation de la question après des réponses ; vide "
        "si elle n’a jamais été reformulée.",
    ),
    *_answer_fields("", ""),
]


def wide_fields(record):
    """The wide file's fields: the ids, then four columns per question, named by its id."""
    fields = list(ID_FIELDS)
    for part in record:
        for question in part["questions"]:
            wording = f" à la question {question.clean_name} (« {question.label} »)"
            fields += _answer_fields(f"{question.clean_name}__", wording)
    return fields


# name in the address: (kind, delimiter, title)
CSV_FILES = {
    "reponses.csv": ("wide", ",", "Réponses, une ligne par parti et questionnaire"),
    "reponses-long.csv": (
        "long",
        ",",
        "Réponses en format long, une ligne par parti, question et version publiée",
    ),
    "reponses-point-virgule.csv": (
        "wide",
        ";",
        "Réponses, une ligne par parti et questionnaire, séparateur point-virgule (Excel)",
    ),
    "reponses-long-point-virgule.csv": (
        "long",
        ";",
        "Réponses en format long, séparateur point-virgule (Excel)",
    ),
}
JSON_FILE, PACKAGE_FILE = "reponses.json", "datapackage.json"
FILE_NAMES = [*CSV_FILES, JSON_FILE, PACKAGE_FILE]


def csv_file(campaign, name, record=None):
    """The bytes of one of a campaign's CSV files."""
    kind, delimiter, _ = CSV_FILES[name]
    record = records.open_data_record(campaign) if record is None else record
    if kind == "wide":
        fields, rows = wide_fields(record), records.wide_rows(campaign, record)
    else:
        fields, rows = LONG_FIELDS, records.long_rows(campaign, record)
    return to_open_csv([f["name"] for f in fields], rows, delimiter=delimiter)


def file_path(campaign, name):
    return reverse("campaigns:open_data", args=[campaign.slug, name])


def files(campaign, request=None):
    """[(name, title, address)] of every file of a campaign, for its pages."""
    titles = {name: title for name, (_, _, title) in CSV_FILES.items()}
    titles[JSON_FILE] = "Réponses et historique complet (JSON)"
    titles[PACKAGE_FILE] = "Description du jeu de données (Data Package)"
    return [
        (name, titles[name], absolute_url(file_path(campaign, name), request=request))
        for name in FILE_NAMES
    ]


def dataset_version(record):
    """« 1.N.0 »: N counts the published submissions; a correction makes a new version."""
    count = sum(len(entry["versions"]) for part in record for entry in part["parties"])
    return f"1.{count}.0"


def citation(campaign, record, request=None):
    year = campaign.public_since().year if campaign.public_since() else ""
    url = absolute_url(reverse("campaigns:campaign", args=[campaign.slug]), request=request)
    return (
        f"{PUBLISHER} ({year}). {campaign.name} : réponses des partis politiques "
        f"[jeu de données], version {dataset_version(record)}. "
        f"{licence(campaign.licence)['name'].replace('-', ' ', 2)}. {url}"
    )


def description(campaign):
    return (
        f"Les réponses publiées des partis politiques aux questionnaires du {PUBLISHER} pour "
        f"la campagne « {campaign.name} » : le texte de chaque réponse, son statut, "
        "l’explication du parti, la formulation de la question à laquelle il a répondu et "
        "chaque version corrigée."
    )


def datapackage(campaign, request=None):
    """The Frictionless Data Package of a campaign; its resources' paths are relative to it."""
    record = records.open_data_record(campaign)
    page_url = absolute_url(reverse("campaigns:campaign", args=[campaign.slug]), request=request)
    text_note = f"{FORMULA_NOTE} Identifiants : ils ne changent jamais."
    return {
        "profile": "tabular-data-package",
        "name": campaign.slug.lower(),
        "id": absolute_url(file_path(campaign, PACKAGE_FILE), request=request),
        "title": f"{campaign.name} : réponses des partis politiques",
        "description": f"{description(campaign)} {text_note}",
        "homepage": page_url,
        "version": dataset_version(record),
        "created": records.iso_datetime(campaign.public_since()),
        "licenses": [licence(campaign.licence)],
        "sources": [{"title": f"Questionnaires du {PUBLISHER}", "path": page_url}],
        "contributors": [
            {"title": PUBLISHER, "role": "publisher", "path": absolute_url("/", request=request)}
        ],
        "keywords": ["élections", "partis politiques", "petite enfance", "Québec"],
        "citation": citation(campaign, record, request),
        "resources": [
            _resource(
                "reponses", "reponses.csv", wide_fields(record), ["questionnaire_id", "parti_id"]
            ),
            # No primary key: a party that never submitted has rows without a version.
            _resource("reponses-long", "reponses-long.csv", LONG_FIELDS, None),
        ],
    }


def _resource(name, path, fields, primary_key):
    schema = {"fields": fields, "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = primary_key
    return {
        "name": name,
        "path": path,
        "title": CSV_FILES[path][2],
        "description": FORMULA_NOTE,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": schema,
    }


def dataset_ld(campaign, request=None):
    """schema.org's Dataset for search engines (JSON-LD)."""
    page_url = absolute_url(reverse("campaigns:campaign", args=[campaign.slug]), request=request)
    formats = {".csv": "text/csv", ".json": "application/json"}
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{campaign.name} : réponses des partis politiques",
        "description": description(campaign),
        "url": page_url,
        "license": licence(campaign.licence)["path"],
        "inLanguage": "fr-CA",
        "isAccessibleForFree": True,
        "datePublished": records.iso_datetime(campaign.public_since()),
        "creator": {
            "@type": "Organization",
            "name": PUBLISHER,
            "url": absolute_url("/", request=request),
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": title,
                "contentUrl": url,
                "encodingFormat": formats[name[name.rindex(".") :]],
            }
            for name, title, url in files(campaign, request)
        ],
    }


def question_field_patterns():
    """The four columns of each question in the wide file, for the field dictionary."""
    return _answer_fields("<question_id>__", " à cette question")
