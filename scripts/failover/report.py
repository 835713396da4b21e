"""Judges a run of scripts/failover-drill or scripts/patroni-drill and prints
its README-ready result.

Reads what the senders saw (voters.py's ACKED, TRIES and SUMMARY), when the
primary was killed (or a switchover asked) and a standby promoted, and
CHECKS: the numbers check.sql counted on the promoted standby. Exits 1 when
an acknowledged vote is missing, stored twice or under another receipt,
when the tallies disagree with the stored votes, or when a vote got an
answer a failover must not cause (anything but 200, 201, 429 or 503) or
none at all.

Usage: report.py ACKED TRIES SUMMARY CHECKS STARTED KILLED GONE PROMOTED DESCRIPTION [EVENT]

STARTED, KILLED (the kill began), GONE (the primary's last process had
exited) and PROMOTED are Unix times. EVENT is `kill` (the default) or
`switchover`: then KILLED is when the switchover was asked, GONE when the
old primary stopped taking writes.
"""

import json
import sys

# How the table names the moments, after what was done to the primary.
WORDS = {
    "kill": {"gone": "the primary was gone", "killed": "killed", "then": "gone",
             "it_gone": "it was gone", "from": "the kill"},
    "switchover": {"gone": "the old primary stopped taking writes", "killed": "the switchover asked",
                   "then": "stopped", "it_gone": "it stopped", "from": "the switchover's request"},
}


def main():
    acked_path, tries_path, summary_path, checks_path = sys.argv[1:5]
    started, killed, gone, promoted = (float(t) for t in sys.argv[5:9])
    description = sys.argv[9]
    words = WORDS[sys.argv[10] if len(sys.argv) > 10 else "kill"]
    acked = [line.split("\t") for line in open(acked_path, encoding="utf-8").read().splitlines()]
    tries = [line.split("\t") for line in open(tries_path, encoding="utf-8").read().splitlines()]
    summary = json.load(open(summary_path, encoding="utf-8"))
    names = ["acked", "acked_ids", "lost", "stored_twice", "other_receipt", "stored", "stored_unacked",
             "choices_wrong", "total_wrong", "options_wrong", "provinces_wrong"]
    checks = dict(zip(names, (int(n) for n in open(checks_path, encoding="utf-8").read().split())))

    def at(row):
        return float(row[3])

    before = [row for row in acked if at(row) < gone]
    between = [row for row in acked if gone <= at(row) < promoted]
    after = [row for row in acked if at(row) >= promoted]
    replays_after = sum(1 for row in after if row[2] == "200")
    back = min((at(row) for row in after), default=None)
    failed_tries = [row for row in tries if float(row[0]) >= killed]
    refused = sum(1 for row in failed_tries if row[1] in ("503", "429"))
    broken = len(failed_tries) - refused

    problems = []
    if checks["lost"]:
        problems.append(f"{checks['lost']} acknowledged votes are missing on the new primary")
    if checks["stored_twice"] or checks["acked"] != checks["acked_ids"]:
        problems.append("a vote id was stored or acknowledged twice")
    if checks["other_receipt"]:
        problems.append(f"{checks['other_receipt']} votes are stored under another receipt than the one acknowledged")
    if checks["choices_wrong"]:
        problems.append(f"{checks['choices_wrong']} votes have their choices missing or doubled")
    if checks["total_wrong"] or checks["options_wrong"] or checks["provinces_wrong"]:
        problems.append("the tallies disagree with the stored votes")
    if summary["unexpected"]:
        problems.append(f"{summary['unexpected']} unexpected answers: {summary['unexpected_answers']}")
    if summary["given_up"]:
        problems.append(f"{summary['given_up']} votes were never answered")
    if back is None:
        problems.append("no vote was acknowledged after the promotion: the collector did not find the new primary")

    def seconds(t):
        return f"{t:.1f} s"

    print()
    print(description)
    print()
    print("| | |")
    print("| --- | --- |")
    print(f"| votes acknowledged before {words['gone']} ({words['killed']} at {seconds(killed - started)}, "
          f"{words['then']} {seconds(gone - killed)} later) | {len(before):,} |")
    print(f"| acknowledged after {words['it_gone']}, before the promotion {seconds(promoted - gone)} later "
          f"(answers still on their way) | {len(between):,} |")
    print(f"| acknowledged after the promotion | {len(after):,} ({replays_after} of them `200`: "
          "a retry of a vote committed before its first answer was lost) |")
    if back is not None:
        print(f"| voting unavailable: from {words['from']} to the first vote acknowledged by the new primary | "
              f"**{seconds(back - killed)}** ({seconds(back - promoted)} after the promotion) |")
    print(f"| tries answered `503`/`429`, and tries lost to a connection error, meanwhile | {refused:,} / {broken:,} |")
    print(f"| acknowledged votes missing on the new primary (lost) | **{checks['lost']}** |")
    print(f"| acknowledged votes stored twice, or under another receipt | **{checks['stored_twice']}** / "
          f"{checks['other_receipt']} |")
    print(f"| votes stored on the new primary / acknowledged | {checks['stored']:,} / {checks['acked']:,} "
          f"({checks['stored_unacked']} stored but never acknowledged) |")
    agree = not (checks["total_wrong"] or checks["options_wrong"] or checks["provinces_wrong"])
    print(f"| tallies (total, each option, each province) equal the stored votes | {'yes' if agree else '**no**'} |")
    print()
    if problems:
        for problem in problems:
            print(f"FAILED: {problem}")
        sys.exit(1)
    print("PASSED: every acknowledged vote is stored exactly once on the promoted standby.")


if __name__ == "__main__":
    main()
