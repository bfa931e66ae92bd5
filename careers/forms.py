from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .advisor import Rules, get_rules, localize


class AdvisorForm(forms.Form):
    """The advisor's questions, built from advisor.yaml in the active language."""

    def __init__(self, *args, rules: Rules | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        invalid = _("“%(value)s” is not one of the answers to this question.")
        for question in (rules or get_rules()).questions:
            choices = [(option.value, localize(option.label)) for option in question.options]
            if question.multiple:
                field = forms.MultipleChoiceField(
                    choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            field.label = localize(question.label)
            field.help_text = localize(question.help) if question.help else ""
            field.error_messages.update(
                required=_("Please choose an answer."), invalid_choice=invalid
            )
            self.fields[question.key] = field

    @classmethod
    def from_query(cls, query: QueryDict) -> "AdvisorForm":
        """Bound only when the query carries answers, so a first visit shows no errors."""
        keys = {question.key for question in get_rules().questions}
        return cls(query if keys & query.keys() else None)
