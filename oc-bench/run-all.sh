#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md in one go on this machine and writes the raw output under
# oc-bench/target/bench-results/. Not part of `mvn verify`.
#
#   bash oc-bench/run-all.sh            # full run (1,000,000-booking store sizes included; ~12 minutes)
#   QUICK=1 bash oc-bench/run-all.sh    # smaller sizes, for a smoke run
#
# Needs: pdftotext (poppler-utils) for the parse comparison, and a PostgreSQL reachable through OC_TEST_PG_URL
# (`eval "$(bash .ci/start-postgres.sh)"` starts one) for the PostgreSQL store figures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=oc-bench/target/bench-results
mkdir -p "$out"

mvn -B -q install -DskipTests
mvn -B -q -pl oc-bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="oc-bench/target/classes:$(cat oc-bench/target/cp.txt)"
sizes=10000,100000,1000000
[ -n "${QUICK:-}" ] && sizes=10000,100000
dialects=sqlite
[ -n "${OC_TEST_PG_URL:-}" ] && dialects=sqlite,postgresql

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)" | tee "$out/machine.txt"

echo "== parse: warm parse per document (JMH, one core) and pdftotext on the same files"
taskset -c 1 java -cp "$cp" org.openjdk.jmh.Main ParseBenchmark -rf json -rff "$out/parse.json" | tee "$out/parse.txt"

echo "== parse: first parse in a fresh JVM (20 forks)"
java -cp "$cp" com.kontroltravel.oc.bench.FirstParseDriver 20 | tee "$out/first-parse.txt"

echo "== store: tick with nothing due, claim 1,000 due, bulk tracking ($sizes; $dialects)"
java -cp "$cp" com.kontroltravel.oc.bench.StoreBenchmark --sizes "$sizes" --dialects "$dialects" | tee "$out/store.txt"

echo "== mail: intake and send throughput against GreenMail on loopback"
java -cp "$cp" com.kontroltravel.oc.bench.MailThroughputBenchmark 1000 5 | tee "$out/mail.txt"

echo "== done: raw output in $out"
