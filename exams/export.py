"""The quality-analysis workbook of one grade in one exam, in the layout a Chinese teaching office prints (as
`school.excel` lays out the other exports): a merged title and information line, bold two-row Chinese headers
(groups merged above their columns, the other headers merged down both rows), thin borders, number formats by
kind, the grade's row last and bold, frozen panes, A4 landscape fitted to the width with the title and header rows
repeated on every page, and a line for signatures.

Written with XlsxWriter in constant-memory mode: each row goes to disk as soon as the next one starts, so memory
stays flat however many students the grade has. Rows are therefore written strictly in order, and merged ranges
are registered after their cells are written (see `_merge`). User text is written with `write_string`, never
`write`, so a name such as "=HYPERLINK(...)" stays text; a text starting like a formula also gets Excel's quote
prefix so that editing the cell keeps it text.

The numbers written are the rounded values the page shows (percentages as fractions with a 0.00% format), so the
workbook and the page agree to the last decimal.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from school.excel import FORMULA_STARTS, signatures

from .analysis import GradeAnalysis, PaperAnalysis

TEXT, INTEGER, SCORE, RATIO, VALUE_ADDED, ITEM, ALPHA = "text", "integer", "score", "ratio", "va", "item", "alpha"
NUMBER_FORMATS = {INTEGER: "0", SCORE: "0.00", RATIO: "0.00%", VALUE_ADDED: "0.000", ITEM: "0.00", ALPHA: "0.000"}
QUALITY_LABELS = {"very_good": "很好", "good": "良好", "revise": "尚可，需修改", "poor": "差，应淘汰"}


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    kind: str = TEXT
    group: str = ""


class _Formats:
    def __init__(self, book):
        self._book = book
        # Each text format's twin with Excel's quote prefix, for a text starting like a formula (`quoted`).
        self._quoted: dict[int, object] = {}
        border = {"border": 1, "valign": "vcenter"}
        self.title = self._text_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.info = self._text_format({"font_size": 9, "font_color": "#595959", "align": "right"})
        self.header = self._text_format({**border, "bold": True, "bg_color": "#DDEBF7", "align": "center",
                                         "text_wrap": True})
        self.block = self._text_format({"bold": True, "font_size": 12})
        self.text = self._text_format({**border, "num_format": "@"})
        self.text_quoted = self.quoted(self.text)
        self.plain = self._text_format({})
        self.numbers = {kind: book.add_format({**border, "num_format": fmt, "align": "right"})
                        for kind, fmt in NUMBER_FORMATS.items()}
        total = {"bold": True, "bg_color": "#F2F2F2"}
        self.total_text = self._text_format({**border, **total, "num_format": "@"})
        self.total_numbers = {kind: book.add_format({**border, **total, "num_format": fmt, "align": "right"})
                              for kind, fmt in NUMBER_FORMATS.items()}
        self.blank = book.add_format({"border": 1})
        self.total_blank = book.add_format({"border": 1, **total})

    def _text_format(self, properties: dict):
        fmt = self._book.add_format(properties)
        self._quoted[id(fmt)] = self._book.add_format({**properties, "quote_prefix": True})
        return fmt

    def quoted(self, fmt):
        """The twin of a text format with the quote prefix (the format itself if it has none)."""
        return self._quoted.get(id(fmt), fmt)


def clean_text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


class PrintedSheet:
    """One printed sheet written row by row."""

    def __init__(self, book, formats: _Formats, name: str, *, title: str, info: str, width: int):
        self.sheet = book.add_worksheet(name)
        self.formats = formats
        self.row = 0
        self.width = width
        self.first_header: tuple[int, int] | None = None
        self._text(0, 0, title, formats.title)
        self._merge(0, 0, 0, width - 1)
        self.sheet.set_row(0, 28)
        self._text(1, 0, info, formats.info)
        self._merge(1, 0, 1, width - 1)
        self.row = 2

    def _merge(self, first_row, first_col, last_row, last_col) -> None:
        # Constant-memory mode flushes a row when the next starts, so `merge_range` (which writes every cell of the
        # range) cannot merge down; the cells are written in order and the range is registered here.
        if (first_row, first_col) != (last_row, last_col):
            self.sheet.merge.append([first_row, first_col, last_row, last_col])

    def _text(self, row, col, value, fmt=None) -> None:
        if value is None or value == "":
            self.sheet.write_blank(row, col, None, fmt or self.formats.blank)
            return
        text = clean_text(value)
        fmt = fmt or self.formats.text
        if text.startswith(FORMULA_STARTS):
            fmt = self.formats.quoted(fmt)
        self.sheet.write_string(row, col, text, fmt)

    def block_title(self, text: str) -> None:
        self._text(self.row, 0, text, self.formats.block)
        self.row += 1

    def header(self, columns: list[Col]) -> None:
        """A one- or two-row header from the current row."""
        depth = 2 if any(c.group for c in columns) else 1
        top = self.row
        if self.first_header is None:
            self.first_header = (top, top + depth - 1)
            for index, column in enumerate(columns):
                self.sheet.set_column(index, index, column.width)
        fmt = self.formats.header
        # Row one: group names (once per run of the same group) and the ungrouped headers.
        index = 0
        runs = []
        while index < len(columns):
            column = columns[index]
            end = index
            if column.group:
                while end + 1 < len(columns) and columns[end + 1].group == column.group:
                    end += 1
                self._text(top, index, column.group, fmt)
                for position in range(index + 1, end + 1):
                    self.sheet.write_blank(top, position, None, fmt)
                runs.append((index, end))
            else:
                self._text(top, index, column.header, fmt)
            index = end + 1
        if depth == 2:
            for index, column in enumerate(columns):
                if column.group:
                    self._text(top + 1, index, column.header, fmt)
                else:
                    self.sheet.write_blank(top + 1, index, None, fmt)
            for index, column in enumerate(columns):
                if not column.group:
                    self._merge(top, index, top + 1, index)
        for start, end in runs:
            self._merge(top, start, top, end)
        for row in range(top, top + depth):
            self.sheet.set_row(row, 20)
        self.row += depth

    def values(self, columns: list[Col], values: list, *, total: bool = False) -> None:
        f = self.formats
        for index, (column, value) in enumerate(zip(columns, values)):
            if value is None or value == "":
                self.sheet.write_blank(self.row, index, None, f.total_blank if total else f.blank)
            elif column.kind == TEXT or isinstance(value, str):
                self._text(self.row, index, value, f.total_text if total else None)
            else:
                fmt = (f.total_numbers if total else f.numbers)[column.kind]
                self.sheet.write_number(self.row, index, float(value), fmt)
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def finish(self, *, frozen_columns: int = 0, freeze: bool = True) -> None:
        self.row += 1
        self._text(self.row, 0, signatures(), self.formats.plain)
        self._merge(self.row, 0, self.row, self.width - 1)
        sheet = self.sheet
        if self.first_header is not None:
            if freeze:
                sheet.freeze_panes(self.first_header[1] + 1, frozen_columns)
            sheet.repeat_rows(0, self.first_header[1])
        sheet.set_paper(9)  # A4
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.set_margins(left=0.5, right=0.5)
        sheet.set_footer("&C" + _("Page &P of &N"))


# --- the sheets -------------------------------------------------------------------------------------------------


def summary_columns() -> list[Col]:
    return [
        Col("班级", 12), Col("任课教师", 12), Col("参考人数", 8, INTEGER), Col("缺考人数", 8, INTEGER),
        Col("平均分", 9, SCORE), Col("最高分", 8, SCORE), Col("最低分", 8, SCORE), Col("标准差", 8, SCORE),
        Col("人数", 7, INTEGER, "优秀"), Col("优秀率", 9, RATIO, "优秀"),
        Col("人数", 7, INTEGER, "及格"), Col("及格率", 9, RATIO, "及格"),
        Col("人数", 7, INTEGER, "低分"), Col("低分率", 9, RATIO, "低分"),
        Col("超均率", 9, RATIO), Col("综合分", 9, SCORE), Col("排名", 6, INTEGER),
    ]


def summary_values(label, teachers, s, *, rank=None) -> list:
    return [label, teachers, s.sitting, s.absent, s.mean, s.maximum, s.minimum, s.sd, s.excellent, s.excellent_rate,
            s.passing, s.pass_rate, s.low, s.low_rate, s.over_mean, s.composite, rank]


def _teacher_names(row) -> str:
    return "、".join(name for _pk, name in row.teachers)


def _summary_sheet(book, f, analysis: GradeAnalysis, title: str, info: str) -> None:
    columns = summary_columns()
    sheet = PrintedSheet(book, f, "三率一分", title=title, info=info, width=len(columns))
    for paper in analysis.scored_papers:
        sheet.block_title(_lines_title(paper))
        sheet.header(columns)
        for row in paper.classes:
            sheet.values(columns, summary_values(row.info.label, _teacher_names(row), row.summary,
                                                 rank=row.summary.ranks.get("composite")))
        sheet.values(columns, summary_values(analysis.grade.name, "", paper.grade), total=True)
        sheet.skip()
    sheet.finish(frozen_columns=1, freeze=False)


def _lines_title(paper: PaperAnalysis) -> str:
    p = paper.paper
    return (f"{p.subject.name}（满分 {_plain(p.full_marks)}，优秀 ≥ {_plain(p.excellent_line)}，及格 ≥ {_plain(p.pass_line)}，"
            f"低分 < {_plain(p.low_line)}）")


def total_columns() -> list[Col]:
    return [Col("班级", 12), Col("参考人数", 9, INTEGER), Col("平均分", 9, SCORE), Col("最高分", 9, SCORE),
            Col("最低分", 9, SCORE), Col("标准差", 9, SCORE), Col("超均率", 9, RATIO), Col("增值", 9, VALUE_ADDED),
            Col("排名", 6, INTEGER)]


def _total_sheet(book, f, analysis: GradeAnalysis, title: str, info: str) -> None:
    columns = total_columns()
    sheet = PrintedSheet(book, f, "总分", title=title, info=info, width=len(columns))
    sheet.header(columns)
    total = analysis.total
    for row in total.classes:
        s = row.summary
        sheet.values(columns, [row.info.label, s.sitting, s.mean, s.maximum, s.minimum, s.sd, s.over_mean,
                               row.value_added, s.ranks.get("mean")])
    g = total.grade
    sheet.values(columns, [analysis.grade.name, g.sitting, g.mean, g.maximum, g.minimum, g.sd, None, None, None],
                 total=True)
    sheet.finish(frozen_columns=1)


def _bands_sheet(book, f, analysis: GradeAnalysis, title: str, info: str) -> None:
    widest = max(len(p.bands) for p in analysis.scored_papers)
    sheet = PrintedSheet(book, f, "分数段", title=title, info=info, width=widest + 2)
    for paper in analysis.scored_papers:
        bands = list(reversed(paper.bands))
        columns = [Col("班级", 12)] + [Col(b.label, 9, INTEGER, "分数段") for b in bands] + [Col("合计", 8, INTEGER)]
        sheet.block_title(paper.paper.subject.name)
        sheet.header(columns)
        for index, (label, counts) in enumerate(paper.band_rows):
            counts = list(reversed(counts))
            sheet.values(columns, [label, *counts, sum(counts)], total=index == len(paper.band_rows) - 1)
        sheet.skip()
    sheet.finish(frozen_columns=1, freeze=False)


def _segments_sheet(book, f, analysis: GradeAnalysis, title: str, info: str) -> None:
    groups = [(p.paper.subject.name, p.segments) for p in analysis.scored_papers]
    if analysis.total is not None:
        groups.append(("总分", analysis.total.segments))
    columns = []
    for name, _segments in groups:
        columns += [Col("分数", 8, SCORE, name), Col("人数", 7, INTEGER, name), Col("累计人数", 9, INTEGER, name),
                    Col("累计百分比", 10, RATIO, name)]
    sheet = PrintedSheet(book, f, "一分一段", title=title, info=info, width=len(columns))
    sheet.header(columns)
    longest = max((len(s) for _n, s in groups), default=0)
    for index in range(longest):
        values = []
        for _name, segments in groups:
            if index < len(segments):
                s = segments[index]
                values += [s.score, s.count, s.cumulative, s.cumulative_share]
            else:
                values += [None] * 4
        sheet.values(columns, values)
    sheet.finish()


def student_columns(analysis: GradeAnalysis) -> list[Col]:
    columns = [Col("学号", 13), Col("姓名", 9), Col("班级", 11)]
    for paper in analysis.scored_papers:
        name = paper.paper.subject.name
        columns += [Col("成绩", 7, SCORE, name), Col("班名", 6, INTEGER, name), Col("级名", 6, INTEGER, name)]
    columns += [Col("总分", 8, SCORE, "总分"), Col("班名", 6, INTEGER, "总分"), Col("级名", 6, INTEGER, "总分"),
                Col("增值", 8, VALUE_ADDED)]
    return columns


def student_values(row) -> list:
    values = [row.student_no, row.name, row.class_label]
    for score, absent, grade_rank, class_rank in row.cells:
        values += ["缺考" if absent else score, class_rank, grade_rank]
    values += [row.total, row.total_class_rank, row.total_grade_rank, row.value_added]
    return values


def _students_sheet(book, f, analysis: GradeAnalysis, title: str, info: str,
                    progress: Callable[[int], None] | None) -> None:
    columns = student_columns(analysis)
    sheet = PrintedSheet(book, f, "学生名次", title=title, info=info, width=len(columns))
    sheet.header(columns)
    count = int(analysis.data.student_ids.size)
    step = max(1, count // 10)
    for index, row in enumerate(analysis.iter_student_rows()):
        sheet.values(columns, student_values(row))
        if progress and index % step == 0:
            progress(40 + 50 * index // max(count, 1))
    sheet.finish(frozen_columns=3)


def _value_added_sheet(book, f, analysis: GradeAnalysis, title: str, info: str) -> None:
    columns = [Col("学科", 10), Col("班级 / 教师", 16), Col("任教班级", 20), Col("人数", 7, INTEGER),
               Col("增值", 9, VALUE_ADDED)]
    sheet = PrintedSheet(book, f, "增值评价", title=title, info=info, width=len(columns))
    sheet.header(columns)
    for paper in analysis.scored_papers:
        name = paper.paper.subject.name
        for row in paper.classes:
            sheet.values(columns, [name, row.info.label, _teacher_names(row), None, row.value_added])
        for teacher in paper.teacher_value_added:
            sheet.values(columns, [name, teacher.name, "、".join(teacher.classes), teacher.students,
                                   teacher.value_added], total=True)
    sheet.finish(frozen_columns=2)


def _items_sheet(book, f, analysis: GradeAnalysis, title: str, info: str) -> None:
    columns = [Col("题号", 10), Col("满分", 8, SCORE), Col("平均分", 9, SCORE), Col("难度P", 9, ITEM),
               Col("区分度D", 9, ITEM), Col("评价", 14)]
    sheet = PrintedSheet(book, f, "小题分析", title=title, info=info, width=len(columns))
    for paper in analysis.scored_papers:
        if paper.items is None:
            continue
        sheet.block_title(f"{paper.paper.subject.name}（{paper.items.students} 人，高低分组各 "
                          f"{paper.items.group_size} 人）")
        sheet.header(columns)
        for item in paper.items.items:
            sheet.values(columns, [item.label, item.full, item.mean, item.difficulty, item.discrimination,
                                   QUALITY_LABELS[item.quality]])
        sheet.values(columns, ["信度 α", None, None, None, paper.items.alpha, None], total=True)
        sheet.skip()
    sheet.finish(freeze=False)


def build_workbook(analysis: GradeAnalysis, progress: Callable[[int], None] | None = None) -> bytes:
    """The whole analysis of a grade as .xlsx bytes."""
    exam = analysis.exam
    title = f"{exam.name} {analysis.grade.name} 质量分析"
    info = f"{exam.school.name}　考试日期：{exam.held_on:%Y-%m-%d}　制表时间：{timezone.localtime():%Y-%m-%d %H:%M}"
    with tempfile.TemporaryDirectory() as tmpdir:
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tmpdir, "strings_to_formulas": False,
                                         "strings_to_urls": False})
        formats = _Formats(book)
        if analysis.scored_papers:
            _summary_sheet(book, formats, analysis, title, info)
            if progress:
                progress(15)
            if analysis.total is not None:
                _total_sheet(book, formats, analysis, title, info)
            _bands_sheet(book, formats, analysis, title, info)
            _segments_sheet(book, formats, analysis, title, info)
            if progress:
                progress(40)
            _students_sheet(book, formats, analysis, title, info, progress)
            _value_added_sheet(book, formats, analysis, title, info)
            if any(p.items for p in analysis.scored_papers):
                _items_sheet(book, formats, analysis, title, info)
        else:
            PrintedSheet(book, formats, "三率一分", title=title, info=_("No scores yet."), width=4).finish()
        book.close()
        return out.getvalue()


def export_filename(analysis: GradeAnalysis) -> str:
    return f"{analysis.exam.name}-{analysis.grade.name}-质量分析.xlsx"


def _plain(value) -> str:
    return format(value.normalize(), "f")
