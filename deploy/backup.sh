#!/bin/sh
# Dump meute's PostgreSQL database into $MEUTE_BACKUP_DIR (custom format, for pg_restore) and
# delete dumps older than $MEUTE_BACKUP_KEEP_DAYS days. Reads DATABASE_URL like meute does.
# Restore: createdb NEW && pg_restore --no-owner --dbname=NEW FILE   (docs/deployment.md)
set -eu
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
dir="${MEUTE_BACKUP_DIR:-/var/backups/meute}"
keep="${MEUTE_BACKUP_KEEP_DAYS:-14}"
mkdir -p "$dir"
umask 077
stamp="$(date -u +%Y%m%d-%H%M%S)"
tmp="$dir/.meute-$stamp.dump.part"
pg_dump --format=custom --no-owner --file="$tmp" --dbname="$DATABASE_URL"
mv "$tmp" "$dir/meute-$stamp.dump"
find "$dir" -maxdepth 1 -name 'meute-*.dump' -type f -mtime "+$keep" -delete
echo "$dir/meute-$stamp.dump"
