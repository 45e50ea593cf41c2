#!/usr/bin/env bash
# make backup: the database (pg_dump, custom format) and the uploaded files (a tar of
# MEDIA_ROOT), under one date, in BACKUP_DIR; only the BACKUP_KEEP newest are kept.
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/collectif/media BACKUP_DIR=/srv/sauvegardes make backup
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL manque : la base à sauvegarder (postgres://…)}"
dir=${BACKUP_DIR:-backups}
keep=${BACKUP_KEEP:-14}
media=${MEDIA_ROOT:-media}
stamp=$(date -u +%Y%m%d-%H%M%S-%3N)
base="$dir/collectif-$stamp"

mkdir -p "$dir"
# Written under a temporary name first: a dump cut short never looks like a backup.
pg_dump --format=custom --no-owner --no-privileges --file="$base.dump.partiel" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar czf "$base.medias.tar.gz.partiel" -C "$media" .
else
  tar czf "$base.medias.tar.gz.partiel" --files-from /dev/null
fi
mv "$base.dump.partiel" "$base.dump"
mv "$base.medias.tar.gz.partiel" "$base.medias.tar.gz"

# Retention: the newest $keep backups (names sort by date).
find "$dir" -maxdepth 1 -name 'collectif-*.dump' | sort -r | tail -n +"$((keep + 1))" |
  while read -r old; do
    rm -f "$old" "${old%.dump}.medias.tar.gz"
  done

echo "Sauvegarde : $base.dump et $base.medias.tar.gz"
