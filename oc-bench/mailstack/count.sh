#!/usr/bin/env bash
# oc-bench: part of the loopback mail server (Dovecot + Postfix from Debian's packages) that
# MailStackBenchmark runs against; see oc-bench/mailstack/README.md.
# count.sh MAILBOX_USER [STATE_DIR] — list every message in a user's maildir
# (INBOX and all folders), one tab-separated line per message:
#     MESSAGE-ID <TAB> SUBJECT <TAB> COUNT <TAB> FOLDER
# where COUNT is how many messages of that maildir carry the same Message-ID
# (a duplicate shows up on several lines, each with the same COUNT > 1), then
#     messages N distinct-message-ids M duplicates D
# (D = N - M; a message without a Message-ID is listed as "(none)" and counts
# as distinct). Reads the files directly, so it works whether or not the
# stack is running; needs read access to STATE_DIR/mail (root).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
if [ $# -lt 1 ] || [ -z "$1" ]; then echo "usage: $0 MAILBOX_USER [STATE_DIR]" >&2; exit 2; fi
case "$1" in *@*) ;; *) echo "MAILBOX_USER must be a full address, e.g. seguimiento@kontrol.test" >&2; exit 2 ;; esac
ms_init "${2:-}"
MAILDIR="$(ms_maildir "$1")"
export MAILDIR
PY="$(ms_python)"
exec "$PY" - "$1" <<'PYEOF'
import collections, email, email.parser, os, sys
from email import policy
from email.header import decode_header, make_header

user = sys.argv[1]
root = os.environ["MAILDIR"]


def clean(s):
    return " ".join(str(s).split())


def header_text(msg, name):
    v = msg.get(name)
    if v is None:
        return None
    try:
        return clean(v)
    except Exception:  # noqa: BLE001  (malformed encoded-words)
        try:
            return clean(make_header(decode_header(str(v))))
        except Exception:  # noqa: BLE001
            return clean(repr(v))


def folders(root):
    """(display name, path) of INBOX and every Maildir++ subfolder."""
    yield "INBOX", root
    for name in sorted(os.listdir(root)):
        p = os.path.join(root, name)
        if name.startswith(".") and name not in (".", "..") and os.path.isdir(os.path.join(p, "cur")):
            yield name[1:].replace(".", "/"), p


if not os.path.isdir(root):
    print(f"count.sh: no maildir for {user} at {root} (nothing delivered yet?)", file=sys.stderr)
    print("messages 0 distinct-message-ids 0 duplicates 0")
    sys.exit(0)

rows = []
parser = email.parser.BytesParser(policy=policy.default)
for fname, fpath in folders(root):
    files = []
    for sub in ("new", "cur"):
        d = os.path.join(fpath, sub)
        if os.path.isdir(d):
            files += [os.path.join(d, f) for f in os.listdir(d) if not f.startswith(".")]
    # Maildir file names start with the delivery time: sort chronologically.
    files.sort(key=lambda p: (os.path.basename(p).split(".", 1)[0].zfill(12), os.path.basename(p)))
    for path in files:
        try:
            with open(path, "rb") as fh:
                msg = parser.parse(fh, headersonly=True)
        except OSError as e:
            print(f"count.sh: cannot read {path}: {e}", file=sys.stderr)
            sys.exit(1)
        mid = header_text(msg, "Message-ID")
        subj = header_text(msg, "Subject")
        rows.append((mid or None, subj if subj is not None else "(no subject)", fname))

counts = collections.Counter(mid for mid, _, _ in rows if mid)
for mid, subj, fname in rows:
    print(f"{mid or '(none)'}\t{subj}\t{counts[mid] if mid else 1}\t{fname}")
n = len(rows)
m = len(counts) + sum(1 for mid, _, _ in rows if not mid)
print(f"messages {n} distinct-message-ids {m} duplicates {n - m}")
PYEOF
