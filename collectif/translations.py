"""Our French wording over Wagtail's (collectif/locale/fr/LC_MESSAGES/django.po, found for both
fr-ca, the site's language, and fr, the one the admin offers in account settings): the .po
file is the source; its .mo, which Django reads, is built from it by
`manage.py compile_translations` (`make` does it, and the test session) in plain Python, so
that nothing more than Python is needed and no built file is kept in git."""

import ast
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def read_po(path):
    """{msgid: msgstr} of a .po file, with "context\\x04msgid" keys for msgctxt entries, as
    gettext stores them. Plural entries are left out: we override none."""
    catalog, entry, key = {}, {}, None

    def flush():
        if "msgid" in entry and "msgid_plural" not in entry:
            msgid = entry["msgid"]
            if "msgctxt" in entry:
                msgid = f"{entry['msgctxt']}\x04{msgid}"
            catalog[msgid] = entry.get("msgstr", "")
        entry.clear()

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            if key == "msgctxt" and "msgid" in entry:
                flush()
            entry[key] = ast.literal_eval(value)
    flush()
    return catalog


def write_mo(catalog, path):
    """A GNU .mo file (the format Python's gettext reads) of {msgid: msgstr}."""
    keys = sorted(catalog)
    ids = [key.encode() for key in keys]
    strs = [catalog[key].encode() for key in keys]
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + 8 * len(keys)
    data_start = strs_table + 8 * len(keys)
    offsets, data = [], b""
    for text in ids:
        offsets.append((len(text), data_start + len(data)))
        data += text + b"\0"
    for text in strs:
        offsets.append((len(text), data_start + len(data)))
        data += text + b"\0"
    output = struct.pack("<7I", 0x950412DE, 0, len(keys), ids_table, strs_table, 0, 0)
    for length, offset in offsets:
        output += struct.pack("<2I", length, offset)
    Path(path).write_bytes(output + data)


def compile_all(locale_dir=LOCALE_DIR):
    """Builds each .mo beside its .po when it is missing or older. Returns the .mo paths."""
    built = []
    for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            write_mo(read_po(po), mo)
            built.append(mo)
    return built
