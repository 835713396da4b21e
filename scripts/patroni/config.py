"""Writes one node's Patroni configuration for scripts/patroni-drill.

The drill must run the configuration docs/deployment.md gives operators, not
one of its own: this reads the YAML block the docs mark for the drill and
changes only what differs when three nodes share one machine (the node's
name, its addresses and ports, its directories, the etcd address, the
passwords, and the networks of pg_hba, all 127.0.0.1). Everything else,
ttl, loop_wait, synchronous_mode, synchronous_mode_strict, use_pg_rewind
and the server's parameters, is the documented value. The postgresql log
goes to the node's directory.

The passwords (one for every role here) come in the environment variable
DRILL_SECRET, not on the command line.

Usage: config.py DOCS NAME API_PORT PG_PORT ETCD_HOST_PORT NODE_DIR BIN_DIR
"""

import os
import re
import sys

import yaml

MARKER = "<!-- scripts/patroni-drill runs this configuration"
CIDR = re.compile(r"\b\d{1,3}(\.\d{1,3}){3}/\d{1,2}\b")


def documented(path):
    text = open(path, encoding="utf-8").read()
    start = text.index(MARKER)
    block = re.search(r"```yaml\n(.*?)```", text[start:], re.S)
    if block is None:
        sys.exit(f"no YAML block after the drill's marker in {path}")
    return yaml.safe_load(block.group(1))


def main():
    docs, name, api_port, pg_port, etcd, node_dir, bin_dir = sys.argv[1:8]
    secret = os.environ["DRILL_SECRET"]
    config = documented(docs)
    config["name"] = name
    api = config["restapi"]
    api["listen"] = api["connect_address"] = f"127.0.0.1:{api_port}"
    api["authentication"]["password"] = secret
    config["etcd3"]["hosts"] = etcd
    pg = config["postgresql"]
    pg["listen"] = pg["connect_address"] = f"127.0.0.1:{pg_port}"
    pg["data_dir"] = f"{node_dir}/data"
    pg["bin_dir"] = bin_dir
    pg["pgpass"] = f"{node_dir}/pgpass"
    for role in pg["authentication"].values():
        role["password"] = secret
    pg["pg_hba"] = [CIDR.sub("127.0.0.1/32", line) for line in pg["pg_hba"]]
    pg.setdefault("parameters", {}).update({
        "unix_socket_directories": node_dir,
        "logging_collector": "on",
        "log_directory": node_dir,
        "log_filename": "postgresql.log",
    })
    yaml.safe_dump(config, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
