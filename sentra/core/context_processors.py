from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Role

# What each role finds in the top menu; each area adds its entries here as it opens. An entry is
# (label, URL name) or (label, [entries]): a group, shown as one menu that opens, so the bar still fits
# one line on a laptop as the areas grow.
REGISTRY_MENU = (
    _("Registry"),
    [
        (_("SME registry"), "registry:sme_list"),
        (_("Cooperatives"), "registry:cooperative_list"),
        (_("Forums"), "registry:forum_list"),
        (_("Review"), "review:queue"),
        (_("Import"), "imports:start"),
    ],
)
MARKETS_MENU = (
    _("Markets"),
    [
        (_("Catalogue"), "catalog_officer:queue"),
        (_("Events"), "catalog_officer:events"),
        (_("Exports"), "exports:home"),
        (_("Outlets"), "outlets:list"),
        (_("Bebeli"), "bebeli:report"),
        (_("Buyer organisations"), "bebeli:organisation_list"),
    ],
)
PARTNERS_MENU = (
    _("Partners"),
    [(_("Partners"), "partners:partner_list"), (_("Perda 30%"), "perda:obligation_list")],
)
PROGRAMMES_ENTRY = (_("Programmes"), "programs:programme_list")
NAVIGATION = {
    Role.ADMIN: [
        (_("Home"), "home"),
        REGISTRY_MENU,
        MARKETS_MENU,
        PROGRAMMES_ENTRY,
        PARTNERS_MENU,
        (_("Back office"), "admin:index"),
    ],
    Role.OFFICER: [(_("Home"), "home"), REGISTRY_MENU, MARKETS_MENU, PROGRAMMES_ENTRY, PARTNERS_MENU],
    Role.SME_OWNER: [
        (_("Home"), "home"),
        (_("My businesses"), "owner:my_smes"),
        (
            _("Selling"),
            [
                (_("My products"), "catalog_owner:products"),
                (_("Inquiries"), "catalog_owner:inbox"),
                (_("Exports"), "exports:my_exports"),
                (_("Outlet statements"), "outlets_owner:statements"),
                (_("Bebeli orders"), "bebeli:purchase_list"),
            ],
        ),
        (_("Programmes and clinic"), "my_programs:home"),
        (_("Partners and offers"), "sme_partners:overview"),
    ],
    Role.CASHIER: [
        (_("Home"), "home"),
        (_("Till"), "pos:my_till"),
        (_("Stock"), "pos:my_stock"),
        (_("Close the day"), "pos:my_closing"),
    ],
    Role.PARTNER: [
        (_("Home"), "home"),
        (_("Find SMEs"), "partner:find_smes"),
        (_("Offers"), "partner:offer_list"),
        (_("Mentoring"), "programs:my_mentoring"),
        (_("Perda 30%"), "perda:obligation_list"),
        (_("Cooperation outlets"), "outlets:partner_outlets"),
    ],
    Role.BUYER: [
        (_("Home"), "home"),
        (_("Shop"), "bebeli:shop"),
        (_("Cart"), "bebeli:cart"),
        (_("Purchases"), "bebeli:purchase_list"),
    ],
}


def _is_active(url: str, current: str) -> bool:
    return url == current or (url != "/" and current.startswith(url))


def _menu_item(label, target, current: str) -> dict:
    if isinstance(target, list | tuple):
        children = [_menu_item(child_label, child, current) for child_label, child in target]
        if len(children) == 1:
            return children[0]
        return {"label": label, "children": children, "active": any(c["active"] for c in children)}
    url = reverse(target)
    return {"label": label, "url": url, "active": _is_active(url, current)}


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items = [
            _menu_item(label, target, request.path)
            for label, target in NAVIGATION.get(user.role, [(_("Home"), "home")])
        ]
    context = {"nav_items": items, "home_regency_code": settings.SENTRA_HOME_REGENCY}
    path = getattr(request, "path", "")
    if get_language_from_path(path):
        # A public page carries its language in the URL: the switcher links to the same page in the other.
        context["language_urls"] = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    return context
