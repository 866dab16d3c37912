from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import ImportJob
from .readers import SPREADSHEET_EXTENSIONS

NOT_IMPORTED = ("", _("— not imported —"))


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=kinds.choices,
        initial=ImportJob.Kind.SME,
        widget=forms.RadioSelect,
        # Without a choice (an older page, a script) the file holds SMEs, as it always did.
        required=False,
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "An .xlsx, .xls, .ods or .csv file, up to %(mb)s MB. The national SIDT export is recognised."
        )
        % {"mb": settings.SENTRA_IMPORT_MAX_MB},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(SPREADSHEET_EXTENSIONS))}),
    )
    mode = forms.ChoiceField(
        label=_("When some rows are not valid"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.SKIP_INVALID,
        widget=forms.RadioSelect,
    )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ImportJob.Kind.SME

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SPREADSHEET_EXTENSIONS:
            raise forms.ValidationError(
                _("This is not a spreadsheet: upload an .xlsx, .xls, .ods or .csv file."),
                code="not_spreadsheet",
            )
        if upload.size > settings.SENTRA_IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into smaller files."),
                code="too_large",
                params={"mb": settings.SENTRA_IMPORT_MAX_MB},
            )
        return upload


class MappingForm(forms.Form):
    """One select per column of the file: which Sentra field the column feeds."""

    mode = forms.ChoiceField(
        label=_("When some rows are not valid"), choices=ImportJob.Mode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, job: ImportJob, **kwargs):
        initial = {"mode": job.mode, **{f"col_{i}": key for i, key in enumerate(job.mapping)}}
        super().__init__(*args, initial=initial, **kwargs)
        choices = [NOT_IMPORTED, *kinds.get(job.kind).field_choices()]
        self.columns = []
        for index, header in enumerate(job.headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=choices,
                required=False,
            )
            samples = [row[index] for row in job.samples if index < len(row) and row[index]]
            self.columns.append({"field": name, "header": header, "samples": samples})

    def bound_columns(self):
        for column in self.columns:
            yield {**column, "bound": self[column["field"]]}

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(c["field"]) or "" for c in self.columns]


class RegionAliasForm(forms.Form):
    """For each region spelling the check could not match: the region it means (or leave it for now)."""

    def __init__(self, *args, job: ImportJob, choices_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = []
        for index, entry in enumerate(job.unmatched_regions):
            name = f"region_{index}"
            self.fields[name] = forms.ChoiceField(
                label=entry["spelling"],
                choices=[("", _("— choose —")), *choices_for(entry)],
                required=False,
            )
            self.entries.append({"index": index, "entry": entry, "bound": self[name]})

    def answers(self) -> dict[int, str]:
        return {e["index"]: self.cleaned_data.get(f"region_{e['index']}") or "" for e in self.entries}


class PlanFilterForm(forms.Form):
    only = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All rows")),
            ("r", _("Rejected")),
            ("w", _("With warnings")),
            ("c", _("To create")),
            ("u", _("To update")),
            ("k", _("Unchanged")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1)
