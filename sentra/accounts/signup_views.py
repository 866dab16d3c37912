from django.shortcuts import render

from sentra.core.permissions import public


@public
def signup(request):
    return render(request, "registration/signup.html")
