"""Times a change of primary for scripts/patroni-drill, as the servers see it.

Asks every node ten times a second whether it is in recovery, each on a
connection of its own (opened again when it breaks). Prints the Unix time
at which the old primary stopped taking writes (it died, shut down or went
into recovery) as `gone T`, and the time another node first said it was
out of recovery as `promoted T PORT`, then exits; or exits 1 after SECONDS
without a new primary. The password is in PGPASSWORD.

Usage: watch.py SECONDS OLD_PORT OTHER_PORT...
"""

import sys
import time

import psycopg2

POLL_S = 0.1


def writable(connections, port):
    """True when the server on PORT is a primary; None when it cannot say."""
    try:
        if connections.get(port) is None:
            connections[port] = psycopg2.connect(host="127.0.0.1", port=port, user="postgres",
                                                 dbname="postgres", connect_timeout=1)
            connections[port].autocommit = True
        with connections[port].cursor() as cursor:
            cursor.execute("SELECT NOT pg_is_in_recovery()")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        connections[port] = None
        return None


def main():
    seconds, old = float(sys.argv[1]), int(sys.argv[2])
    others = [int(port) for port in sys.argv[3:]]
    connections = {}
    end = time.time() + seconds
    gone = False
    while time.time() < end:
        if not gone and writable(connections, old) is not True:
            print(f"gone {time.time():.3f}", flush=True)
            gone = True
        for port in others:
            if writable(connections, port):
                print(f"promoted {time.time():.3f} {port}", flush=True)
                return
        time.sleep(POLL_S)
    sys.exit(1)


if __name__ == "__main__":
    main()
