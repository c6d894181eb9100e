#!/bin/sh
# Dump meute's PostgreSQL database into $MEUTE_BACKUP_DIR (custom format, for pg_restore) and
# delete dumps older than $MEUTE_BACKUP_KEEP_DAYS days. Reads DATABASE_URL like meute does.
# With MEUTE_DATA_DIR set, the uploaded documents ($MEUTE_DATA_DIR/files) are archived beside
# the dump (meute-files-STAMP.tar.gz, its path on stderr); stdout is the dump's path only.
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
files="${MEUTE_DATA_DIR:+$MEUTE_DATA_DIR/files}"
if [ -n "$files" ] && [ -d "$files" ]; then
    tar -C "$files" -czf "$dir/.meute-files-$stamp.tar.gz.part" .
    mv "$dir/.meute-files-$stamp.tar.gz.part" "$dir/meute-files-$stamp.tar.gz"
    echo "$dir/meute-files-$stamp.tar.gz" >&2
fi
find "$dir" -maxdepth 1 \( -name 'meute-*.dump' -o -name 'meute-files-*.tar.gz' \) -type f -mtime "+$keep" -delete
echo "$dir/meute-$stamp.dump"
