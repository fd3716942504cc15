"""One row of a roster sheet: Django forms that turn a row's texts into values, and the parsers of the ways
people write grades, classes, weekdays and yes/no in Excel."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ..models import Gender, Role, Student
from .sheets import BASELINE_NAMES, CLASSES, ROLE_NAMES, STAFF, STUDENTS, TIMETABLE

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９（）", "0123456789()")
LIST_SEPARATORS = re.compile(r"[、,，;；/／\s]+")

GRADE_NAMES = {1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
               7: "七年级", 8: "八年级", 9: "九年级", 10: "高一", 11: "高二", 12: "高三"}
ROLES_BY_NAME = {
    "校长": Role.PRINCIPAL,
    "副校长": Role.VICE_PRINCIPAL,
    "教学副校长": Role.VICE_PRINCIPAL,
    "教导主任": Role.DIRECTOR,
    "教务主任": Role.DIRECTOR,
    "教导干事": Role.OFFICE_STAFF,
    "教务干事": Role.OFFICE_STAFF,
    "行政干部": Role.CADRE,
    "教研组长": Role.GROUP_LEADER,
    "组长": Role.GROUP_LEADER,
    "教师": Role.TEACHER,
    "老师": Role.TEACHER,
} | {str(r.value): r for r in Role}
GENDERS = {"男": Gender.MALE, "男性": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE,
           "女": Gender.FEMALE, "女性": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE}
YES = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
NO = {"否", "n", "no", "false", "0", "×", "✗", "无"}
BASELINE_KINDS = dict(zip(BASELINE_NAMES, (Student.BaselineKind.ENTRANCE, Student.BaselineKind.ZHONGKAO))) | {
    "入学考试": Student.BaselineKind.ENTRANCE, "摸底": Student.BaselineKind.ENTRANCE,
}
WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}


def chinese_number(text: str) -> int | None:
    """1-99 written with digits or Chinese numerals (七, 十, 十二, 二十一)."""
    text = text.translate(_FULL_WIDTH)
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def parse_grade_level(text: str) -> int | None:
    """七年级, 7年级, 7, 初一, 初中一年级, 高二, 小学三年级 -> a level 1-12, else None."""
    text = "".join(text.split()).translate(_FULL_WIDTH)
    offset = 0
    for prefix, plus in (("初中", 6), ("高中", 9), ("小学", 0), ("初", 6), ("高", 9)):
        if text.startswith(prefix):
            text, offset = text[len(prefix):], plus
            break
    text = text.removesuffix("年级").removesuffix("级")
    number = chinese_number(text)
    if number is None:
        return None
    level = number + offset
    if offset and not 1 <= number <= 3:
        return None
    return level if 1 <= level <= 12 else None


def parse_class_number(text: str) -> int | None:
    """1, 01, 1班, (1)班, （1）班, 一班 -> 1."""
    text = "".join(text.split()).translate(_FULL_WIDTH).removesuffix("班")
    match = re.fullmatch(r"\(?([^()]+)\)?", text)
    number = chinese_number(match.group(1)) if match else None
    return number if number is not None and 1 <= number <= 32767 else None


def parse_weekday(text: str) -> int | None:
    """一, 周一, 星期一, 礼拜一, 1 -> 1; 日, 周日, 星期天, 7 -> 7."""
    text = "".join(text.split()).translate(_FULL_WIDTH)
    for prefix in ("星期", "礼拜", "周"):
        text = text.removeprefix(prefix)
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 7 else None
    return WEEKDAYS.get(text)


def parse_period(text: str) -> int | None:
    """1, 第1节, 第一节 -> 1."""
    text = "".join(text.split()).removeprefix("第").removesuffix("节")
    number = chinese_number(text)
    return number if number is not None and 1 <= number <= 32767 else None


def split_list(text: str) -> list[str]:
    """Names joined by 、 , ， ; / or spaces, in order, without repeats."""
    return list(dict.fromkeys(part for part in LIST_SEPARATORS.split(text) if part))


# --- fields ---------------------------------------------------------------------------------


class ParsedField(forms.CharField):
    """Text parsed into a value by `parse`, with one message for what it does not understand."""

    def __init__(self, *, parse, invalid, **kwargs):
        self.parse = parse
        self.invalid_message = invalid
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        parsed = self.parse(text)
        if parsed is None:
            raise ValidationError(self.invalid_message, code="invalid", params={"value": text})
        return parsed


def gender_field():
    return ParsedField(required=False, parse=lambda t: GENDERS.get(t.lower()),
                       invalid=_("Write 男 or 女, not “%(value)s”."))


def yes_no_field():
    return ParsedField(required=False, parse=lambda t: True if t.lower() in YES else False if t.lower() in NO else None,
                       invalid=_("Write 是 or 否, not “%(value)s”."))


def grade_field():
    # Kept as text: the school's own grade names are matched by the importer before the standard ones.
    return forms.CharField(max_length=20)


def class_number_field():
    return ParsedField(parse=parse_class_number, invalid=_("Write the class number as 1, 1班 or (1)班, not “%(value)s”."))


def school_field():
    return forms.CharField(required=False, max_length=100)


staff_number_validator = RegexValidator(
    r"^[A-Za-z0-9@.+_-]+$", _("A staff number may hold only letters, digits and @ . + - _ (it is the login name).")
)


def staff_number_field(*, required=True):
    return forms.CharField(required=required, max_length=30, validators=[staff_number_validator])


class RoleListField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value)
        names = split_list(text or "")  # empty: the importer keeps her roles, or makes a new person a teacher
        unknown = [n for n in names if n not in ROLES_BY_NAME]
        if unknown:
            raise ValidationError(
                _("Unknown role “%(role)s”. The roles are: %(roles)s."),
                code="invalid", params={"role": unknown[0], "roles": "、".join(ROLE_NAMES)},
            )
        return list(dict.fromkeys(ROLES_BY_NAME[n] for n in names))


class NameListField(forms.CharField):
    def to_python(self, value):
        return split_list(super().to_python(value) or "")


# --- one form per sheet ---------------------------------------------------------------------


class StaffRowForm(forms.Form):
    staff_no = staff_number_field()
    name = forms.CharField(max_length=40)
    gender = gender_field()
    phone = forms.CharField(required=False, max_length=20, validators=[
        RegexValidator(r"^\+?[0-9][0-9 -]*$", _("Write a phone number with digits only."))])
    email = forms.EmailField(required=False)
    school = school_field()
    roles = RoleListField(required=False, max_length=200)
    groups = NameListField(required=False, max_length=400)
    leads = NameListField(required=False, max_length=200)
    is_young = yes_no_field()
    is_new = yes_no_field()


class ClassRowForm(forms.Form):
    school = school_field()
    grade = grade_field()
    number = class_number_field()
    head_teacher = staff_number_field(required=False)


class StudentRowForm(forms.Form):
    student_no = forms.CharField(max_length=30)
    name = forms.CharField(max_length=40)
    gender = gender_field()
    school = school_field()
    grade = grade_field()
    number = class_number_field()
    baseline_score = forms.DecimalField(required=False, min_value=0, max_digits=6, decimal_places=2)
    baseline_kind = ParsedField(required=False, parse=BASELINE_KINDS.get,
                                invalid=_("Write 入学摸底 or 中考, not “%(value)s”."))


class TimetableRowForm(forms.Form):
    school = school_field()
    grade = grade_field()
    number = class_number_field()
    weekday = ParsedField(parse=parse_weekday, invalid=_("Write the weekday as 一 to 日 or 1 to 7, not “%(value)s”."))
    period = ParsedField(parse=parse_period, invalid=_("Write the period as a whole number from 1, not “%(value)s”."))
    subject = forms.CharField(max_length=30)
    teacher = staff_number_field()


ROW_FORMS = {STAFF: StaffRowForm, CLASSES: ClassRowForm, STUDENTS: StudentRowForm, TIMETABLE: TimetableRowForm}
