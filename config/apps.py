from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, served by SkillPath's admin site."""

    default_site = "config.admin.SkillPathAdminSite"
