"""Uploaded documents: checked by content, type and size, stored under MEDIA_ROOT with a random name, and handed out
only by the permission-checked views (no media URL reaches them)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

from lesson_plans.files import check_upload, file_response, plan_upload_to
from lesson_plans.models import TeachingPlan

from .conftest import docx, docx_bytes, pdf, txt


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    "file, content_type",
    [
        (docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (pdf(), "application/pdf"),
        (txt(), "text/plain; charset=utf-8"),
        (txt(encoding="gb18030"), "text/plain; charset=gb18030"),
        (upload("PLAN.PDF", b"  %PDF-1.7 ..."), "application/pdf"),
    ],
)
def test_accepted_documents_carry_their_type(file, content_type):
    checked = check_upload(file)
    assert checked.content_type == content_type
    assert checked.size == file.size


@pytest.mark.parametrize(
    "file, message",
    [
        (upload("plan.doc", b"\xd0\xcf\x11\xe0 old word"), "Upload a .docx, .pdf or .txt file."),
        (upload("plan.exe", b"MZ"), "Upload a .docx, .pdf or .txt file."),
        (upload("plan", b"text"), "Upload a .docx, .pdf or .txt file."),
        (upload("plan.pdf", b""), "The file is empty."),
        (upload("plan.pdf", b"<html>not a pdf</html>"), "This is not a PDF document."),
        (upload("plan.docx", b"%PDF-1.4 renamed"), "This is not a Word (.docx) document."),
        (upload("plan.docx", b"PK\x03\x04 broken zip"), "This is not a Word (.docx) document."),
        (upload("plan.txt", b"MZ\x00\x00binary"), "This is not a plain text file."),
        (upload("plan.txt", b"\xff\xfe\xfa\xfb\xfc"), "This text file is neither UTF-8 nor GB18030 (GBK) text."),
    ],
)
def test_other_files_are_refused_with_a_reason(english, file, message):
    with pytest.raises(ValidationError) as refused:
        check_upload(file)
    assert refused.value.messages == [message]


def test_a_zip_that_is_not_a_word_document_is_refused(english):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError, match="not a Word"):
        check_upload(upload("plan.docx", buffer.getvalue()))


def test_a_word_document_with_macros_is_refused(english):
    data = docx_bytes(extra={"word/vbaProject.bin": b"macro"})
    with pytest.raises(ValidationError, match="macros"):
        check_upload(upload("plan.docx", data))


def test_a_document_that_unpacks_to_too_much_is_refused(english, monkeypatch):
    monkeypatch.setattr("lesson_plans.files.MAX_UNPACKED", 100)
    with pytest.raises(ValidationError, match="too large once unpacked"):
        check_upload(upload("plan.docx", docx_bytes("很长" * 200)))


def test_the_size_limit_comes_from_the_settings(english, settings):
    settings.LESSON_PLANS_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        check_upload(txt(text="这段文字超过十个字节"))
    settings.LESSON_PLANS_MAX_UPLOAD_BYTES = 1024
    assert check_upload(txt(text="这段文字超过十个字节")).size > 10


def test_a_stored_name_is_random_and_never_the_uploaders():
    plan = TeachingPlan(term_id=7)
    first = plan_upload_to(plan, "../../etc/passwd 我的计划.DOCX")
    second = plan_upload_to(plan, "../../etc/passwd 我的计划.DOCX")
    assert first.startswith("lesson_plans/plans/7/") and first.endswith(".docx")
    assert first != second and ".." not in first and "计划" not in first


def test_uploaded_files_have_no_public_url(world, private_media):
    from lesson_plans.services.plans import plan_submit

    plan = plan_submit(teacher=world.teacher, subject=world.chinese, school_class=world.class_1, upload=docx(),
                       user=world.teacher.user)
    stored = private_media / plan.file.name
    assert stored.is_file() and stored.read_bytes()[:2] == b"PK"
    with pytest.raises(Resolver404):
        resolve(f"/media/{plan.file.name}")
    response = file_response(plan)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E6%95%99%E5%AD%A6%E8%AE%A1%E5%88%92.docx" in response["Content-Disposition"]  # 教学计划.docx
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    response.close()
