"""Sign-in with GitHub or Google (allauth's social accounts), only where configured."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.http import Http404


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A provider without a client id and secret in the environment is not there: its pages
    answer 404 rather than fail on the missing app."""

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("This sign-in provider is not configured") from None
