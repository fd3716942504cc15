import pytest

from school.models import Staff, Student
from school.permissions import restrict, scope_for, visible_staff

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_a_teacher_sees_only_herself(world):
    assert names(visible_staff(world.teacher.user)) == {world.teacher.name}
    scope = scope_for(world.teacher.user)
    assert not scope.is_manager and not scope.is_school_wide and not scope.is_group_leader


def test_a_group_leader_sees_her_group(world):
    assert names(visible_staff(world.group_leader.user)) == {world.group_leader.name, world.teacher.name}


def test_the_central_office_sees_its_village_schools_but_not_another_school(world):
    seen = names(visible_staff(world.office_staff.user))
    assert world.village_teacher.name in seen and world.teacher.name in seen
    assert world.foreign_teacher.name not in seen
    assert scope_for(world.office_staff.user).managed_school_ids == {world.school.pk, world.village.pk}


def test_a_village_director_sees_only_her_village_school(world):
    seen = names(visible_staff(world.village_director.user))
    assert seen == {world.village_director.name, world.village_teacher.name}


def test_the_principal_sees_the_school_without_managing_it(world):
    scope = scope_for(world.principal.user)
    assert scope.is_school_wide and not scope.is_manager
    assert world.principal.user.has_perm("school.see_school")
    assert not world.principal.user.has_perm("school.import_roster", world.school)
    assert world.director.user.has_perm("school.import_roster", world.school)
    assert not world.director.user.has_perm("school.import_roster", world.foreign_school)


def test_restrict_follows_a_path_to_the_school(world):
    students = restrict(Student.objects.all(), world.director.user, school="school_class__grade__school", teacher=None)
    assert names(students) == {world.student.name, world.village_student.name}
    assert names(restrict(Student.objects.all(), world.teacher.user, school="school_class__grade__school",
                          teacher=None)) == set()


def test_a_superuser_sees_everything(world):
    assert visible_staff(world.superuser).count() == Staff.objects.count()


def test_inactive_staff_have_no_scope(world):
    world.director.is_active = False
    world.director.save()
    world.director.user.refresh_from_db()
    assert not scope_for(world.director.user).is_manager
    assert visible_staff(world.director.user).count() == 0
