from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .middleware import SESSION_KEY, TIME_ZONE_SESSION_KEY
from .models import PlanSettings, Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="create-profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(user_logged_in, dispatch_uid="remember-language")
def remember_language(sender, request, user, **kwargs):
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[SESSION_KEY] = language


@receiver(user_logged_in, dispatch_uid="remember-time-zone")
def remember_time_zone(sender, request, user, **kwargs):
    zone = PlanSettings.objects.filter(user=user).values_list("time_zone", flat=True).first()
    if zone and request is not None and hasattr(request, "session"):
        request.session[TIME_ZONE_SESSION_KEY] = zone
