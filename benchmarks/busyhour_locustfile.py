"""The busy hour's people, for Locust (run by bench_busyhour.py in its own venv; never imports the app).

Each simulated person is one of the signed-in accounts the seeding made
(``BUSY_HOUR_PEOPLE_FILE``) and does what a day of FibroTrack looks like, in
these proportions: open today's check-in and save it, look at the history and
"My progress", the treatments, and the community (the index, a thread, now and
then a reply). ``BUSY_HOUR_RATE`` is each person's requests per second, so that
the whole load is the rate the bench asks for.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, constant_throughput, task

PEOPLE = json.load(open(os.environ["BUSY_HOUR_PEOPLE_FILE"]))  # noqa: SIM115, PTH123 - read once at start
_next = itertools.count()
CSRF = "b" * 32


class Person(HttpUser):
    wait_time = constant_throughput(float(os.environ.get("BUSY_HOUR_RATE", "0.1")))

    def on_start(self) -> None:
        self.me = PEOPLE[next(_next) % len(PEOPLE)]
        self.client.cookies.set("sessionid", self.me["session"])
        self.client.cookies.set("csrftoken", CSRF)
        self.rng = random.Random(self.me["session"])  # noqa: S311 - load mix, not security

    def _post(self, path: str, fields: list[tuple[str, str]], name: str) -> None:
        with self.client.post(
            path, data=[("csrfmiddlewaretoken", CSRF), *fields], name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}")

    @task(3)
    def checkin_page(self) -> None:
        self.client.get("/diary/", name="check-in page")

    @task(2)
    def checkin_save(self) -> None:
        fields = [(f"s_{pk}", str(self.rng.randint(0, 10))) for pk in self.me["symptoms"]]
        fields += [("hours_slept", self.rng.choice(["5", "6.5", "7"])), ("note", "Stiff this morning.")]
        self._post(f"/diary/day/{self.me['today']}/", fields, "check-in save")

    @task(1)
    def history(self) -> None:
        self.client.get("/diary/history/", name="history")

    @task(1)
    def progress(self) -> None:
        self.client.get("/reports/", name="my progress")

    @task(1)
    def treatments(self) -> None:
        self.client.get("/treatments/", name="treatments")

    @task(1)
    def community(self) -> None:
        self.client.get("/community/", name="community index")

    @task(2)
    def thread(self) -> None:
        self.client.get(f"/community/t/{self.rng.choice(self.me['threads'])}/", name="community thread")

    @task(1)
    def reply(self) -> None:
        # About one reply in ten visits: the rest of this task's turns read instead.
        thread = self.rng.choice(self.me["threads"])
        if self.rng.random() < 0.1:
            self._post(
                f"/community/t/{thread}/reply/", [("body", "Same here. Pacing helps me most days.")], "community reply"
            )
        else:
            self.client.get(f"/community/t/{thread}/", name="community thread")
