#!/usr/bin/env bash
# oc-bench: part of the loopback mail server (Dovecot + Postfix from Debian's packages) that
# MailStackBenchmark runs against; see oc-bench/mailstack/README.md.
# check.sh [STATE_DIR] — prove the loopback mail stack works end to end:
#   1. SMTP inject (10025, no auth): reservas@hotelsales.test -> seguimiento@kontrol.test
#      with a PDF attachment;
#   2. submission (10587, STARTTLS + AUTH): seguimiento@kontrol.test ->
#      contacto@walvis.test with a custom Message-ID;
#   3. both read back over IMAPS (10993), the server certificate verified
#      against STATE_DIR/tls/ca.crt: Message-ID, subject, LMTP delivery and the
#      attachment's bytes;
#   4. IMAP on 10143: plaintext LOGIN allowed, STARTTLS, and IDLE: a message
#      delivered while idling must be pushed as EXISTS within 3 s;
#   5. refusals: relaying to other domains, unknown users, AUTH before
#      STARTTLS, unauthenticated submission, a wrong password.
# The check's own messages are expunged afterwards (OCMAIL_CHECK_KEEP=1 keeps
# them). Last line: "mailstack OK", or "mailstack FAILED: ..." (exit 1).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
ms_init "${1:-}"

if [ ! -s "$MS_CA_CRT" ]; then
  echo "mailstack FAILED: no CA certificate at $MS_CA_CRT (run up.sh first)"
  exit 1
fi
export MS_STATE MS_HOST MS_IMAP_PORT MS_IMAPS_PORT MS_LMTP_PORT MS_SMTP_INJECT_PORT \
       MS_SUBMISSION_PORT MS_PASSWORD MS_CA_CRT MS_TRUSTSTORE MS_TRUSTSTORE_PASSWORD
export OCMAIL_CHECK_KEEP="${OCMAIL_CHECK_KEEP:-0}"
PY="$(ms_python)"
exec "$PY" - <<'PYEOF'
import email, imaplib, os, re, smtplib, socket, ssl, sys, time, uuid
from email import policy
from email.message import EmailMessage
from email.utils import formatdate

E = os.environ
HOST = E["MS_HOST"]
IMAP, IMAPS, LMTP = int(E["MS_IMAP_PORT"]), int(E["MS_IMAPS_PORT"]), int(E["MS_LMTP_PORT"])
INJECT, SUBMIT = int(E["MS_SMTP_INJECT_PORT"]), int(E["MS_SUBMISSION_PORT"])
PW = E["MS_PASSWORD"]
CA = E["MS_CA_CRT"]
KEEP = E.get("OCMAIL_CHECK_KEEP") == "1"
MONITORED = "seguimiento@kontrol.test"
BOOKING = "reservas@hotelsales.test"
AGENCY = "contacto@walvis.test"
TIMEOUT = 15

RUN = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:8]
CTX = ssl.create_default_context(cafile=CA)   # only our CA; hostname checked
failures = []
cleanup = []   # (user, message-id) to expunge at the end


def check(key, name):
    """Run the decorated function now; print ok/FAIL with its key."""
    def wrap(fn):
        try:
            detail = fn()
            print(f"ok   {key:<14} {name}" + (f" ({detail})" if detail else ""), flush=True)
        except Exception as e:  # noqa: BLE001
            failures.append(key)
            print(f"FAIL {key:<14} {name}: {type(e).__name__}: {e}", flush=True)
        return fn
    return wrap


def make_pdf(text):
    """A small but valid one-page PDF (correct xref offsets)."""
    content = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 144] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def expect_refused(fn, codes, what):
    try:
        fn()
    except smtplib.SMTPRecipientsRefused as e:
        code, msg = next(iter(e.recipients.values()))
    except (smtplib.SMTPSenderRefused, smtplib.SMTPResponseException) as e:
        code, msg = e.smtp_code, e.smtp_error
    else:
        raise AssertionError(f"{what} was accepted")
    if code not in codes:
        raise AssertionError(f"{what}: unexpected reply {code} {msg!r}")
    return f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"


def imaps_login(user):
    m = imaplib.IMAP4_SSL(HOST, IMAPS, ssl_context=CTX, timeout=TIMEOUT)
    m.login(user, PW)
    return m


def find_by_mid(m, mid, wait=20):
    """Poll INBOX until a message with this Message-ID is there; its seq number."""
    deadline = time.monotonic() + wait
    while True:
        typ, data = m.select("INBOX")
        assert typ == "OK", data
        typ, data = m.search(None, "HEADER", "Message-ID", f'"{mid}"')
        assert typ == "OK", data
        nums = data[0].split()
        if nums:
            return nums
        if time.monotonic() > deadline:
            raise AssertionError(f"{mid} not delivered within {wait} s")
        time.sleep(0.25)


def fetch(m, num):
    typ, data = m.fetch(num, "(BODY.PEEK[])")
    assert typ == "OK", data
    raw = next(part[1] for part in data if isinstance(part, tuple))
    return raw, email.message_from_bytes(raw, policy=policy.default)


# ------------------------------------------------------------------ ports
@check("ports", "all five ports answer on 127.0.0.1 (10143 10993 10024 10025 10587)")
def _():
    closed = []
    for p in (IMAP, IMAPS, LMTP, INJECT, SUBMIT):
        try:
            socket.create_connection((HOST, p), timeout=3).close()
        except OSError:
            closed.append(p)
    if closed:
        raise AssertionError(f"closed: {closed}")


if failures:
    print("mailstack FAILED: ports closed (is the stack up? run up.sh)")
    sys.exit(1)


@check("lmtp", "LMTP 10024 greets and answers LHLO")
def _():
    with socket.create_connection((HOST, LMTP), timeout=TIMEOUT) as s:
        f = s.makefile("rwb")
        greet = f.readline()
        assert greet.startswith(b"220"), greet
        f.write(b"LHLO check.ocmail.test\r\n"); f.flush()
        while True:
            line = f.readline()
            assert line.startswith(b"250"), line
            if line[3:4] == b" ":
                break
        f.write(b"QUIT\r\n"); f.flush()
    return greet.decode().strip()


# ------------------------------------------------------------------ send A: inject + PDF
PDF = make_pdf(f"Reserva confirmada {RUN}")
PDF_NAME = f"confirmacion-{RUN}.pdf"
MID_A = f"<check-{RUN}.booking@hotelsales.test>"
SUBJ_A = f"Confirmación de reserva {RUN}"


@check("inject-pdf", "SMTP 10025 (no auth) accepts reservas@hotelsales.test -> seguimiento@kontrol.test with a PDF")
def _():
    msg = EmailMessage()
    msg["From"] = f"Reservas HotelSales <{BOOKING}>"
    msg["To"] = MONITORED
    msg["Subject"] = SUBJ_A
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = MID_A
    msg.set_content(f"Adjuntamos la confirmación de su reserva ({RUN}).\n")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename=PDF_NAME)
    with smtplib.SMTP(HOST, INJECT, local_hostname="check.ocmail.test", timeout=TIMEOUT) as s:
        s.ehlo("check.ocmail.test")
        refused = s.send_message(msg)
        assert not refused, refused
    cleanup.append((MONITORED, MID_A))
    return f"{len(PDF)}-byte PDF, Message-ID {MID_A}"


# ------------------------------------------------------------------ send B: submission
MID_B = f"<custom-{RUN}.oc@ocmail-check.kontrol.test>"
SUBJ_B = f"Orden de compra {RUN}"


@check("submit-clear", "submission 10587 offers STARTTLS and no AUTH before it")
def _():
    with smtplib.SMTP(HOST, SUBMIT, local_hostname="check.ocmail.test", timeout=TIMEOUT) as s:
        s.ehlo("check.ocmail.test")
        assert s.has_extn("starttls"), s.esmtp_features
        assert not s.has_extn("auth"), "AUTH offered in clear text"


@check("submit-auth", "submission 10587 with STARTTLS (certificate verified) + AUTH: seguimiento -> contacto@walvis.test, custom Message-ID")
def _():
    msg = EmailMessage()
    msg["From"] = f"Seguimiento Kontrol <{MONITORED}>"
    msg["To"] = AGENCY
    msg["Subject"] = SUBJ_B
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = MID_B
    msg.set_content(f"Estimados, adjuntamos la orden de compra ({RUN}).\n")
    with smtplib.SMTP(HOST, SUBMIT, local_hostname="check.ocmail.test", timeout=TIMEOUT) as s:
        s.ehlo("check.ocmail.test")
        s.starttls(context=CTX)
        s.ehlo("check.ocmail.test")
        assert s.has_extn("auth"), "no AUTH after STARTTLS"
        s.login(MONITORED, PW)
        refused = s.send_message(msg)
        assert not refused, refused
        cipher = s.sock.version()
    cleanup.append((AGENCY, MID_B))
    return cipher


# ------------------------------------------------------------------ read back over IMAPS
@check("imaps-pdf", "IMAPS 10993: seguimiento's INBOX has the booking mail with the exact Message-ID and PDF bytes")
def _():
    m = imaps_login(MONITORED)
    try:
        nums = find_by_mid(m, MID_A)
        assert len(nums) == 1, f"{len(nums)} copies"
        raw, msg = fetch(m, nums[0])
        assert msg["Message-ID"].strip() == MID_A, msg["Message-ID"]
        assert str(msg["Subject"]) == SUBJ_A, msg["Subject"]
        assert BOOKING in str(msg["From"]), msg["From"]
        received = " ".join(str(h) for h in msg.get_all("Received", []))
        assert "LMTP" in received, "no LMTP Received header"
        pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert len(pdfs) == 1, f"{len(pdfs)} PDF parts"
        assert pdfs[0].get_filename() == PDF_NAME, pdfs[0].get_filename()
        got = pdfs[0].get_content()
        assert got == PDF, f"PDF differs ({len(got)} vs {len(PDF)} bytes)"
        assert got.startswith(b"%PDF-") and got.rstrip().endswith(b"%%EOF")
    finally:
        m.logout()
    return f"{len(raw)}-byte message, {PDF_NAME} identical"


@check("imaps-msgid", "IMAPS 10993: contacto@walvis.test's INBOX has the submitted mail with the custom Message-ID")
def _():
    m = imaps_login(AGENCY)
    try:
        nums = find_by_mid(m, MID_B)
        assert len(nums) == 1, f"{len(nums)} copies"
        _raw, msg = fetch(m, nums[0])
        assert msg["Message-ID"].strip() == MID_B, msg["Message-ID"]
        assert str(msg["Subject"]) == SUBJ_B, msg["Subject"]
        assert MONITORED in str(msg["From"]), msg["From"]
    finally:
        m.logout()
    return MID_B


@check("sent-folder", "IMAPS 10993: Sent folder exists (\\Sent, subscribed) for seguimiento@kontrol.test")
def _():
    m = imaps_login(MONITORED)
    try:
        typ, data = m.list()
        assert typ == "OK", data
        sent = [l for l in data if l and l.rstrip().endswith(b"Sent") or (l and b'"Sent"' in l)]
        assert any(b"\\Sent" in l for l in sent), data
        typ, data = m.lsub()
        assert any(l and (l.rstrip().endswith(b"Sent") or b'"Sent"' in l) for l in data), data
    finally:
        m.logout()


# ------------------------------------------------------------------ IMAP 10143
@check("imap-plain", "IMAP 10143: STARTTLS advertised and plaintext LOGIN allowed without TLS")
def _():
    m = imaplib.IMAP4(HOST, IMAP, timeout=TIMEOUT)
    try:
        caps = m.capabilities
        assert "STARTTLS" in caps, caps
        assert "LOGINDISABLED" not in caps, caps
        typ, _ = m.login(MONITORED, PW)
        assert typ == "OK"
        assert "IDLE" in m.capabilities or "IDLE" in m.capability()[1][0].decode()
    finally:
        m.logout()


@check("idle-push", "IMAP 10143 + STARTTLS: IDLE pushes EXISTS within 3 s of a delivery to seguimiento")
def _():
    m = imaplib.IMAP4(HOST, IMAP, timeout=TIMEOUT)
    m.starttls(ssl_context=CTX)
    m.login(MONITORED, PW)
    typ, data = m.select("INBOX")
    assert typ == "OK", data
    before = int(data[0])
    m.send(b"I1 IDLE\r\n")
    line = m.readline()
    assert line.startswith(b"+"), f"IDLE not accepted: {line!r}"
    mid = f"<check-{RUN}.idle@hotelsales.test>"
    msg = EmailMessage()
    msg["From"] = BOOKING
    msg["To"] = MONITORED
    msg["Subject"] = f"IDLE probe {RUN}"
    msg["Message-ID"] = mid
    msg.set_content("IDLE probe\n")
    t0 = time.monotonic()
    with smtplib.SMTP(HOST, INJECT, local_hostname="check.ocmail.test", timeout=TIMEOUT) as s:
        s.send_message(msg)
    cleanup.append((MONITORED, mid))
    pushed = None
    timed_out = False
    try:
        while pushed is None:
            left = 3.0 - (time.monotonic() - t0)
            if left <= 0:
                timed_out = True
                break
            m.sock.settimeout(left)
            try:
                line = m.readline()
            except (socket.timeout, TimeoutError):
                timed_out = True   # the socket's reader is unusable after a timeout
                break
            if not line:
                raise AssertionError("connection closed while idling")
            mm = re.match(rb"\* (\d+) EXISTS", line)
            if mm and int(mm.group(1)) > before:
                pushed = time.monotonic() - t0
        if not timed_out:
            m.sock.settimeout(TIMEOUT)
            m.send(b"DONE\r\n")
            while True:
                line = m.readline()
                if not line:
                    break
                if line.startswith(b"I1 "):
                    assert line.startswith(b"I1 OK"), line
                    break
            m.logout()
    finally:
        try:
            m.shutdown()
        except Exception:  # noqa: BLE001
            pass
    if pushed is None:
        raise AssertionError("no EXISTS push within 3 s")
    return f"EXISTS {before}->{before + 1} pushed {pushed:.2f} s after the SMTP send began"


# ------------------------------------------------------------------ Java
JAVA_SRC = r"""
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.*;

/** JSSE with -Djavax.net.ssl.trustStore only, hostname verification on. */
public class OcmailTlsCheck {
    static final SSLSocketFactory F = (SSLSocketFactory) SSLSocketFactory.getDefault();

    static Socket connect(String ip, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getByName(ip), port), 10000);
        s.setSoTimeout(10000);
        return s;
    }
    static SSLSocket tls(Socket plain, String name, int port) throws IOException {
        SSLSocket s = (SSLSocket) F.createSocket(plain, name, port, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }
    static BufferedReader in(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }
    static void cmd(Socket s, String c) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write((c + "\r\n").getBytes(StandardCharsets.US_ASCII));
        o.flush();
    }
    static String reply(BufferedReader r, String code) throws IOException {
        StringBuilder all = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            if (!line.startsWith(code)) throw new IOException("expected " + code + ", got " + line);
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) == ' ') return all.toString();
        }
        throw new IOException("connection closed");
    }
    public static void main(String[] a) throws Exception {
        String ip = a[0];
        int imaps = Integer.parseInt(a[1]), submission = Integer.parseInt(a[2]);
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {ip, "localhost"}) {
            try (SSLSocket s = tls(connect(ip, imaps), name, imaps)) {
                String g = in(s).readLine();
                if (g == null || !g.startsWith("* OK")) throw new IOException("IMAPS greeting " + g);
                out.append("IMAPS as ").append(name).append(' ').append(s.getSession().getProtocol()).append(", ");
            }
        }
        try (Socket plain = connect(ip, submission)) {
            BufferedReader r = in(plain);
            reply(r, "220");
            cmd(plain, "EHLO java.check");
            reply(r, "250");
            cmd(plain, "STARTTLS");
            reply(r, "220");
            try (SSLSocket s = tls(plain, "localhost", submission)) {
                BufferedReader t = in(s);
                cmd(s, "EHLO java.check");
                String ehlo = reply(t, "250");
                if (!ehlo.contains("AUTH")) throw new IOException("no AUTH after STARTTLS: " + ehlo);
                cmd(s, "QUIT");
                out.append("SMTP STARTTLS ").append(s.getSession().getProtocol());
            }
        }
        System.out.println(out);
    }
}
"""


def _java():
    import shutil, subprocess, tempfile
    java = shutil.which("java")
    if not java:
        return None
    with tempfile.TemporaryDirectory(prefix=".java-check-", dir=E["MS_STATE"]) as d:
        src = os.path.join(d, "OcmailTlsCheck.java")
        with open(src, "w") as fh:
            fh.write(JAVA_SRC)
        r = subprocess.run(
            [java, f"-Djavax.net.ssl.trustStore={E['MS_TRUSTSTORE']}",
             f"-Djavax.net.ssl.trustStorePassword={E['MS_TRUSTSTORE_PASSWORD']}",
             "-Djavax.net.ssl.trustStoreType=PKCS12",
             src, HOST, str(IMAPS), str(SUBMIT)],
            capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError((r.stderr or r.stdout).strip().splitlines()[-1:] or r.returncode)
    return r.stdout.strip()


if __import__("shutil").which("java"):
    @check("java-tls", "Java (JSSE) trusts IMAPS 10993 and SMTP 10587 STARTTLS through truststore.p12, hostname verified")
    def _():
        return _java()
else:
    print("skip java-tls       no java on PATH: truststore.p12 not exercised", flush=True)


# ------------------------------------------------------------------ refusals
def _send(port, sender, rcpt, tls=False, login=False):
    with smtplib.SMTP(HOST, port, local_hostname="check.ocmail.test", timeout=TIMEOUT) as s:
        s.ehlo("check.ocmail.test")
        if tls:
            s.starttls(context=CTX)
            s.ehlo("check.ocmail.test")
        if login:
            s.login(MONITORED, PW)
        s.sendmail(sender, [rcpt], f"From: {sender}\r\nTo: {rcpt}\r\nSubject: refused {RUN}\r\n\r\nx\r\n")


@check("no-relay-10025", "no relaying: 10025 refuses a recipient outside the test domains")
def _():
    return expect_refused(lambda: _send(INJECT, BOOKING, "someone@example.com"), (554, 454), "relay via 10025")


@check("no-relay-10587", "no relaying: authenticated 10587 refuses a recipient outside the test domains")
def _():
    return expect_refused(lambda: _send(SUBMIT, MONITORED, "someone@example.com", tls=True, login=True),
                          (554, 454), "relay via 10587")


@check("unknown-user", "10025 refuses an unknown user of a test domain")
def _():
    return expect_refused(lambda: _send(INJECT, BOOKING, "nobody@kontrol.test"), (550,), "unknown user")


@check("submit-noauth", "10587 refuses mail without AUTH (after STARTTLS)")
def _():
    return expect_refused(lambda: _send(SUBMIT, MONITORED, AGENCY, tls=True), (554, 530, 553), "unauthenticated submission")


@check("bad-password", "IMAPS 10993 refuses a wrong password")
def _():
    m = imaplib.IMAP4_SSL(HOST, IMAPS, ssl_context=CTX, timeout=TIMEOUT)
    try:
        m.login(MONITORED, "wrong-" + PW)
    except imaplib.IMAP4.error as e:
        return str(e)
    finally:
        try:
            m.logout()
        except Exception:  # noqa: BLE001
            pass
    raise AssertionError("wrong password accepted")


# ------------------------------------------------------------------ cleanup
if cleanup and not KEEP:
    @check("cleanup", "expunged the check's own messages again")
    def _():
        n = 0
        for user in sorted({u for u, _ in cleanup}):
            m = imaps_login(user)
            try:
                m.select("INBOX")
                for u, mid in cleanup:
                    if u != user:
                        continue
                    typ, data = m.search(None, "HEADER", "Message-ID", f'"{mid}"')
                    for num in data[0].split():
                        m.store(num, "+FLAGS", "\\Deleted")
                        n += 1
                m.expunge()
            finally:
                m.logout()
        return f"{n} messages"

print("mailstack OK" if not failures else "mailstack FAILED: " + "; ".join(failures))
sys.exit(1 if failures else 0)
PYEOF
