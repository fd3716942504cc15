import pytest

from school.models import Role, Staff
from school.services import OFFICE_GROUP_NAME, staff_issue_password, staff_upsert

from .factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_staff_upsert_creates_the_login_and_updates_by_staff_number():
    school = SchoolFactory()
    staff, created = staff_upsert(school=school, staff_no="T9001", name="张老师", roles=[Role.TEACHER])
    assert created and staff.user.username == "T9001" and not staff.user.has_usable_password()
    staff, created = staff_upsert(school=school, staff_no="T9001", name="张老师（改）",
                                  roles=[Role.TEACHER, Role.GROUP_LEADER], is_young=True)
    assert not created
    staff = Staff.objects.get(staff_no="T9001")
    assert staff.name == "张老师（改）" and staff.is_young
    assert staff.role_codes == {Role.TEACHER, Role.GROUP_LEADER}
    assert Staff.objects.count() == 1


def test_office_roles_get_the_admin_and_lose_it_with_the_role():
    school = SchoolFactory()
    staff, _ = staff_upsert(school=school, staff_no="O1", name="干事", roles=[Role.OFFICE_STAFF])
    assert staff.user.is_staff and staff.user.groups.filter(name=OFFICE_GROUP_NAME).exists()
    assert staff.user.has_perm("school.change_timetableentry")
    staff, _ = staff_upsert(school=school, staff_no="O1", name="干事", roles=[Role.TEACHER])
    staff.user.refresh_from_db()
    assert not staff.user.is_staff and not staff.user.groups.exists()


def test_an_issued_password_logs_in(client):
    staff, _ = staff_upsert(school=SchoolFactory(), staff_no="T7", name="李老师", roles=[Role.TEACHER])
    password = staff_issue_password(staff=staff)
    assert len(password) == 10
    assert client.login(username="T7", password=password)
