#!/usr/bin/env bash
# bench.sh — the end-to-end throughput benchmark of issue 15 in one command (as root):
#
#   bash oc-bench/mailstack/bench.sh                 # N=300 confirmations, then the 100,000-tracked heap
#   N=100 bash oc-bench/mailstack/bench.sh           # another N
#   WARMUP=100 bash oc-bench/mailstack/bench.sh      # measure a warm engine (JIT done) after 100 first
#   ROUNDS=3 bash ...                                # three measured rounds of N after one warm-up
#   JFR=1 bash oc-bench/mailstack/bench.sh           # also a Java Flight Recording + hot methods
#   JFR=wall bash ...                                # the same, every wait recorded (no threshold)
#   OC_SMTP_SESSIONS=4 bash ...                      # any runner OC_* variable overrides the default
#   BENCH_PROCESSED_FOLDER= bash ...                 # leave recorded mail in the monitored folder
#                                                    # (default: IMAP_PROCESSED_FOLDER=Procesados)
#   DELIVERY=virtual bash ...                        # Postfix's virtual(8) writes the agencies' Maildirs
#                                                    # instead of Dovecot's LMTP (up.sh, MS_DELIVERY)
#   HEAP=0 bash oc-bench/mailstack/bench.sh          # skip the steady-heap run
#   NOBUILD=1 ...                                    # reuse the last build
#
# Starts Dovecot and Postfix on loopback (up.sh; installs the Debian packages the first time),
# builds the modules (package, no install: the jars under each module's target/ are used), and
# runs MailStackBenchmark: the runner's engine (OcApplication, SQLite) against IMAPS 10993 and
# submission 10587 (STARTTLS + AUTH). Raw output goes to oc-bench/target/bench-results/mailstack/.
set -euo pipefail
cd "$(dirname "$0")/../.."
STATE=${STATE:-/tmp/ocbench-mail}
N=${N:-300}
DELIVERY=${DELIVERY:-lmtp}
out=oc-bench/target/bench-results/mailstack
mkdir -p "$out"
MS_DELIVERY=$DELIVERY bash oc-bench/mailstack/up.sh "$STATE" >"$out/up.txt"
if [ -z "${NOBUILD:-}" ]; then
  mvn -q -B package dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
    -DskipTests -Doc.javadoc.skip=true -pl oc-bench -am
fi
cp="oc-bench/target/classes:$(cat oc-bench/target/cp.txt)"
# shellcheck disable=SC1091
. "$STATE/env.sh"   # OCMAIL_JAVA_OPTS: the stack's throwaway CA as the only trusted one
stamp=$(date -u +%Y%m%dT%H%M%SZ)
jfr=()
if [ -n "${JFR:-}" ]; then
  jfc=profile
  if [ "$JFR" = wall ]; then
    # The JDK's profile settings with no threshold on the waits: where the wall time went.
    jfc="$out/wall.jfc"
    jh="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    awk '/<event name=/{ev=$0} /name="threshold"/ && ev ~ /jdk\.(ThreadPark|SocketRead|SocketWrite|JavaMonitorEnter|JavaMonitorWait|ThreadSleep|FileForce)"/ {sub(/>[^<]*</, ">0 ms<")} {print}' \
      "$jh/lib/jfr/profile.jfc" >"$jfc"
  fi
  jfr=("-XX:StartFlightRecording=filename=$out/e2e-$stamp.jfr,settings=$jfc")
fi
{
  echo "== $(date -u) load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; commit $(git rev-parse --short HEAD); delivery $DELIVERY"
  # shellcheck disable=SC2086
  java $OCMAIL_JAVA_OPTS "${jfr[@]}" -cp "$cp" com.kontroltravel.oc.bench.MailStackBenchmark \
    --n "$N" --warmup "${WARMUP:-0}" --rounds "${ROUNDS:-1}" --state "$STATE" --work "$out/work" 2>"$out/e2e-$stamp.log"
  echo "== after: load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/e2e-$stamp.txt"
if [ -n "${JFR:-}" ]; then
  echo "== where the CPU went (JFR execution samples)" | tee -a "$out/e2e-$stamp.txt"
  # shellcheck disable=SC2046
  java -cp "$cp" com.kontroltravel.oc.bench.JfrSummary "$out/e2e-$stamp.jfr" \
    $(awk '/^WINDOW /{print $2, $3; exit}' "$out/e2e-$stamp.txt") | tee -a "$out/e2e-$stamp.txt"
fi
if [ "${HEAP:-1}" != 0 ]; then
  # The steady heap with 100,000 tracked, in a JVM limited to the target (64 MB): it must not fail.
  # shellcheck disable=SC2086
  java $OCMAIL_JAVA_OPTS -Xmx64m -cp "$cp" com.kontroltravel.oc.bench.MailStackBenchmark \
    --tracked "${TRACKED:-100000}" --state "$STATE" --work "$out/work" 2>"$out/heap-$stamp.log" \
    | tee "$out/heap-$stamp.txt"
fi
echo "== raw output in $out"
