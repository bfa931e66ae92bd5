"""allauth, tightened: one rate-limited path for every password check on the site."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import ChangePasswordForm, ResetPasswordKeyForm
from allauth.core import context as allauth_context
from django.utils.translation import gettext_lazy as _

from profiles.emails import AccountAdapter as EmailsAccountAdapter


class AccountAdapter(EmailsAccountAdapter):
    """The site's mail (profiles.emails), and one failed-login counter per account."""

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys the per-account limit on the request's host, port included: a client
        # choosing a new Host port per attempt would get a fresh counter each time.
        return credentials.get("email", credentials.get("username", "")).lower()


def password_is_correct(request, user, password: str) -> bool:
    """Check user's password as allauth's log-in does, so the failed-login limits (per
    address and per account) count this attempt together with every log-in form's; over
    a limit it raises the ValidationError "Too many failed login attempts"."""
    login = {"email": user.email} if user.email else {"username": user.get_username()}
    found = get_adapter(request).authenticate(request, password=password, **login)
    return found is not None and found.pk == user.pk


def relabel(form, **labels) -> None:
    """Give fields the site's labels, their placeholders too (allauth repeats the label)."""
    for name, label in labels.items():
        form.fields[name].label = label
        if "placeholder" in form.fields[name].widget.attrs:
            form.fields[name].widget.attrs["placeholder"] = label


class RateLimitedChangePasswordForm(ChangePasswordForm):
    """allauth's password change, with the current password checked like a log-in (the
    request comes from allauth's middleware, as allauth's own re-authentication does), and
    its fields labelled as the site writes them ("New password", not "New Password")."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, oldpassword=_("Current password"))
        relabel(self, password1=_("New password"), password2=_("New password (again)"))

    def clean_oldpassword(self) -> str:
        password = self.cleaned_data.get("oldpassword", "")
        if not password_is_correct(allauth_context.request, self.user, password):
            raise get_adapter().validation_error("enter_current_password")
        return password


class PlainResetPasswordKeyForm(ResetPasswordKeyForm):
    """allauth's new password from a reset link, labelled as the site writes it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, password1=_("New password"), password2=_("New password (again)"))
