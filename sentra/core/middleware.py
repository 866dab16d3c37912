from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """The language in the URL (/id/…, /en/… of the public site); elsewhere Indonesian unless the user
    chose otherwise with the switcher (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Dinas office machine set to
    English must still open in Indonesian, so only an explicit choice counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = translation.get_language_from_path(request.path_info) or request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME
        )
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
