"""Curation: a product is public only once an officer approves it, and owners' edits wait for one."""

import pytest

from sentra.catalog import services
from sentra.catalog.models import Product
from sentra.core.models import AuditEntry
from sentra.registry.duplicates import merge_smes
from sentra.registry.services import deactivate_sme, reject_sme, verify_sme
from tests.registry.factories import SmeFactory

from .factories import ProductFactory


def _new_product(sme, owner, category, **extra):
    return services.create_product(
        actor=owner, sme=sme, name_id="Keripik Tempe Mbak Yuni", category=category, price=15000, **extra
    )


def test_a_submitted_product_is_public_only_after_an_officer_approves_it(
    owned_sme, sme_owner, officer, category
):
    product = _new_product(owned_sme, sme_owner, category)
    services.submit_product(product=product, actor=sme_owner)
    assert not Product.objects.public().filter(pk=product.pk).exists()
    services.approve_product(product=product, officer=officer, note="Foto jelas")
    assert Product.objects.public().filter(pk=product.pk).exists()
    assert AuditEntry.objects.filter(verb="catalog.product.approved", object_id=str(product.pk)).exists()


def test_a_returned_product_carries_the_note_the_owner_sees_and_can_be_sent_again(
    owned_sme, sme_owner, officer, category
):
    product = _new_product(owned_sme, sme_owner, category)
    services.submit_product(product=product, actor=sme_owner)
    returned = services.return_product(product=product, officer=officer, note="Tambahkan foto kemasan")
    assert returned.status == Product.Status.RETURNED and returned.curation_note == "Tambahkan foto kemasan"
    assert services.submit_product(product=returned, actor=sme_owner).status == Product.Status.PENDING


def test_returning_needs_a_note(owned_sme, sme_owner, officer, category):
    product = _new_product(owned_sme, sme_owner, category, status=Product.Status.PENDING)
    with pytest.raises(services.CatalogError):
        services.return_product(product=product, officer=officer, note="  ")


def test_a_product_of_an_unverified_sme_cannot_be_curated(sme_owner, officer, category, kecamatan):
    sme = SmeFactory(submitted=True, kecamatan=kecamatan["cikarang_utara"])
    product = _new_product(sme, sme_owner, category, status=Product.Status.PENDING)
    with pytest.raises(services.CatalogError, match="belum terverifikasi"):
        services.approve_product(product=product, officer=officer)
    assert Product.objects.get(pk=product.pk).status == Product.Status.PENDING


def test_an_owners_edit_of_a_published_products_price_waits_while_the_old_price_stays_public(
    owned_sme, sme_owner, officer, category
):
    product = _new_product(owned_sme, sme_owner, category, status=Product.Status.APPROVED)
    updated = services.update_product(
        product=product, actor=sme_owner, data={"price": 18000, "stock_status": "preorder"}
    )
    assert updated.price == 15000 and updated.pending_changes == {"price": 18000}
    assert updated.stock_status == "preorder"  # not curated: applies at once
    assert Product.objects.public().filter(pk=product.pk).exists()
    assert Product.objects.waiting_for_curation().filter(pk=product.pk).exists()
    services.approve_product(product=updated, officer=officer)
    product.refresh_from_db()
    assert product.price == 18000 and product.pending_changes == {} and not product.has_pending_changes


def test_returning_an_edit_keeps_the_published_values(owned_sme, sme_owner, officer, category):
    product = _new_product(owned_sme, sme_owner, category, status=Product.Status.APPROVED)
    services.update_product(product=product, actor=sme_owner, data={"name_id": "Keripik Tempe Super"})
    services.return_product(product=product, officer=officer, note="Nama terlalu umum")
    product.refresh_from_db()
    assert product.status == Product.Status.APPROVED and product.name_id == "Keripik Tempe Mbak Yuni"
    assert product.curation_note == "Nama terlalu umum" and not product.pending_changes


def test_an_officer_edits_a_published_product_directly(owned_sme, sme_owner, officer, category):
    product = _new_product(owned_sme, sme_owner, category, status=Product.Status.APPROVED)
    services.update_product(product=product, actor=officer, data={"price": 16000})
    product.refresh_from_db()
    assert product.price == 16000 and not product.has_pending_changes


@pytest.mark.parametrize(
    "change",
    [
        lambda sme, officer: deactivate_sme(sme=sme, officer=officer, reason="Tutup"),
        lambda sme, officer: reject_sme(sme=sme, officer=officer, reason="Data palsu"),
    ],
)
def test_a_product_leaves_the_catalogue_when_its_sme_loses_its_verified_status(officer, kecamatan, change):
    product = ProductFactory(sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
    change(product.sme, officer)
    assert not Product.objects.public().filter(pk=product.pk).exists()
    verify_sme(sme=product.sme, officer=officer)
    assert Product.objects.public().filter(pk=product.pk).exists()


def test_a_merged_smes_products_follow_it_into_the_kept_record(officer, kecamatan):
    keep = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    merged = ProductFactory(sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
    old_sme = merged.sme
    merge_smes(keep=keep, merge=old_sme, officer=officer, reason="Sama")
    merged.refresh_from_db()
    assert merged.sme_id == keep.pk and Product.objects.public().filter(pk=merged.pk).exists()
