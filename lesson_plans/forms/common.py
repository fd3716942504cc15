"""Widgets and fields the lesson-preparation forms share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..files import ACCEPT, check_upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AutoSubmitSelect(forms.Select):
    """A filter's drop-down that reloads the page when changed (static/js/site.js; a button without scripts)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select form-select-sm", "data-autosubmit": ""} | (attrs or {}), choices)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, staff):
        return f"{staff.name} ({staff.staff_no})"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, staff):
        return f"{staff.name} ({staff.staff_no})"


def document_field(*, required: bool = True, label=None) -> forms.FileField:
    return forms.FileField(
        label=label or _("File"),
        required=required,
        help_text=_("A .docx, .pdf or .txt file."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}) if not required
        else forms.FileInput(attrs={"accept": ACCEPT}),
    )


class CheckedFileMixin:
    """The `file` field is checked by content and size as it is uploaded (`lesson_plans.files`)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


def filter_choices(queryset, *, empty) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(obj.pk), str(obj)) for obj in queryset]


class FilterForm(forms.Form):
    """A list's filters (GET): every field optional, drop-downs that reload the page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field.widget, forms.Select) and not isinstance(field.widget, AutoSubmitSelect):
                field.widget = AutoSubmitSelect(choices=getattr(field, "choices", ()))
            elif not isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def value(self, name):
        if not self.is_bound:
            return None
        self.is_valid()  # a value not among the choices is dropped; the other filters still apply
        return self.cleaned_data.get(name) or None

    def picked(self, queryset, name):
        """The object chosen in drop-down `name` among `queryset` (None: all)."""
        value = self.value(name)
        if value and str(value).isdigit():
            return queryset.filter(pk=int(value)).first()
        return None
