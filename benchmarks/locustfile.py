"""Simulated staff for `make loadtest` (benchmarks/loadtest.py starts the server and runs this headless).

Teachers log in, open their pages (every app's: observations, fines, six earnests, lesson plans, homework checks,
evaluation results, exam forms) and log observations of colleagues' past lessons (from the plan the driver made
from the timetable); the teaching office opens its dashboard and lists, imports the staff roster again (unchanged) and downloads
the term report, the fines, the homework, the evaluation and the six-earnests workbooks; the principal opens the
dashboard. Every request must succeed: a server error, a refusal of a form
the plan made valid, or a page that is not what was asked for counts as a failure.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from itertools import count

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())
PASSWORD = PLAN["password"]
U = PLAN["urls"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_numbers = count()
_claimed: set[tuple[str, str, int]] = set()  # (username, date, period) logged or being logged
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Staff(HttpUser):
    abstract = True
    wait_time = between(float(os.environ.get("LOADTEST_WAIT_MIN", 5)), float(os.environ.get("LOADTEST_WAIT_MAX", 15)))
    people: list = []

    def on_start(self):
        self.person = self.people[next(_numbers) % len(self.people)]
        page = self.client.get(U["login"], name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(U["login"], {"username": self.person["username"], "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token},
                              allow_redirects=False, catch_response=True, name="log in") as response:
            if response.status_code != 302:
                response.failure(f"login of {self.person['username']}: {response.status_code}")

    def page(self, url, name=None, *, content_type="text/html"):
        with self.client.get(url, name=name or url, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not response.headers.get("Content-Type", "").startswith(content_type):
                response.failure(f"content type {response.headers.get('Content-Type')}")
            return response


class Teacher(Staff):
    weight = 8
    people = PLAN["teachers"]

    def on_start(self):
        super().on_start()
        self.lessons = list(self.person["lessons"])
        random.shuffle(self.lessons)

    @task(4)
    def home(self):
        self.page(U["home"], "home")

    @task(2)
    def my_observations(self):
        self.page(U["observations:observation-list"] + "?tab=mine", "observations")

    @task(2)
    def log_an_observation(self):
        form = self.page(U["observations:observation-create"], "observation form")
        if not self.lessons or form.status_code != 200:
            return
        # Two simulated users may share a person (more users than teachers): each lesson is logged by one of them.
        while self.lessons:
            lesson = self.lessons.pop()
            claim = (self.person["username"], lesson["date"], lesson["period"])
            if claim not in _claimed:
                _claimed.add(claim)
                break
        else:
            return
        token = CSRF.search(form.text).group(1)
        data = {"csrfmiddlewaretoken": token, "date": lesson["date"], "period": lesson["period"],
                "school_class": lesson["class"], "topic": "负载测试课题", "kind": "peer", "notes": "课堂节奏好",
                "strengths": "", "suggestions": "多练习", "submission_key": str(uuid.uuid4())}
        with self.client.post(U["observations:observation-create"], data, name="log an observation", catch_response=True,
                              allow_redirects=False) as response:
            if response.status_code != 302:
                errors = (re.findall(r'invalid-feedback[^>]*>\s*<strong>([^<]+)', response.text)
                          + re.findall(r'alert-danger.*?<li>([^<]+)', response.text, re.S))[:2]
                response.failure(f"observation refused ({response.status_code}): {errors}")

    @task(1)
    def timetable(self):
        self.page(U["school:timetable"], "timetable")

    @task(1)
    def fines(self):
        self.page(U["deductions:violation-list"], "fines")

    @task(1)
    def labs(self):
        self.page(U["observations:lab-session-list"], "lab log")

    @task(1)
    def other_apps(self):
        name = random.choice(["inspections:six-earnests", "lesson_plans:my-work", "homework_checks:inspection-list",
                              "feedback:results", "exams:form-list"])
        self.page(U[name], name)


class Office(Staff):
    weight = 1
    people = PLAN["office"]

    @task(1)
    def import_roster(self):
        """The staff sheet uploaded again: checked whole, nothing changed, back to the import page."""
        page = self.page(U["school:roster-import"], "roster import page")
        found = CSRF.search(page.text or "")
        if not found:
            return
        with open(PLAN["roster_file"], "rb") as workbook:
            data = {"csrfmiddlewaretoken": found.group(1), "term": str(PLAN["term"])}
            files = {"file": ("教职工.xlsx", workbook, XLSX)}
            with self.client.post(U["school:roster-import"], data=data, files=files, allow_redirects=False,
                                  catch_response=True, name="roster import (.xlsx upload)") as response:
                if response.status_code != 302:
                    response.failure(f"the roster import was refused: status {response.status_code}")

    @task(2)
    def other_apps(self):
        name = random.choice(["lesson_plans:plan-missing", "homework_checks:inspection-list", "feedback:results",
                              "exams:exam-list", "inspections:six-earnests"])
        self.page(U[name], name)

    @task(1)
    def export_other_apps(self):
        name = random.choice(["homework_checks:inspection-export", "feedback:results-export",
                              "inspections:six-earnests-export"])
        self.page(U[name], name, content_type=XLSX)

    @task(3)
    def home(self):
        self.page(U["home"], "home")

    @task(2)
    def dashboard(self):
        self.page(U["inspections:dashboard-office"], "office dashboard")

    @task(2)
    def staff(self):
        self.page(U["school:staff-list"], "staff list")

    @task(1)
    def students(self):
        self.page(U["school:student-list"], "student list")

    @task(2)
    def fines(self):
        self.page(U["deductions:violation-list"], "fines")

    @task(1)
    def report(self):
        self.page(U["observations:report"], "term report")

    @task(1)
    def export_report(self):
        self.page(U["observations:report-export"] + f"?term={PLAN['term']}", "term report .xlsx", content_type=XLSX)

    @task(1)
    def export_month(self):
        if PLAN["month_exports"]:
            self.page(random.choice(PLAN["month_exports"]), "month summary .xlsx",
                      content_type=XLSX)

    @task(1)
    def export_conduct_points(self):
        self.page(U["deductions:conduct-points-export"], "conduct points .xlsx", content_type=XLSX)


class Principal(Staff):
    weight = 1
    people = PLAN["principals"]

    @task(1)
    def other_apps(self):
        name = random.choice(["inspections:six-earnests", "feedback:results", "exams:exam-list",
                              "homework_checks:inspection-list"])
        self.page(U[name], name)

    @task(3)
    def home(self):
        self.page(U["home"], "home")

    @task(2)
    def report(self):
        self.page(U["observations:report"], "term report")

    @task(3)
    def dashboard(self):
        self.page(U["inspections:dashboard-principal"], "principal's dashboard")

    @task(1)
    def patrol_summary(self):
        self.page(U["observations:patrol-summary"], "patrol summary")

    @task(1)
    def quotas(self):
        self.page(U["observations:quota-list"], "quotas")

    @task(1)
    def ledger(self):
        self.page(U["deductions:ledger-month-list"], "monthly ledger")
