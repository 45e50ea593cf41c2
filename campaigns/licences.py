"""The licences the team may choose for a campaign's open data."""

CC_BY, CC_BY_SA, CC0 = "cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0"

# code: (name of the Data Package standard, French title, address of the licence)
LICENCES = {
    CC_BY: (
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "https://creativecommons.org/licenses/by/4.0/deed.fr",
    ),
    CC_BY_SA: (
        "CC-BY-SA-4.0",
        "Creative Commons Attribution – Partage dans les mêmes conditions 4.0 International "
        "(CC BY-SA 4.0)",
        "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    ),
    CC0: (
        "CC0-1.0",
        "Creative Commons Zéro 1.0 Universel (CC0 1.0) : domaine public",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
    ),
}

CHOICES = [(code, title) for code, (_, title, _) in LICENCES.items()]


def licence(code):
    """{name, title, path} of a licence, as a Data Package lists it."""
    name, title, path = LICENCES.get(code, LICENCES[CC_BY])
    return {"name": name, "title": title, "path": path}
