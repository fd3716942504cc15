"""In a real browser, the teaching office downloads the score template, uploads a filled file with one bad row and
reads the error, fixes it, imports, opens the analysis and downloads the workbook; the workbook reopens with
openpyxl and its numbers are the page's."""

import openpyxl
import pytest

from exams.models import Score
from exams.services import exam_create

from .helpers import add_students

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES = ("sitting", "absent", "mean", "maximum", "minimum", "sd", "excellent", "excellent_rate", "passing",
           "pass_rate", "low", "low_rate", "over_mean", "composite", "rank")
# The 三率一分 sheet's columns of those figures (班级, 任课教师, 参考人数, 缺考人数, 平均分, ...).
COLUMNS = {"sitting": 2, "absent": 3, "mean": 4, "maximum": 5, "minimum": 6, "sd": 7, "excellent": 8,
           "excellent_rate": 9, "passing": 10, "pass_rate": 11, "low": 12, "low_rate": 13, "over_mean": 14,
           "composite": 15, "rank": 16}
RATES = {"excellent_rate", "pass_rate", "low_rate", "over_mean"}


def shown(value, figure) -> str:
    """A workbook cell as the page shows it."""
    if value is None:
        return "—"
    if figure in RATES:
        return f"{value * 100:.2f}%"
    if figure in ("sitting", "absent", "excellent", "passing", "low", "rank"):
        return str(int(value))
    return f"{value:.2f}"


def fill(path, scores):
    book = openpyxl.load_workbook(path)
    sheet = book["成绩"]
    for row in sheet.iter_rows(min_row=2):
        chinese, maths = scores[row[0].value]
        row[3].value, row[4].value = chinese, maths
    return book


def test_the_office_imports_scores_after_fixing_a_bad_row_and_downloads_the_analysis(
        live_world, live_server, page, browser_login, tmp_path, eager_tasks):
    w = live_world
    add_students(w, per_class=12)
    exam = exam_create(school=w.school, term=w.term, kind="midterm", name="期中考试", held_on=w.term.midterm_date,
                       grades=[w.class_1.grade], subjects=[w.chinese, w.maths], user=w.director.user)
    browser_login(page, w.director.staff_no)
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    with page.expect_download() as download:
        page.click("[data-template-link]")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    numbers = [r[0].value for r in openpyxl.load_workbook(template)["成绩"].iter_rows(min_row=2)]
    scores = {no: (55 + (i * 7) % 45, 40 + (i * 11) % 60 + (i % 2) / 2) for i, no in enumerate(numbers)}
    scores[numbers[3]] = ("缺考", 75)
    scores[numbers[5]] = (88, 88)  # a tie with the next
    scores[numbers[6]] = (88, 88)
    bad = dict(scores)
    bad[numbers[9]] = (70, 130)  # above full marks: row 11 of the sheet, column 数学

    page.click("[data-import-link]")
    fill(template, bad).save(tmp_path / "bad.xlsx")
    page.set_input_files("#score-import-form input[type=file]", str(tmp_path / "bad.xlsx"))
    page.click("#import-button")
    page.wait_for_selector("#import-errors")
    cells = [row.locator("td").all_inner_texts() for row in page.locator("#import-errors tbody tr").all()]
    assert [c[:3] for c in cells] == [["成绩", "11", "数学"]], cells
    assert not Score.objects.exists()

    fill(template, scores).save(tmp_path / "good.xlsx")
    page.set_input_files("#score-import-form input[type=file]", str(tmp_path / "good.xlsx"))
    page.click("#import-button")
    page.wait_for_selector(".alert-success")
    assert "/analysis/" in page.url
    assert Score.objects.filter(absent=True).count() == 1

    # The page's 三率一分, by subject, class and the grade.
    on_page = {}
    for section in page.locator("section[data-paper]").all():
        subject = section.get_attribute("data-paper")
        for row in section.locator("tr[data-class]").all():
            label = row.get_attribute("data-class")
            on_page[subject, label] = {f: row.locator(f"[data-figure='{f}']").inner_text().strip()
                                       for f in FIGURES if row.locator(f"[data-figure='{f}']").count()}
    assert on_page["语文", "grade"]["absent"] == "1"

    page.click("#export-button")
    page.wait_for_selector("#download-workbook")
    with page.expect_download() as download:
        page.click("#download-workbook")
    path = tmp_path / "analysis.xlsx"
    download.value.save_as(path)

    book = openpyxl.load_workbook(path)
    rows = [[c.value for c in r] for r in book["三率一分"].iter_rows()]
    in_book = {}
    subject = None
    for row in rows:
        if row[0] and str(row[0]).startswith(("语文", "数学")) and row[1] is None:
            subject = str(row[0])[:2]
        elif subject and row[2] is not None and row[0] not in ("班级", None):
            label = "grade" if row[0] == w.class_1.grade.name else row[0]
            in_book[subject, label] = {f: shown(row[c], f) for f, c in COLUMNS.items()}
    assert set(in_book) == set(on_page) and len(in_book) == 6
    for key, figures in on_page.items():
        for figure, text in figures.items():
            assert in_book[key][figure] == text, (key, figure)
