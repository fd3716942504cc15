"""Documents of each accepted kind for the tests: a minimal Word document, a PDF, a text file."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def docx_bytes(text: str = "教学计划", *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word document: the parts a .docx must hold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", f'<?xml version="1.0"?><w:document><w:t>{text}</w:t></w:document>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(name: str = "教学计划.docx", text: str = "教学计划") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(text), content_type="application/octet-stream")


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


def txt(name: str = "总结.txt", text: str = "本学期工作总结", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")
