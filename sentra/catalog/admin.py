from django.contrib import admin

from .models import Category, EventParticipant, EventSale, Inquiry, Product, PromotionEvent, Storefront


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_id", "name_en", "slug", "position"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "sme", "price", "status"]
    list_filter = ["status", "category", "export_ready"]
    search_fields = ["code", "name_id", "name_en", "barcode"]
    raw_id_fields = ["sme", "curated_by"]


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ["slug", "sme", "publish_whatsapp", "featured"]
    list_filter = ["featured", "publish_whatsapp"]
    search_fields = ["slug", "sme__name"]
    raw_id_fields = ["sme"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "sme", "name", "country", "status"]
    list_filter = ["status", "country"]
    raw_id_fields = ["sme", "product"]
    readonly_fields = ["sender_key"]


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    raw_id_fields = ["sme"]
    extra = 0


@admin.register(PromotionEvent)
class PromotionEventAdmin(admin.ModelAdmin):
    list_display = ["name_id", "kind", "reach", "starts_on", "ends_on", "city", "is_public"]
    list_filter = ["kind", "reach", "is_public"]
    search_fields = ["name_id", "name_en", "city"]
    inlines = [ParticipantInline]


@admin.register(EventSale)
class EventSaleAdmin(admin.ModelAdmin):
    list_display = ["participant", "sold_on", "amount", "whole_event", "verified"]
    list_filter = ["verified", "whole_event"]
    raw_id_fields = ["participant"]
