"""The admin groups, one per job of the team (docs/groupes.md says what each may do).

One definition, applied by migrations (with their historical models) and, for the page
permissions, again by `load_demo_content`: page permissions hang on pages (the home page, the
boussole) that a fresh database only gets when the content is loaded. Every function here is
idempotent and only adds what is missing, so that a group keeps what an administrator gave it."""

from django.apps import apps as global_apps

EDITORS = "Rédaction"
REVIEWERS = "Révision"
CAMPAIGNS = "Campagnes"
ADMINISTRATORS = "Administration"
PARTY_LOGOS = "Logos des partis"

# What Rédaction edits besides pages: the member organisations, the site's content settings
# (footer, contact, social links, newsletter heading), promoted search results, redirects,
# and the newsletter subscribers and the campaigns' followers (read and export only).
EDITORIAL_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("home", "add_memberorganisation"),
    ("home", "change_memberorganisation"),
    ("home", "delete_memberorganisation"),
    ("home", "view_memberorganisation"),
    ("collectif", "change_sitesettings"),
    ("wagtailsearchpromotions", "add_searchpromotion"),
    ("wagtailsearchpromotions", "change_searchpromotion"),
    ("wagtailsearchpromotions", "delete_searchpromotion"),
    ("wagtailsearchpromotions", "view_searchpromotion"),
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
    ("wagtailredirects", "view_redirect"),
    ("newsletter", "view_subscriber"),
    ("newsletter", "view_follower"),
]

# Permissions of models made after collectif's 0005 migration, the first to sync the groups.
LATER_MODEL_PERMISSIONS = {("newsletter", "view_follower")}

MODEL_PERMISSIONS = {
    EDITORS: EDITORIAL_MODEL_PERMISSIONS,
    REVIEWERS: EDITORIAL_MODEL_PERMISSIONS,
    CAMPAIGNS: [("wagtailadmin", "access_admin")],
    ADMINISTRATORS: [
        ("wagtailadmin", "access_admin"),
        *[
            ("auth", f"{action}_{model}")
            for model in ("user", "group")
            for action in ("add", "change", "delete", "view")
        ],
        *[
            ("wagtailcore", f"{action}_{model}")
            for model in ("site", "workflow", "task")
            for action in ("add", "change", "delete", "view")
        ],
    ],
}

# Images and documents of every collection for the editorial groups; the campaign team
# uploads and chooses the parties' logos in their own collection.
IMAGES = ["add_image", "change_image", "choose_image"]
DOCUMENTS = ["add_document", "change_document", "choose_document"]
MEDIA = [("wagtailimages", c) for c in IMAGES] + [("wagtaildocs", c) for c in DOCUMENTS]
COLLECTION_PERMISSIONS = {
    EDITORS: {None: MEDIA},
    REVIEWERS: {None: MEDIA},
    CAMPAIGNS: {PARTY_LOGOS: [("wagtailimages", c) for c in IMAGES]},
}

# Page permissions: on the home page (the site's root), never on the tree's Root, whose
# children no site serves. The campaign team edits the boussole's themes to place a
# questionnaire; what it writes goes through the review like any page.
HOME, BOUSSOLE = "home", "boussole"
PAGE_PERMISSIONS = {
    EDITORS: {HOME: ["add_page", "change_page"]},
    REVIEWERS: {HOME: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]},
    CAMPAIGNS: {BOUSSOLE: ["change_page"]},
}


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _groups(apps):
    Group = apps.get_model("auth", "Group")
    return {name: Group.objects.get_or_create(name=name)[0] for name in MODEL_PERMISSIONS}


def _collection(apps, name):
    """The root collection, or a collection of that name under it (made when missing)."""
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.get(depth=1)
    if name is None:
        return root
    existing = Collection.objects.filter(depth=2, name=name).first()
    if existing is not None:
        return existing
    # Treebeard's path, by hand: historical models have none of its methods.
    last = Collection.objects.filter(depth=2).order_by("-path").first()
    step = int(last.path[-4:], 36) + 1 if last else 1
    collection = Collection.objects.create(
        name=name, depth=2, path=root.path + _base36(step).rjust(4, "0"), numchild=0
    )
    Collection.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    return collection


def _base36(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text or "0"


def sync_groups(apps=global_apps):
    """Creates the groups and gives them their model and collection permissions."""
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = _groups(apps)
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in MODEL_PERMISSIONS.items():
        # A model that an earlier migration runs before has no permission yet: the migration
        # that creates it syncs the groups again (newsletter 0005 for the followers).
        existing = [
            p
            for p in permissions
            if Permission.objects.filter(content_type__app_label=p[0], codename=p[1]).exists()
            or p not in LATER_MODEL_PERMISSIONS
        ]
        groups[name].permissions.add(*(_permission(apps, *p) for p in existing))
    for name, collections in COLLECTION_PERMISSIONS.items():
        for collection_name, permissions in collections.items():
            collection = _collection(apps, collection_name)
            for permission in permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=collection,
                    permission=_permission(apps, *permission),
                )
    sync_page_permissions(apps)


def _pages(apps):
    """The pages that carry the groups' page permissions, when they exist yet."""
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    site = Site.objects.filter(is_default_site=True).first()
    pages = {}
    if site is not None:
        pages[HOME] = Page.objects.get(pk=site.root_page_id)
    boussole = Page.objects.filter(
        content_type__app_label="boussole", content_type__model="boussoleindexpage"
    ).first()
    if boussole is not None:
        pages[BOUSSOLE] = boussole
    return pages


def sync_page_permissions(apps=global_apps):
    """Puts the groups' page permissions on the home page and the boussole, and takes the
    editorial groups' ones off the tree's Root (Wagtail's defaults put them there)."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    pages = _pages(apps)
    for name, by_page in PAGE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for key, codenames in by_page.items():
            page = pages.get(key)
            if page is None:
                continue
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=_permission(apps, "wagtailcore", codename)
                )
            if key == HOME and page.depth > 1:
                GroupPagePermission.objects.filter(group=group, page__depth=1).delete()
