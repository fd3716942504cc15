"""Uploaded documents (teaching plans, selection entries, activity records, term summaries): checked by content and
size before they are stored, kept in private storage, and handed out only by permission-checked views.

- Accepted: .docx (a zip holding `[Content_Types].xml` and `word/document.xml`, no macros), .pdf (starts with
  `%PDF-`), .txt (no NUL bytes, UTF-8 or GB18030 as Chinese Windows writes it). The extension must match the
  content; the size is at most `LESSON_PLANS_MAX_UPLOAD_BYTES` (10 MB unless set).
- Files are stored through Django's storage API under `MEDIA_ROOT/lesson_plans/<what>/<term>/` with a random name
  (never the uploader's), in the `lesson_plans` storage when settings define one, else the default storage. The
  models never hand out a storage URL: the download views stream the file after their permission check.
"""

from __future__ import annotations

import posixpath
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".docx", ".pdf", ".txt")
ACCEPT = ".docx,.pdf,.txt,application/pdf,text/plain," \
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_MAGICS = (b"PK\x03\x04",)
MAX_ZIP_ENTRIES = 2000
MAX_UNPACKED = 200 * 1024 * 1024


def private_storage():
    """The storage of uploaded documents (a callable, so that migrations do not freeze the backend)."""
    alias = "lesson_plans" if "lesson_plans" in settings.STORAGES else "default"
    return storages[alias]


def max_upload_bytes() -> int:
    return getattr(settings, "LESSON_PLANS_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def _path(what: str, instance, filename: str) -> str:
    extension = posixpath.splitext(filename)[1].lower()
    term_id = getattr(instance, "term_id", None) or "0"
    return f"lesson_plans/{what}/{term_id}/{uuid.uuid4().hex}{extension}"


# Named module-level functions: migrations refer to them by path.
def plan_upload_to(instance, filename):
    return _path("plans", instance, filename)


def entry_upload_to(instance, filename):
    return _path("entries", instance, filename)


def activity_upload_to(instance, filename):
    return _path("activities", instance, filename)


def summary_upload_to(instance, filename):
    return _path("summaries", instance, filename)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: what to store and how to serve it again."""

    upload: object
    name: str
    size: int
    content_type: str


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_docx(upload) -> None:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head not in ZIP_MAGICS:
        raise ValidationError(_("This is not a Word (.docx) document."))
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("This is not a Word (.docx) document.")) from None
    finally:
        upload.seek(0)
    if len(infos) > MAX_ZIP_ENTRIES or sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise ValidationError(_("This document is too large once unpacked."))
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise ValidationError(_("This is not a Word (.docx) document."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(_("Documents with macros are not accepted: save it as a plain .docx."))


def _text_charset(data: bytes) -> str:
    if b"\x00" in data:
        raise ValidationError(_("This is not a plain text file."))
    for charset in ("utf-8", "gb18030"):
        try:
            data.decode(charset)
        except UnicodeDecodeError:
            continue
        return charset
    raise ValidationError(_("This text file is neither UTF-8 nor GB18030 (GBK) text."))


def check_upload(upload) -> CheckedFile:
    """Refuse an upload that is empty, too large, of another type, or whose content does not match its extension."""
    name = posixpath.basename(str(getattr(upload, "name", "") or "").replace("\\", "/")).strip()
    extension = posixpath.splitext(name)[1].lower()
    if extension not in EXTENSIONS:
        raise ValidationError(_("Upload a .docx, .pdf or .txt file."))
    size = upload.size
    if not size:
        raise ValidationError(_("The file is empty."))
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)}
        )
    if extension == ".pdf":
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if not head.lstrip().startswith(b"%PDF-"):
            raise ValidationError(_("This is not a PDF document."))
        content_type = "application/pdf"
    elif extension == ".docx":
        _check_docx(upload)
        content_type = DOCX_TYPE
    else:
        content_type = f"text/plain; charset={_text_charset(_read_all(upload))}"
    return CheckedFile(upload=upload, name=name[:200], size=size, content_type=content_type)


def store(instance, checked: CheckedFile, field: str = "file") -> None:
    """Put a checked upload on `instance` (saved to storage with the instance's save)."""
    setattr(instance, field, checked.upload)
    instance.file_name = checked.name
    instance.file_size = checked.size
    instance.file_content_type = checked.content_type


def file_response(instance, field: str = "file") -> FileResponse:
    """Stream a stored document as a download under its original name (never inline: nothing runs in our pages)."""
    stored = getattr(instance, field)
    if not stored:
        raise Http404(_("There is no file."))
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404(_("The file is no longer there.")) from None
    response = FileResponse(handle, as_attachment=True, filename=instance.file_name or posixpath.basename(stored.name),
                            content_type=instance.file_content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
