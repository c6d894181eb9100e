#!/usr/bin/env bash
# Start the local PostgreSQL cluster when it is not running (the suite never skips it).
set -euo pipefail
if pg_isready -h 127.0.0.1 -p 5432 -q; then
  exit 0
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
echo "Starting PostgreSQL $version"
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && exit 0
  sleep 1
done
echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
exit 1
