"""Officers keep the buyer organisations outside the Django admin: list, register, edit with a
yearly budget, add and remove buyer users, deactivate with a reason; all audited, Dinas only."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from sentra.accounts.models import Role
from sentra.bebeli import organisations, services
from sentra.bebeli.models import BuyerBudget, BuyerOrganisation
from sentra.core.models import AuditEntry

from .factories import OrganisationFactory


def this_year():
    # Asked each time, not at import: a long suite can cross midnight between the two.
    return timezone.localdate().year


LIST = reverse("bebeli:organisation_list")
CREATE = reverse("bebeli:organisation_create")


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _detail(org) -> str:
    return reverse("bebeli:organisation_detail", args=[org.public_id])


def _entries(org, verb):
    return AuditEntry.objects.filter(verb=verb, object_id=str(org.pk))


# --- services ----------------------------------------------------------------------------------


def test_registering_an_organisation_keeps_its_budget_and_is_audited(admin_user):
    org = organisations.create_organisation(
        actor=admin_user,
        data={"name": " Dinas Kesehatan ", "kind": BuyerOrganisation.Kind.DINAS, "code": "1.02.01"},
        budget=organisations.Budget(
            year=this_year(), goods_services=5_000_000_000, local_target=1_500_000_000
        ),
    )
    assert org.name == "Dinas Kesehatan" and org.is_active
    budget = BuyerBudget.objects.get(organisation=org, year=this_year())
    assert (budget.goods_services, budget.local_target) == (5_000_000_000, 1_500_000_000)
    changes = _entries(org, "bebeli.organisation.created").get().changes
    assert changes["code"] == [None, "1.02.01"] and changes[f"budget {this_year()}"] == [None, 5_000_000_000]


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ((None, 10), "Give the year's budget"),
        ((100, 200), "cannot be more than the budget"),
        ((0, None), "must be more than zero"),
    ],
)
def test_a_budget_that_makes_no_sense_is_refused(admin_user, budget, message):
    with pytest.raises(ValidationError, match=message):
        organisations.create_organisation(
            actor=admin_user,
            data={"name": "Dinas Sosial", "kind": BuyerOrganisation.Kind.DINAS},
            budget=organisations.Budget(this_year(), *budget),
        )
    assert not BuyerOrganisation.objects.filter(name="Dinas Sosial").exists()


def test_two_organisations_cannot_share_a_code_but_may_both_have_none(admin_user):
    OrganisationFactory(code="1.01.01")
    OrganisationFactory(code="")
    organisations.create_organisation(actor=admin_user, data={"name": "PT Tanpa Kode", "kind": "company"})
    with pytest.raises(ValidationError, match="Another buyer organisation has this code"):
        organisations.create_organisation(
            actor=admin_user, data={"name": "Dinas Kembar", "kind": "dinas", "code": "1.01.01"}
        )


def test_updating_changes_the_years_budget_and_audits_only_what_changed(admin_user):
    org = OrganisationFactory(name="Dinas Pendidikan")
    BuyerBudget.objects.create(organisation=org, year=this_year(), goods_services=1_000_000)
    organisations.update_organisation(
        organisation=org,
        actor=admin_user,
        data={"name": "Dinas Pendidikan"},
        budget=organisations.Budget(this_year(), 2_000_000, 500_000),
    )
    changes = _entries(org, "bebeli.organisation.updated").get().changes
    assert changes == {
        f"budget {this_year()}": [1_000_000, 2_000_000],
        f"local target {this_year()}": [None, 500_000],
    }
    organisations.update_organisation(organisation=org, actor=admin_user, data={"name": "Dinas Pendidikan"})
    assert _entries(org, "bebeli.organisation.updated").count() == 1


def test_only_an_active_buyer_account_can_be_added(admin_user, buyer, partner):
    org = OrganisationFactory()
    assert organisations.add_member(organisation=org, user=buyer, actor=admin_user)
    assert not organisations.add_member(organisation=org, user=buyer, actor=admin_user)
    with pytest.raises(ValidationError, match="buyer role"):
        organisations.add_member(organisation=org, user=partner, actor=admin_user)
    assert list(org.members.all()) == [buyer]
    assert _entries(org, "bebeli.organisation.member_added").get().changes == {
        "members": [[], ["gita_buyer"]]
    }


def test_a_deactivated_organisation_cannot_order_and_its_buyer_loses_the_shop(
    admin_user, buyer, organisation, seller, products, client
):
    with pytest.raises(ValidationError, match="Say why"):
        organisations.set_active(organisation=organisation, active=False, actor=admin_user)
    organisations.set_active(organisation=organisation, active=False, actor=admin_user, reason="Digabung")
    assert _entries(organisation, "bebeli.organisation.deactivated").get().note == "Digabung"
    organisation.refresh_from_db()
    with pytest.raises(ValidationError, match="deactivated"):
        services.place_order(
            user=buyer,
            organisation=organisation,
            sme=seller,
            lines=[services.CartLine(products[0], 1)],
            po_number="PO/1",
            delivery_address="Jl. Uji",
            delivery_due=None,
        )
    client.force_login(buyer)
    assert client.get(reverse("bebeli:shop")).status_code == 404
    organisations.set_active(organisation=organisation, active=True, actor=admin_user)
    assert client.get(reverse("bebeli:shop")).status_code == 200


# --- pages -------------------------------------------------------------------------------------


def test_an_officer_registers_an_organisation_with_its_budget(en_client, officer):
    en_client.force_login(officer)
    assert en_client.get(CREATE).status_code == 200
    response = en_client.post(
        CREATE,
        {
            "name": "RSUD Kabupaten Bekasi",
            "kind": "hospital",
            "code": "1.02.02",
            "year": this_year(),
            "goods_services": "12.000.000.000",
            "local_target": "Rp 3 M",
        },
    )
    org = BuyerOrganisation.objects.get(name="RSUD Kabupaten Bekasi")
    assert response.status_code == 302 and response["Location"] == _detail(org)
    budget = org.budgets.get()
    assert (budget.year, budget.goods_services) == (this_year(), 12_000_000_000)
    page = en_client.get(_detail(org)).content.decode()
    assert "RSUD Kabupaten Bekasi" in page and "1.02.02" in page


def test_the_form_rejects_a_target_above_the_budget_and_a_missing_name(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(
        CREATE,
        {"name": "", "kind": "dinas", "year": this_year(), "goods_services": "100", "local_target": "200"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be more than the budget" in page and "This field is required" in page
    assert not BuyerOrganisation.objects.exists()


def test_editing_shows_this_years_budget_and_saves_changes(en_client, officer):
    org = OrganisationFactory(name="Dinas Koperasi", kind="dinas")
    BuyerBudget.objects.create(organisation=org, year=this_year(), goods_services=750_000_000)
    en_client.force_login(officer)
    url = reverse("bebeli:organisation_edit", args=[org.public_id])
    assert en_client.get(url).context["form"].initial["goods_services"] == 750_000_000
    response = en_client.post(
        url,
        {
            "name": "Dinas Koperasi dan UKM",
            "kind": "dinas",
            "code": "2.17",
            "year": this_year(),
            "goods_services": "800000000",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.code, org.budgets.get().goods_services) == (
        "Dinas Koperasi dan UKM",
        "2.17",
        800_000_000,
    )


def test_the_list_searches_by_name_or_code_and_filters_by_kind(en_client, officer):
    OrganisationFactory(name="Dinas Pendidikan", kind="dinas", code="1.01.01")
    OrganisationFactory(name="PT Jababeka Infrastruktur", kind="company")
    OrganisationFactory(name="Badan Pendapatan Daerah", kind="badan", is_active=False)
    en_client.force_login(officer)

    def names(**query):
        return [o.name for o in en_client.get(LIST, query).context["page"]]

    assert names() == ["Dinas Pendidikan", "PT Jababeka Infrastruktur", "Badan Pendapatan Daerah"]
    assert names(q="1.01") == ["Dinas Pendidikan"]
    assert names(q="jababeka") == ["PT Jababeka Infrastruktur"]
    assert names(kind="opd") == ["Dinas Pendidikan", "Badan Pendapatan Daerah"]
    assert names(kind="company") == ["PT Jababeka Infrastruktur"]
    assert names(status="inactive") == ["Badan Pendapatan Daerah"]
    assert names(kind="nonsense") == names()


def test_the_list_costs_the_same_queries_however_many_organisations(
    en_client, officer, buyer, django_assert_num_queries
):
    en_client.force_login(officer)
    for extra in (1, 8):
        for i in range(extra):
            org = OrganisationFactory(members=[buyer])
            BuyerBudget.objects.create(organisation=org, year=this_year(), goods_services=1_000_000 + i)
        # 1 session, 2 user, 3 count for the pager, 4 the page of organisations with their
        # kecamatan, member count and this year's budget and target (subqueries, not a query a row)
        with django_assert_num_queries(4):
            response = en_client.get(LIST)
        assert response.status_code == 200
        assert (
            response.content.decode().count("budget " + str(this_year())) == BuyerOrganisation.objects.count()
        )


def test_an_officer_adds_and_removes_buyer_users(en_client, officer, buyer):
    org = OrganisationFactory()
    other = make_user("hana_buyer", Role.BUYER)
    en_client.force_login(officer)
    members = reverse("bebeli:organisation_members", args=[org.public_id])
    page = en_client.get(_detail(org)).content.decode()
    assert "gita_buyer" in page and "hana_buyer" in page
    response = en_client.post(members, {"action": "add", "users": [buyer.pk, other.pk]})
    assert response.status_code == 302
    assert set(org.members.values_list("username", flat=True)) == {"gita_buyer", "hana_buyer"}
    response = en_client.post(members, {"action": "remove", "user": "hana_buyer"})
    assert response.status_code == 302 and list(org.members.all()) == [buyer]
    assert _entries(org, "bebeli.organisation.member_removed").exists()


def test_a_non_buyer_account_cannot_be_added_through_the_page(en_client, officer, partner):
    org = OrganisationFactory()
    en_client.force_login(officer)
    response = en_client.post(
        reverse("bebeli:organisation_members", args=[org.public_id]), {"action": "add", "users": [partner.pk]}
    )
    assert response.status_code == 400 and not org.members.exists()


def test_deactivating_through_the_page_asks_for_a_reason(en_client, officer):
    org = OrganisationFactory()
    en_client.force_login(officer)
    status = reverse("bebeli:organisation_status", args=[org.public_id])
    assert en_client.post(status, {"action": "deactivate", "reason": ""}).status_code == 400
    org.refresh_from_db()
    assert org.is_active
    assert en_client.post(status, {"action": "deactivate", "reason": "Unit dilebur"}).status_code == 302
    org.refresh_from_db()
    assert not org.is_active
    assert "Deactivated" in en_client.get(_detail(org)).content.decode()
    assert en_client.post(status, {"action": "reactivate"}).status_code == 302
    org.refresh_from_db()
    assert org.is_active


@pytest.mark.parametrize("persona", [Role.BUYER, Role.PARTNER, Role.SME_OWNER, Role.CASHIER, "outsider"])
def test_only_dinas_staff_reach_the_organisation_pages(client, personas, persona):
    org = OrganisationFactory(members=[personas[Role.BUYER]])
    client.force_login(personas[persona])
    for url in (LIST, CREATE, _detail(org), reverse("bebeli:organisation_edit", args=[org.public_id])):
        assert client.get(url).status_code == 403
    response = client.post(reverse("bebeli:organisation_status", args=[org.public_id]), {"reason": "x"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.is_active


def test_an_unknown_organisation_is_not_found(client, officer):
    client.force_login(officer)
    assert (
        client.get(
            reverse("bebeli:organisation_detail", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )


def test_the_officer_menu_leads_to_the_buyer_organisations(en_client, officer):
    en_client.force_login(officer)
    assert f'href="{LIST}"' in en_client.get(reverse("home")).content.decode()
