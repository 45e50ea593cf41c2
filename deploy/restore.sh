#!/usr/bin/env bash
# make restore BACKUP=backups/collectif-AAAAMMJJ-HHMMSS-mmm.dump: the database into
# DATABASE_URL (which must exist; its tables are replaced, in one transaction) and the
# uploaded files of the same backup into MEDIA_ROOT.
set -euo pipefail

dump=${1:-${BACKUP:-}}
: "${dump:?BACKUP manque : le fichier .dump à restaurer}"
: "${DATABASE_URL:?DATABASE_URL manque : la base où restaurer (postgres://…)}"
media=${MEDIA_ROOT:-media}
archive="${dump%.dump}.medias.tar.gz"
[ -f "$dump" ] || { echo "Sauvegarde introuvable : $dump" >&2; exit 1; }

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$DATABASE_URL" "$dump"
if [ -f "$archive" ]; then
  mkdir -p "$media"
  tar xzf "$archive" -C "$media"
fi
echo "Restauré : $dump dans la base, $archive dans $media"
