"""Fictional names: people are random combinations of common surnames and given-name characters.

The lists are of characters, not of people; every name is generated, and the schools are generic and
obviously invented (示范镇 "model town").
"""

from __future__ import annotations

import random

# Common surnames, roughly most frequent first (the weights below favour the front of the list).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = tuple(1 / (rank + 8) for rank in range(len(SURNAMES)))

# Given-name characters of the teachers' generation and of the students', by gender.
ADULT_GIVEN = {
    "M": "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰建国志文洪海成康晨博宏振永春晓东",
    "F": "芳娜敏静丽艳娟霞燕玲婷雪慧琳颖倩洁琴云莉萍红梅兰英晶欣怡佳丹璐蕾薇月秀玉凤春晓",
}
CHILD_GIVEN = {
    "M": "子轩浩宇梓睿俊杰博文泽宸一诺铭锦程皓晨嘉懿宇航天佑思远明哲昊然奕辰煜城瑞霖楷瑞柏",
    "F": "欣怡梓涵诗琪语桐可馨雨彤思颖若曦佳怡梦瑶心悦紫萱雅婷依诺子涵悦然艺菲晨曦静雯书瑶沐",
}


def person_name(rng: random.Random, gender: str, *, child: bool = False) -> str:
    """A surname and one or two given-name characters (two in about three names of four)."""
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    chars = (CHILD_GIVEN if child else ADULT_GIVEN)[gender]
    length = 2 if rng.random() < 0.75 else 1
    given = "".join(rng.choice(chars) for _ in range(length))
    if length == 2 and given[0] == given[1] and rng.random() < 0.7:
        given = given[0] + rng.choice(chars)  # reduplicated names (婷婷) exist, but not that often
    return surname + given


def unique_name(rng: random.Random, gender: str, taken: set[str], *, child: bool = False) -> str:
    """A name not in `taken` (which it joins), so that a list of people has no two alike."""
    for _attempt in range(50):
        name = person_name(rng, gender, child=child)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of distinct names")  # pragma: no cover - the pools hold far more names


# The demo's schools (obviously fictional). The small demo is one junior secondary school; the large one a
# central school with three village primary schools.
SMALL_SCHOOL = ("demo", "示范镇初级中学", "示范县示范镇学府路1号")
CENTRAL_SCHOOL = ("demo", "示范镇中心学校", "示范县示范镇学府路1号")
VILLAGE_SCHOOLS = (
    ("demo-east", "示范镇东村小学", "示范县示范镇东村"),
    ("demo-west", "示范镇西村小学", "示范县示范镇西村"),
    ("demo-south", "示范镇南村小学", "示范县示范镇南村"),
)

GRADE_NAMES = {
    1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
    7: "七年级", 8: "八年级", 9: "九年级",
}

# The login table's role column is deliberately bilingual (Chinese and English side by side).
LOGIN_ROLES = {
    "principal": ("校长", "Principal"),
    "vice_principal": ("副校长", "Vice-principal"),
    "director": ("教导主任", "Director"),
    "office_staff": ("教导干事", "Office staff"),
    "cadre": ("行政干部", "Cadre"),
    "group_leader": ("教研组长", "Group leader"),
    "teacher": ("教师", "Teacher"),
    "new_teacher": ("新教师", "New teacher"),
    "village_director": ("村小教导主任", "Village director"),
    "superuser": ("系统管理员", "Superuser"),
}
