from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Role

# What each role finds in the top menu; each area adds its entries here as it opens.
NAVIGATION = {
    Role.ADMIN: [
        (_("Home"), "home"),
        (_("SME registry"), "registry:sme_list"),
        (_("Cooperatives"), "registry:cooperative_list"),
        (_("Forums"), "registry:forum_list"),
        (_("Review"), "review:queue"),
        (_("Import"), "imports:start"),
        (_("Partners"), "partners:partner_list"),
        (_("Catalogue"), "catalog_officer:queue"),
        (_("Events"), "catalog_officer:events"),
        (_("Exports"), "exports:home"),
        (_("Programmes"), "programs:programme_list"),
        (_("Back office"), "admin:index"),
    ],
    Role.OFFICER: [
        (_("Home"), "home"),
        (_("SME registry"), "registry:sme_list"),
        (_("Cooperatives"), "registry:cooperative_list"),
        (_("Forums"), "registry:forum_list"),
        (_("Review"), "review:queue"),
        (_("Import"), "imports:start"),
        (_("Partners"), "partners:partner_list"),
        (_("Catalogue"), "catalog_officer:queue"),
        (_("Events"), "catalog_officer:events"),
        (_("Exports"), "exports:home"),
        (_("Programmes"), "programs:programme_list"),
    ],
    Role.SME_OWNER: [
        (_("Home"), "home"),
        (_("My businesses"), "owner:my_smes"),
        (_("Partners and offers"), "sme_partners:overview"),
        (_("My products"), "catalog_owner:products"),
        (_("Inquiries"), "catalog_owner:inbox"),
        (_("Exports"), "exports:my_exports"),
        (_("Programmes and clinic"), "my_programs:home"),
    ],
    Role.CASHIER: [(_("Home"), "home")],
    Role.PARTNER: [
        (_("Home"), "home"),
        (_("Find SMEs"), "partner:find_smes"),
        (_("Offers"), "partner:offer_list"),
        (_("Mentoring"), "programs:my_mentoring"),
    ],
    Role.BUYER: [(_("Home"), "home")],
}


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        current = request.path
        for label, name in NAVIGATION.get(user.role, [(_("Home"), "home")]):
            url = reverse(name)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": url == current or (url != "/" and current.startswith(url)),
                }
            )
    context = {"nav_items": items, "home_regency_code": settings.SENTRA_HOME_REGENCY}
    path = getattr(request, "path", "")
    if get_language_from_path(path):
        # A public page carries its language in the URL: the switcher links to the same page in the other.
        context["language_urls"] = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    return context
