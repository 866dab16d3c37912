from django.contrib import admin

from .models import Category, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_id", "name_en", "slug", "position"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "sme", "price", "status"]
    list_filter = ["status", "category", "export_ready"]
    search_fields = ["code", "name_id", "name_en", "barcode"]
    raw_id_fields = ["sme", "curated_by"]
