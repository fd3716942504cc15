"""Reads of the policy: the policy a school follows, its rules as readable lines, the presets' contents, and
its history. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from school.models import School

from ..forms.policy import POLICY_FIELDSETS, POLICY_FORM_FIELDS
from ..models import (
    Checked,
    ExamKind,
    FineRule,
    ObservationKind,
    ObservationQuota,
    Policy,
    Preset,
    ReviewRule,
    RoundRule,
    SelectionKind,
)
from ..presets import PRESETS
from ..services.policy import REASON_EDIT, REASON_PRESET

# The choices of the JSON list fields, which the database stores as plain lists of codes.
LIST_CHOICES = {
    "selection_kinds": SelectionKind,
    "quality_form_after": ExamKind,
    "analysis_after": ExamKind,
    "counted_kinds": ObservationKind,
    "checked": Checked,
}


def policy_for(school: School) -> Policy | None:
    """The policy a school follows: its central school's, with every row prefetched (a fixed number of queries)."""
    return (
        Policy.objects.filter(school_id=school.root_id)
        .prefetch_related(
            "quotas",
            "review_rules",
            "round_rules",
            Prefetch("fine_rules", queryset=FineRule.objects.order_by("id")),
        )
        .first()
    )


def quotas_for_roles(policy: Policy | None, role_codes, *, in_central_group: bool = False):
    """The observation quotas that apply to a person holding these roles."""
    if policy is None:
        return []
    return [
        q
        for q in policy.quotas.all()
        if q.role in role_codes and (not q.central_group_only or in_central_group)
    ]


# --- values as people read them ---------------------------------------------------------------


def display_value(model_field: models.Field, value) -> str:
    """A field's value as the policy page shows it: choice labels, Yes/No, lists joined, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        labels = dict(LIST_CHOICES[model_field.name].choices) if model_field.name in LIST_CHOICES else {}
        return "、".join(str(labels.get(item, item)) for item in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _is_set(value) -> bool:
    return value not in (None, "", [], False, 0)


# A field that only means something when another one is set (no homework checks: no cadence to show).
DEPENDS_ON = {
    "homework_checks_per": "homework_checks_max",
    "quality_form_days": "quality_form_after",
    "analysis_days": "analysis_after",
}


def _field_lines(values: dict, names) -> list[tuple[str, str]]:
    lines = []
    for name in names:
        if name in DEPENDS_ON and not _is_set(values.get(DEPENDS_ON[name])):
            continue
        if name in values and _is_set(values[name]):
            model_field = Policy._meta.get_field(name)
            lines.append((str(model_field.verbose_name), display_value(model_field, values[name])))
    return lines


def policy_sections(policy: Policy) -> list[tuple[str, list[tuple[str, str]]]]:
    """The policy's fields that say something (numbers above 0, ticked boxes, non-empty lists), grouped as on
    the edit page; a group with nothing set is left out."""
    values = {f.name: getattr(policy, f.name) for f in Policy._meta.concrete_fields}
    sections = []
    for legend, names in POLICY_FIELDSETS:
        lines = _field_lines(values, [n for n in names if n != "name"])
        if lines:
            sections.append((str(legend), lines))
    return sections


# --- the presets ---------------------------------------------------------------------------


def quota_line(row: dict) -> str:
    text = _("%(role)s: %(count)s lessons %(per)s") % {
        "role": dict(ObservationQuota._meta.get_field("role").flatchoices)[row["role"]],
        "count": row["count"],
        "per": dict(ObservationQuota._meta.get_field("per").flatchoices)[row["per"]],
    }
    if row.get("central_group_only"):
        text += " " + _("(central groups only)")
    if row.get("counted_kinds"):
        text += " " + _("(counts: %(kinds)s)") % {
            "kinds": display_value(ObservationQuota._meta.get_field("counted_kinds"), row["counted_kinds"])
        }
    return text


def review_line(row: dict) -> str:
    return _("%(reviewer)s checks the observation notes of %(reviewees)s %(times)s times %(per)s") % {
        "reviewer": ReviewRule.Reviewer(row["reviewer"]).label,
        "reviewees": ReviewRule.Reviewees(row["reviewees"]).label,
        "times": row["times"],
        "per": dict(ReviewRule._meta.get_field("per").flatchoices)[row["per"]],
    }


def round_line(row: dict) -> str:
    return _("%(round)s: %(checked)s (%(checker)s)") % {
        "round": RoundRule.Kind(row["kind"]).label,
        "checked": display_value(RoundRule._meta.get_field("checked"), row["checked"]),
        "checker": RoundRule.Checker(row["checker"]).label,
    }


def fine_line(row: dict) -> str:
    unit = FineRule.Unit(row["unit"]).label
    if row.get("discretionary"):
        return _("%(finding)s: decided case by case") % {"finding": row["description"]}
    return _("%(finding)s: %(amount)s yuan %(unit)s") % {
        "finding": row["description"], "amount": row["amount"], "unit": unit
    }


@dataclass
class PresetSummary:
    code: str
    label: str
    settings: list[tuple[str, str]]
    quotas: list[str]
    reviews: list[str]
    rounds: list[str]
    fines: list[str]


def preset_summaries() -> list[PresetSummary]:
    """What each of the seven presets sets, read from the presets themselves (no query)."""
    summaries = []
    for code, label in Preset.choices:
        data = PRESETS[code]
        summaries.append(
            PresetSummary(
                code=code,
                label=str(label),
                settings=_field_lines(data["fields"], POLICY_FORM_FIELDS),
                quotas=[quota_line(row) for row in data["quotas"]],
                reviews=[review_line(row) for row in data["reviews"]],
                rounds=[round_line(row) for row in data["rounds"]],
                fines=[fine_line(row) for row in data["fines"]],
            )
        )
    return summaries


# --- history -------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    date: dt.datetime
    user: str
    action: str
    kind: str
    what: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    order: int = 0


def _user_name(user) -> str:
    if user is None:
        return _("the system")
    try:
        return user.staff.name
    except ObjectDoesNotExist:
        return user.get_username()


def _reason(reason: str | None) -> str:
    if not reason:
        return ""
    if reason.startswith(REASON_PRESET):
        return _("Loaded preset %(preset)s") % {"preset": reason.removeprefix(REASON_PRESET).upper()}
    if reason == REASON_EDIT:
        return _("Edited on the policy page")
    return reason


def _what(record) -> str:
    if isinstance(record, Policy.history.model):
        return record.name
    if isinstance(record, ObservationQuota.history.model):
        return record.get_role_display()
    if isinstance(record, ReviewRule.history.model):
        return f"{record.get_reviewer_display()} → {record.get_reviewees_display()}"
    if isinstance(record, RoundRule.history.model):
        return record.get_kind_display()
    return f"{record.description} ({record.code})"


HISTORY_SOURCES = (
    (Policy, "id"),
    (ObservationQuota, "policy_id"),
    (ReviewRule, "policy_id"),
    (RoundRule, "policy_id"),
    (FineRule, "policy_id"),
)


def policy_history(policy: Policy) -> list[HistoryEntry]:
    """Who changed what and when in the policy and its rows, newest first: one query per kind of row.

    A change lists the fields it changed with their old and new values (simple_history's diff_against against
    the object's previous record); records that changed nothing are left out."""
    actions = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for model, key in HISTORY_SOURCES:
        records = (
            model.history.filter(**{key: policy.pk})
            .select_related("history_user", "history_user__staff")
            .order_by("id", "history_date", "history_id")
        )
        previous = {}
        for record in records:
            old = previous.get(record.id)
            previous[record.id] = record
            changes = []
            if record.history_type == "~" and old is not None:
                delta = record.diff_against(old)
                for change in delta.changes:
                    model_field = model._meta.get_field(change.field)
                    changes.append(
                        (
                            str(model_field.verbose_name),
                            display_value(model_field, change.old),
                            display_value(model_field, change.new),
                        )
                    )
                if not changes:
                    continue
            entries.append(
                HistoryEntry(
                    date=record.history_date,
                    user=_user_name(record.history_user),
                    action=str(actions[record.history_type]),
                    kind=str(model._meta.verbose_name),
                    what=_what(record),
                    reason=_reason(record.history_change_reason),
                    changes=changes,
                    order=record.history_id,
                )
            )
    entries.sort(key=lambda e: (e.date, e.order), reverse=True)
    return entries


def worker_last_seen():
    """When any Celery worker last ran the heartbeat task (None: never)."""
    from ..models import WorkerHeartbeat

    beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return beat.seen_at if beat else None
