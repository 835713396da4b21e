"""Votes under load for scripts/failover-drill, as many citizens' widgets would.

Each sender thread sends new anonymous votes (a fresh UUID v4 each, in the
demo's open batch, from a county picked at random) one after another until
the run ends. A vote answered 503 or 429, or lost to a connection error or
a time-out, is sent again with the SAME vote_id and Idempotency-Key, as the
widget's outbox does, until it is answered; any other answer is a failure
of the drill. The outbox waits the Retry-After (5 s) between tries; these
senders wait RETRY_S, so that the moment voting comes back is measured
finely.

Writes one line per acknowledged vote to ACKED (vote_id, receipt, status,
Unix time of the answer) and one per failed try to TRIES (Unix time, what
failed), and a JSON summary on stdout.

Usage: voters.py URL REGIONS_DIR SECONDS SENDERS ACKED TRIES
"""

import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
import uuid

BATCH = "2018-3-social-medical"
OPTIONS = [
    "clinic-card", "repeat-tests", "no-timed-booking", "pay-queues", "remote-filing-stamp",
    "remote-advance-pay", "reimburse-paper", "chronic-illness", "transfer-insurance",
    "pension-alive-check", "card-replacement", "unemployment-onsite", "birth-many-offices",
    "maternity-proofs", "death-affairs",
]
RETRY_S = 0.25
# A vote still unanswered this long after the run ends is given up (and the
# drill fails): the collector should be back well before.
GIVE_UP_AFTER_S = 60
TIMEOUT_S = 15


def places(root):
    """Every (province, city, county) of the region data."""
    found = []
    with open(f"{root}/provinces.json", encoding="utf-8") as f:
        provinces = json.load(f)
    for province in provinces:
        with open(f"{root}/{province['code']}.json", encoding="utf-8") as f:
            cities = json.load(f)["cities"]
        for city in cities:
            for county in city.get("counties") or [{"code": city["code"]}]:
                found.append((province["code"], city["code"], county["code"]))
    return found


class Run:
    def __init__(self, url, places_found, seconds, acked, tries):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.places = places_found
        self.end = time.time() + seconds
        self.acked, self.tries = acked, tries
        self.lock = threading.Lock()
        self.counts = {"sent": 0, "201": 0, "200": 0, "503": 0, "429": 0, "connection_errors": 0,
                       "unexpected": 0, "given_up": 0}
        self.unexpected = []

    def count(self, key, line_to=None, line=None):
        with self.lock:
            self.counts[key] += 1
            if line_to is not None:
                line_to.write(line)

    def sender(self):
        rng = random.Random()  # seeded from the system: new ids every run
        connection = None
        while time.time() < self.end:
            vote_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            province, city, county = rng.choice(self.places)
            body = json.dumps({
                "batch_id": BATCH, "vote_id": vote_id,
                "location": {"province": province, "city": city, "county": county},
                "choices": rng.sample(OPTIONS, 2),
                "client": {"widget_version": "0.1.0", "locale": "zh-CN", "embed_origin": "https://www.gov.cn"},
            }).encode()
            headers = {"Content-Type": "application/json", "Idempotency-Key": vote_id}
            self.count("sent")
            while True:
                if time.time() > self.end + GIVE_UP_AFTER_S:
                    self.count("given_up")
                    return
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
                    connection.request("POST", "/api/v1/votes", body, headers)
                    response = connection.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as e:
                    if connection is not None:
                        connection.close()
                    connection = None
                    self.count("connection_errors", self.tries, f"{time.time():.3f}\tconnection: {type(e).__name__}\n")
                    time.sleep(RETRY_S)
                    continue
                status = response.status
                if status in (200, 201):
                    receipt = json.loads(answer)["receipt"]
                    self.count(str(status), self.acked, f"{vote_id}\t{receipt}\t{status}\t{time.time():.3f}\n")
                    break
                if status in (429, 503):
                    self.count(str(status), self.tries, f"{time.time():.3f}\t{status}\n")
                    time.sleep(RETRY_S)
                    continue
                with self.lock:
                    self.counts["unexpected"] += 1
                    if len(self.unexpected) < 5:
                        self.unexpected.append(f"{status}: {answer[:200].decode(errors='replace')}")
                break


def main():
    url, regions, seconds, senders, acked_path, tries_path = sys.argv[1:7]
    with open(acked_path, "w", encoding="utf-8") as acked, open(tries_path, "w", encoding="utf-8") as tries:
        run = Run(url, places(regions), float(seconds), acked, tries)
        threads = [threading.Thread(target=run.sender) for _ in range(int(senders))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(json.dumps({**run.counts, "unexpected_answers": run.unexpected}))


if __name__ == "__main__":
    main()
