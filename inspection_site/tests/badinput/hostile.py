"""At least a thousand malformed or hostile .xlsx uploads for one import, made in memory and deterministic.

`hostile_files(specs=, rows=, valid=)` takes what an import reads (its sheet specs by title), a few rows it would
accept (by sheet title, header -> value) and a valid workbook made the way its users make one (its template,
filled), and returns the uploads by category:

empty / not-xlsx (renamed binaries, text, other zips) / xls / encrypted / xlsm / truncated / corrupted bytes /
damaged parts / xml-bomb (entity expansion, external entities) / zip-bomb / huge (rows, columns, cells) /
formula / wrong-type / wrong-header / bad-structure.

Every file must be refused whole: the ones whose cells could otherwise pass (wrong types, bad structure,
formulas) also carry one row with a required cell left empty, so that an import that let the hostile cells
through would still write nothing, while the hostile cells still go through every row check.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import struct
import zipfile
from dataclasses import dataclass

from .rawxlsx import Raw, parts, sheet_xml, unzip, workbook, zip_parts

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
SEED = 20260610


@dataclass(frozen=True)
class Hostile:
    category: str
    label: str
    data: bytes
    filename: str = "导入.xlsx"

    def __str__(self):
        return f"{self.category}: {self.label}"


# Values no column of any import should be able to turn into a row without an error when they stand in a
# required cell, and values that only test the parsers when they stand anywhere else.
HOSTILE_VALUES = [
    ("empty string", Raw("inlineStr", "<is><t></t></is>")),
    ("spaces", "   "),
    ("zero-width space", "\u200b"),
    ("byte-order mark", "\ufeff"),
    ("10,000 characters", "长" * 10000),
    ("emoji", "😀" * 30),
    ("right-to-left override", "\u202eslx.exe"),
    ("html", "<script>alert(1)</script>"),
    ("sql", "'; DROP TABLE school_staff; --"),
    ("path", "../../../../etc/passwd"),
    ("format string", "%s%s%n{0}{{7*7}}"),
    ("full-width digits", "１２３４"),
    ("null text", "NULL"),
    ("date", dt.date(1900, 2, 29) if False else dt.date(1899, 12, 30)),
    ("datetime", dt.datetime(2026, 9, 1, 8, 0)),
    ("time", dt.time(8, 0)),
    ("true", True),
    ("false", False),
    ("huge number", 1e308),
    ("tiny number", 5e-324),
    ("negative", -1),
    ("zero", 0),
    ("long integer", 12345678901234567890),
    ("fraction", 3.14159),
    ("error cell #DIV/0!", Raw("e", "<v>#DIV/0!</v>")),
    ("error cell #N/A", Raw("e", "<v>#N/A</v>")),
    ("number cell holding text", Raw("n", "<v>abc</v>")),
    ("boolean cell holding 2", Raw("b", "<v>2</v>")),
    ("date cell holding garbage", Raw("d", "<v>not-a-date</v>")),
    ("shared string out of range", Raw("s", "<v>999999</v>")),
    ("shared string index negative", Raw("s", "<v>-1</v>")),
    ("rich text", Raw("inlineStr", "<is><r><t>富</t></r><r><t>文本</t></r></is>")),
]

FORMULAS = [
    ("sum", Raw(None, "<f>1+1</f><v>2</v>")),
    ("hyperlink", Raw("str", '<f>HYPERLINK("http://127.0.0.1/x","点我")</f><v>点我</v>')),
    ("dde", Raw(None, "<f>cmd|' /C calc'!A0</f><v>0</v>")),
    ("webservice", Raw("str", '<f>WEBSERVICE("http://127.0.0.1/")</f><v></v>')),
    ("shared formula", Raw(None, '<f t="shared" ref="A1:A1" si="0">ROW()</f><v>1</v>')),
    ("array formula", Raw(None, '<f t="array" ref="A1">SUM(1,2)</f><v>3</v>')),
    ("text starting with =", "=1+1"),
    ("text starting with = and a command", "=cmd|' /C calc'!A0"),
]

MAGICS = [
    ("png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200)),
    ("gif", b"GIF89a" + bytes(200)),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("elf executable", b"\x7fELF\x02\x01\x01" + bytes(300)),
    ("windows executable", b"MZ\x90\x00" + bytes(300)),
    ("gzip", b"\x1f\x8b\x08\x00" + bytes(100)),
    ("bzip2", b"BZh91AY&SY" + bytes(100)),
    ("7z", b"7z\xbc\xaf\x27\x1c" + bytes(100)),
    ("rar", b"Rar!\x1a\x07\x00" + bytes(100)),
    ("utf-8 csv", "工号,姓名\nT1,王老师\n".encode()),
    ("gbk csv", "工号,姓名\nT1,王老师\n".encode("gbk")),
    ("utf-16 text", "工号\t姓名\n".encode("utf-16")),
    ("html", b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
    ("json", b'{"sheets": []}'),
    ("xml", b'<?xml version="1.0"?><workbook/>'),
    ("spreadsheetml 2003 xml", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'),
    ("single byte", b"P"),
    ("pk only", b"PK"),
    ("local header only", b"PK\x03\x04"),
    ("end of central directory only", b"PK\x05\x06" + bytes(18)),
    ("spaces", b"   \n\t  "),
    ("utf-8 bom", b"\xef\xbb\xbf"),
    ("nul bytes", bytes(4096)),
]


def _rng(label: str) -> random.Random:
    return random.Random(f"{SEED}-{label}")


def _table(spec, rows: list[dict]) -> list[list]:
    headers = [c.header for c in spec.columns]
    return [headers] + [[row.get(h) for h in headers] for row in rows]


def _broken_row(spec, rows: list[dict]) -> dict:
    """A row of the sheet that is wrong whatever else the file holds: its first required cell is empty."""
    row = dict(rows[0]) if rows else {}
    required = [c.header for c in spec.required]
    if not required:
        raise ValueError(f"sheet {spec.title} has no required column to leave empty")
    row[required[0]] = None
    row.setdefault(next(c.header for c in spec.columns if c.header != required[0]), "x")
    return row


def _with_broken_row(specs, rows, only: str | None = None) -> dict[str, list[dict]]:
    """The rows (of sheet `only`, or of every sheet) with the broken row added to the first of those sheets."""
    titles = [only] if only else list(specs)
    return {title: list(rows.get(title, [])) + ([_broken_row(specs[title], rows.get(title, []))]
                                                 if title == titles[0] else [])
            for title in titles}


def _tables(specs, rows) -> dict[str, list[list]]:
    return {title: _table(specs[title], sheet_rows) for title, sheet_rows in rows.items()}


# --- the categories ------------------------------------------------------------------------------------------


def _not_xlsx(valid: bytes):
    yield Hostile("empty", "no bytes at all", b"")
    for label, data in MAGICS:
        yield Hostile("not-xlsx", f"a {label} renamed .xlsx", data)
    rng = _rng("random")
    for size in (1, 7, 64, 512, 4096, 65536):
        for n in range(8):
            yield Hostile("not-xlsx", f"{size} random bytes #{n}", bytes(rng.getrandbits(8) for _ in range(size)))
    yield Hostile("not-xlsx", "a zip with a text file", zip_parts({"readme.txt": b"hello"}))
    yield Hostile("not-xlsx", "an empty zip", zip_parts({}))
    yield Hostile("not-xlsx", "a .docx", zip_parts({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}))
    yield Hostile("not-xlsx", "an OpenDocument spreadsheet", zip_parts({
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office:document/>"}))
    only = unzip(valid)
    yield Hostile("not-xlsx", "a zip with only the content types", zip_parts({"[Content_Types].xml":
                                                                             only["[Content_Types].xml"]}))
    yield Hostile("not-xlsx", "the workbook zipped inside a zip", zip_parts({"roster.xlsx": valid}))
    yield Hostile("not-xlsx", "the workbook stored in a tar", b"roster.xlsx".ljust(100, b"\0") + bytes(412) + valid)
    yield Hostile("not-xlsx", "the workbook after a text preamble", b"Excel file follows\n" + valid)


def _xls_and_encrypted(valid: bytes):
    rng = _rng("ole")
    for n in range(6):
        yield Hostile("xls", f"an Excel 97-2003 file #{n}", OLE_MAGIC + bytes(rng.getrandbits(8) for _ in range(2040)),
                      "旧版.xls")
    encrypted_package = OLE_MAGIC + b"\x00" * 24 + "EncryptionInfo".encode("utf-16-le") + \
        "EncryptedPackage".encode("utf-16-le") + bytes(2000)
    yield Hostile("encrypted", "a password-protected workbook (OLE EncryptedPackage)", encrypted_package)
    # The zip's own encryption: the flag bit set in every local and central header.
    data = bytearray(valid)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            flags = struct.unpack_from("<H", data, start + offset)[0]
            struct.pack_into("<H", data, start + offset, flags | 0x1)
            start += 4
    yield Hostile("encrypted", "zip entries flagged as encrypted", bytes(data))
    entries = unzip(valid)
    yield Hostile("encrypted", "an encryption part inside the zip",
                  zip_parts(entries | {"EncryptionInfo": bytes(64), "EncryptedPackage": bytes(256)}))


def _xlsm(valid: bytes):
    entries = unzip(valid)
    macro_types = entries["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    yield Hostile("xlsm", "a vbaProject.bin", zip_parts(entries | {"xl/vbaProject.bin": bytes(512)}), "宏.xlsm")
    yield Hostile("xlsm", "a macro-enabled content type", zip_parts(entries | {"[Content_Types].xml": macro_types}),
                  "宏.xlsm")
    yield Hostile("xlsm", "both", zip_parts(entries | {"[Content_Types].xml": macro_types,
                                                       "xl/vbaProject.bin": bytes(512)}), "宏.xlsm")
    yield Hostile("xlsm", "a vbaProject.bin in upper case", zip_parts(entries | {"xl/VBAPROJECT.BIN": bytes(64)}))
    yield Hostile("xlsm", "a macro sheet part", zip_parts(entries | {
        "xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>", "xl/vbaProject.bin": bytes(8)}))
    yield Hostile("xlsm", "a .xlsm named .xlsx", zip_parts(entries | {"xl/vbaProject.bin": bytes(512)}))


def _truncated(valid: bytes):
    for n in range(1, 151):
        cut = max(1, len(valid) * n // 151)
        yield Hostile("truncated", f"the first {cut} of {len(valid)} bytes", valid[:cut])
    for n in (1, 2, 4, 8, 16, 22, 23, 46, 100):
        yield Hostile("truncated", f"the last {n} bytes missing", valid[:-n])


def _corrupted(valid: bytes):
    rng = _rng("flip")
    for n in range(320):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            data[position] ^= rng.randint(1, 255)
        yield Hostile("corrupted", f"random bytes changed #{n}", bytes(data))


def _damaged_parts(valid: bytes):
    entries = unzip(valid)
    for name, content in entries.items():
        others = {k: v for k, v in entries.items() if k != name}
        yield Hostile("damaged-part", f"{name} missing", zip_parts(others))
        yield Hostile("damaged-part", f"{name} empty", zip_parts(entries | {name: b""}))
        yield Hostile("damaged-part", f"{name} cut in half", zip_parts(entries | {name: content[: len(content) // 2]}))
        yield Hostile("damaged-part", f"{name} replaced by garbage", zip_parts(entries | {name: b"\x00\xff" * 64}))
        yield Hostile("damaged-part", f"{name} in UTF-16", zip_parts(
            entries | {name: content.decode("utf-8", "replace").encode("utf-16")}))
        yield Hostile("damaged-part", f"{name} stored with an unknown compression method",
                      _with_method(entries, name, 99))


def _with_method(entries: dict[str, bytes], target: str, method: int) -> bytes:
    """A zip whose entry `target` claims a compression method no reader knows."""
    data = bytearray(zip_parts(entries, compression=zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[name_at:name_at + length]).decode("utf-8", "replace") == target:
                struct.pack_into("<H", data, start + offset, method)
            start += 4
    return bytes(data)


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
EXTERNAL_HTTP = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>'
PARAMETER = '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
QUADRATIC = f'<!DOCTYPE x [<!ENTITY a "{"a" * 50000}">]>'


def _xml_bombs(valid: bytes):
    entries = unzip(valid)
    bombs = [("billion laughs", BILLION_LAUGHS, "&lol9;"), ("external entity", EXTERNAL, "&xxe;"),
             ("external entity over http", EXTERNAL_HTTP, "&xxe;"), ("parameter entity", PARAMETER, ""),
             ("quadratic blow-up", QUADRATIC, "&a;" * 2000)]
    for name, content in entries.items():
        if not name.endswith((".xml", ".rels")):
            continue
        text = content.decode("utf-8")
        declaration_end = text.find("?>") + 2 if text.startswith("<?xml") else 0
        root_close = text.rfind("</")
        for label, doctype, reference in bombs:
            body = text[:declaration_end] + doctype + text[declaration_end:root_close] + (
                f"<x>{reference}</x>" if reference else "") + text[root_close:]
            yield Hostile("xml-bomb", f"{label} in {name}", zip_parts(entries | {name: body.encode()}))


@functools.lru_cache(maxsize=4)
def _with_zeros(valid: bytes, megabytes: int) -> bytes:
    """The workbook with its first sheet replaced by `megabytes` MB of zeros (a few hundred KB packed)."""
    entries = unzip(valid)
    sheet = next(n for n in entries if n.startswith("xl/worksheets/"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in entries.items():
            if name != sheet:
                archive.writestr(name, content)
        with archive.open(sheet, "w", force_zip64=True) as entry:
            block = bytes(1024 * 1024)
            for _ in range(megabytes):
                entry.write(block)
    return out.getvalue()


def _zip_bombs(valid: bytes):
    entries = unzip(valid)
    from django.conf import settings

    over = settings.IMPORT_MAX_UNPACKED_BYTES // (1024 * 1024) + 10
    yield Hostile("zip-bomb", f"a sheet of {over} MB of zeros", _with_zeros(valid, over))
    yield Hostile("zip-bomb", "a sheet of 3 MB of zeros (packed far too small)", _with_zeros(valid, 3))
    small = zip_parts(entries | {"xl/media/pad.bin": bytes(3 * 1024 * 1024)})
    yield Hostile("zip-bomb", "a 3 MB part packed a thousand times smaller", small)
    many = {f"xl/pad/{i}.xml": b"<a/>" for i in range(2100)}
    yield Hostile("zip-bomb", "2,100 parts", zip_parts(entries | many))
    yield Hostile("zip-bomb", "the workbook nested five times", _nested(valid, 5))
    # An entry whose header says it is small while it unpacks to much more.
    yield Hostile("zip-bomb", "an entry that lies about its size", _lying_size(entries))
    parts_over = settings.IMPORT_MAX_UNPACKED_BYTES // (900 * 1024) + 2
    total = {f"xl/media/pad{i}.bin": bytes(900 * 1024) for i in range(parts_over)}
    yield Hostile("zip-bomb", f"{parts_over} parts of 900 KB each (over the unpacked total)",
                  zip_parts(entries | total))


def _nested(valid: bytes, depth: int) -> bytes:
    data = valid
    for level in range(depth):
        data = zip_parts({f"level{level}.xlsx": data, "[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})
    return data


def _lying_size(entries: dict[str, bytes]) -> bytes:
    name = next(n for n in entries if n.startswith("xl/worksheets/"))
    padded = entries | {name: entries[name] + b" " * 3_000_000}
    data = bytearray(zip_parts(padded))
    # Rewrite the declared size of that entry (local and central headers) to 1 KB.
    for signature, size_at, name_len_at, header in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, start + name_len_at)[0]
            if bytes(data[start + header:start + header + length]).decode() == name:
                struct.pack_into("<I", data, start + size_at, 1024)
            start += 4
    return bytes(data)


def _huge(specs, rows):
    """Over the import's limits (settings.IMPORT_MAX_ROWS and the cells it implies), whatever they are set to."""
    from django.conf import settings

    max_rows = settings.IMPORT_MAX_ROWS
    title, spec = next(iter(specs.items()))
    headers = [c.header for c in spec.columns]
    row = [rows.get(title, [{}])[0].get(h) if rows.get(title) else "x" for h in headers]
    for count in (max_rows + 1, max_rows + 2, max_rows * 2):
        body = sheet_xml([headers] + [row] * count)
        yield Hostile("huge", f"{count:,} data rows", zip_parts(parts({title: body})))
    wide = [headers + [f"列{i}" for i in range(16000)]]
    yield Hostile("huge", "16,000 columns", zip_parts(parts({title: sheet_xml(wide)})))
    cells = [headers] + [[f"v{i}"] * 200 for i in range(max_rows // 4)]
    yield Hostile("huge", f"{len(cells) * 200:,} cells in {len(cells):,} rows", zip_parts(parts({title: sheet_xml(cells)})))
    far = sheet_xml([headers]).replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x'
                                                      "</t></is></c></row></sheetData>")
    yield Hostile("huge", "a cell in Excel's last row and column", zip_parts(parts({title: far})))
    beyond = sheet_xml([headers]).replace("</sheetData>", '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'
                                                          "</sheetData>")
    yield Hostile("huge", "a row beyond Excel's last", zip_parts(parts({title: beyond})))
    beyond_column = sheet_xml([headers]).replace("</sheetData>", '<row r="2"><c r="ZZZZ2"><v>1</v></c></row>'
                                                                 "</sheetData>")
    yield Hostile("huge", "a column beyond Excel's last", zip_parts(parts({title: beyond_column})))
    dimension = sheet_xml([headers]).replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    yield Hostile("huge", "a sheet claiming every cell of Excel", zip_parts(parts({title: dimension})))
    yield Hostile("huge", "200 sheets", zip_parts(parts({f"表{i}": sheet_xml([headers]) for i in range(200)})))
    long_title = sheet_xml([headers] + [row])
    yield Hostile("huge", "a 100,000-character cell", zip_parts(parts({title: sheet_xml([headers, ["长" * 100_000] *
                                                                                      len(headers)])})))
    yield Hostile("huge", "data rows in a sheet with a 31-character unknown title",
                  zip_parts(parts({"表" * 31: long_title})))


def _formulas(specs, rows):
    for title, spec in specs.items():
        for index, column in enumerate(spec.columns):
            for label, formula in FORMULAS:
                data = _with_broken_row(specs, rows, only=title)
                changed = dict(data[title][0]) if data[title] else {}
                changed[column.header] = formula
                data[title] = [changed] + data[title][1:]
                yield Hostile("formula", f"{title}.{column.header}: {label}", workbook(_tables(specs, data)))


def _values_for(position: int, columns: int) -> list:
    """Every hostile value for each column of a small import; for a wide one (the roster's thirty columns), a
    window of eleven that moves along the columns, so that every value still meets many columns."""
    if columns <= 8:
        return HOSTILE_VALUES
    return [HOSTILE_VALUES[(position * 7 + k) % len(HOSTILE_VALUES)] for k in range(11)]


def _wrong_types(specs, rows):
    width = sum(len(spec.columns) for spec in specs.values())
    position = 0
    for title, spec in specs.items():
        for column in spec.columns:
            position += 1
            for label, value in _values_for(position, width):
                data = _with_broken_row(specs, rows, only=title)
                changed = dict(data[title][0]) if data[title] else {}
                changed[column.header] = value
                data[title] = [changed] + data[title][1:]
                yield Hostile("wrong-type", f"{title}.{column.header}: {label}", workbook(_tables(specs, data)))
            # The same value in every row of the column at once.
            data = _with_broken_row(specs, rows, only=title)
            data[title] = [dict(r, **{column.header: "长" * 5000}) for r in data[title]]
            yield Hostile("wrong-type", f"{title}.{column.header}: 5,000 characters in every row",
                          workbook(_tables(specs, data)))


def _wrong_headers(specs, rows):
    for title, spec in specs.items():
        table = _table(spec, rows.get(title, []))
        headers = table[0]
        for index, column in enumerate(spec.columns):
            variants = []
            if column.required:
                variants.append(("missing", [h for i, h in enumerate(headers) if i != index],
                                 lambda r, i=index: [v for j, v in enumerate(r) if j != i]))
                variants.append(("blank", headers[:index] + [None] + headers[index + 1:], None))
            variants += [
                ("misspelt", headers[:index] + [column.header + "X"] + headers[index + 1:], None),
                ("in English", headers[:index] + [column.key] + headers[index + 1:], None),
                ("twice", headers + [column.header], lambda r: r + ["重复"]),
            ]
            for label, new_headers, row_change in variants:
                body_rows = [row_change(r) if row_change else r for r in table[1:]]
                others = {t: _table(s, rows.get(t, [])) for t, s in specs.items() if t != title}
                yield Hostile("wrong-header", f"{title}.{column.header} {label}",
                              workbook(others | {title: [new_headers] + body_rows}))
        others = {t: _table(s, rows.get(t, [])) for t, s in specs.items() if t != title}
        yield Hostile("wrong-header", f"{title}: the header on row 2",
                      workbook(others | {title: [[None] * len(headers)] + table}))
        yield Hostile("wrong-header", f"{title}: no header row", workbook(others | {title: table[1:]}))
        yield Hostile("wrong-header", f"{title}: the header only", workbook({title: [headers]}))
        yield Hostile("wrong-header", f"{title}: headers reversed with data not",
                      workbook(others | {title: [headers[::-1]] + table[1:]}) if len(headers) > 1 else b"")
    all_rows = _tables(specs, rows)
    for label, rename in (("Sheet1", lambda t: "Sheet1"), ("English titles", lambda t: t.encode().hex()[:20]),
                          ("a title with a suffix", lambda t: t + "(1)")):
        yield Hostile("wrong-header", f"sheets named {label}",
                      workbook({rename(t): table for t, table in all_rows.items()}))
    yield Hostile("wrong-header", "no sheet at all", zip_parts(parts({})))


def _bad_structure(specs, rows):
    data = _with_broken_row(specs, rows)
    tables = _tables(specs, data)
    good = parts({t: sheet_xml(table) for t, table in tables.items()})
    sheet = "xl/worksheets/sheet1.xml"
    text = good[sheet].decode()
    mutations = [
        ("the wrong namespace", text.replace("spreadsheetml/2006/main", "spreadsheetml/2099/main")),
        ("no namespace", text.replace(' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', "")),
        ("rows out of order", _reverse_rows(text)),
        ("a row numbered 0", text.replace('<row r="2">', '<row r="0">', 1)),
        ("a negative row number", text.replace('<row r="2">', '<row r="-5">', 1)),
        ("a row number that is text", text.replace('<row r="2">', '<row r="二">', 1)),
        ("a cell without a reference", text.replace('<c r="A2"', "<c", 1)),
        ("a cell reference of letters only", text.replace('r="A2"', 'r="A"', 1)),
        ("two cells at one reference", text.replace("</row>", text[text.find("<c "):text.find("</c>") + 4] + "</row>", 1)),
        ("an unclosed tag", text.replace("</sheetData>", "<row>")),
        ("invalid UTF-8", text.encode()[:200] + b"\xff\xfe\xfd" + text.encode()[200:]),
        ("an XML control character", text.replace("<t>", "<t>&#1;", 1)),
        ("text outside the cells", text.replace("<sheetData>", "<sheetData>stray text")),
        ("an unknown cell type", text.replace('t="inlineStr"', 't="zz"', 1)),
        ("an inline string without text", text.replace("<is><t>", "<is><x>", 1).replace("</t></is>", "</x></is>", 1)),
        ("a 64-level deep element", text.replace("<sheetData>", "<a>" * 64 + "</a>" * 64 + "<sheetData>")),
        ("a processing instruction", text.replace("<sheetData>", "<?evil data?><sheetData>")),
        ("a CDATA section in a cell", text.replace("<t>", "<t><![CDATA[<b>]]>", 1)),
        ("a comment in a cell", text.replace("<t>", "<t><!-- x -->", 1)),
        ("a sheet that is not XML", "这不是XML"),
    ]
    for label, mutated in mutations:
        body = mutated if isinstance(mutated, bytes) else mutated.encode()
        yield Hostile("bad-structure", label, zip_parts(good | {sheet: body}))
    workbook_xml = good["xl/workbook.xml"].decode()
    for label, mutated in [
        ("a sheet pointing at a missing part", workbook_xml.replace('r:id="rId1"', 'r:id="rId99"', 1)),
        ("two sheets with one name", workbook_xml.replace("</sheets>", workbook_xml[
            workbook_xml.find("<sheet "):workbook_xml.find("/>", workbook_xml.find("<sheet ")) + 2] + "</sheets>")),
        ("an empty sheet name", _first_sheet_name(workbook_xml, "")),
        ("a 300-character sheet name", _first_sheet_name(workbook_xml, "表" * 300)),
        ("a sheet name with a control character", _first_sheet_name(workbook_xml, "&#7;")),
        ("a hidden very-hidden sheet", workbook_xml.replace("<sheet ", '<sheet state="veryHidden" ', 1)),
        ("a defined name loop", workbook_xml.replace(
            "</sheets>", '</sheets><definedNames><definedName name="a">b</definedName>'
            '<definedName name="b">a</definedName></definedNames>')),
        ("an external link", workbook_xml.replace("</sheets>", "</sheets><externalReferences><externalReference "
                                                                'r:id="rId77"/></externalReferences>')),
    ]:
        yield Hostile("bad-structure", label, zip_parts(good | {"xl/workbook.xml": mutated.encode()}))
    rels = good["xl/_rels/workbook.xml.rels"].decode()
    for label, mutated in [
        ("a worksheet outside the package", rels.replace('Target="worksheets/sheet1.xml"',
                                                         'Target="../../../../etc/passwd"', 1)),
        ("an absolute worksheet path", rels.replace('Target="worksheets/sheet1.xml"', 'Target="/etc/hosts"', 1)),
        ("an external worksheet", rels.replace('Target="worksheets/sheet1.xml"',
                                               'Target="http://127.0.0.1:9/x.xml" TargetMode="External"', 1)),
        ("a worksheet that is the workbook", rels.replace('Target="worksheets/sheet1.xml"', 'Target="workbook.xml"', 1)),
    ]:
        yield Hostile("bad-structure", label, zip_parts(good | {"xl/_rels/workbook.xml.rels": mutated.encode()}))


def _first_sheet_name(workbook_xml: str, name: str) -> str:
    start = workbook_xml.find('name="', workbook_xml.find("<sheet ")) + 6
    end = workbook_xml.find('"', start)
    return workbook_xml[:start] + name + workbook_xml[end:]


def _reverse_rows(text: str) -> str:
    head, rest = text.split("<sheetData>")
    body, tail = rest.split("</sheetData>")
    rows = [r + "</row>" for r in body.split("</row>") if r]
    return head + "<sheetData>" + "".join(reversed(rows)) + "</sheetData>" + tail


def with_broken_row(valid: bytes, specs, rows) -> bytes:
    """The valid workbook (as its users make it) with one more row that is wrong: the base of every damaged file,
    so that whatever a damaged file still lets through, nothing may be written."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(valid))
    title = next(t for t in specs if t in book.sheetnames)
    sheet = book[title]
    spec = specs[title]
    columns = {}
    for cell in sheet[1]:
        text = "".join(str(cell.value or "").split()).rstrip("*＊")
        columns[text] = cell.column
    broken = _broken_row(spec, rows.get(title, []))
    row = sheet.max_row + 1
    for header, value in broken.items():
        if header in columns and value is not None:
            sheet.cell(row=row, column=columns[header], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hostile_files(*, specs, rows: dict[str, list[dict]], valid: bytes) -> list[Hostile]:
    """`valid` is a workbook the import accepts; every file returned must be refused."""
    valid = with_broken_row(valid, specs, rows)
    files = [
        *_not_xlsx(valid), *_xls_and_encrypted(valid), *_xlsm(valid), *_truncated(valid), *_corrupted(valid),
        *_damaged_parts(valid), *_xml_bombs(valid), *_zip_bombs(valid), *_huge(specs, rows),
        *_formulas(specs, rows), *_wrong_types(specs, rows), *_wrong_headers(specs, rows),
        *_bad_structure(specs, rows),
    ]
    return [f for f in files if f.data is not None]


def control_file(*, specs, rows) -> bytes:
    """The rows as a raw workbook: the import must accept it, so that the refusals above are the mutations'."""
    return workbook(_tables(specs, {title: rows.get(title, []) for title in specs}))
