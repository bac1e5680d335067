#!/usr/bin/env bash
# Runs the short benchmark suite and regenerates docs/benchmarks.md and docs/benchmarks.svg.
#
#   benchmarks/run.sh                 main run with the JDK on JAVA_HOME (or PATH)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run.sh --compare
#                                     comparison run, shown as extra columns beside the main run
#   benchmarks/run.sh --report-only   regenerate the page from the JSON already in benchmarks/results
#
# Environment:
#   BENCH_OSS=0       skip the OSS binding suite (SDK put/get against the local OSS endpoint)
#   BENCH_OSS_SIZE    object size of the binding suite in bytes (default 268435456, 256 MiB)
#   BENCH_NO_BUILD=1  use benchmarks/target/benchmarks.jar as it is
#   BENCH_NOTE        a sentence added to the noise note
#   BENCH_QUICK=1     200 ms iterations: a smoke test of the script, not a measurement
# The report generator always runs on the JDK that runs the script's `java`; Maven builds the jar.
set -euo pipefail
# The whole script is one compound command, so bash parses it completely before running it and an
# edit to this file during a run cannot change the running script.
{

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

mode=main
case "${1:-}" in
  "") ;;
  --compare) mode=compare ;;
  --report-only) mode=report ;;
  *) echo "usage: benchmarks/run.sh [--compare | --report-only]" >&2; exit 2 ;;
esac

java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
jar="benchmarks/target/benchmarks.jar"
results="benchmarks/results"
mkdir -p "$results"

# Build the jar when it is missing or older than any source it contains.
stale() {
  [[ ! -f "$jar" ]] || [[ -n "$(find provider/src oss-binding/src local-oss/src benchmarks/src \
    benchmarks/pom.xml provider/pom.xml -newer "$jar" -type f 2>/dev/null | head -1)" ]]
}
if [[ ! -f "$jar" ]] || { [[ "${BENCH_NO_BUILD:-0}" != "1" && "$mode" != report ]] && stale; }; then
  echo "Building $jar" >&2
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

# Run from a copy, so that a build during the run cannot swap the jar under the forked JVMs.
run_jar="$(mktemp --suffix=.jar)"
trap 'rm -f "$run_jar"' EXIT
cp "$jar" "$run_jar"

iter="1s"
if [[ "${BENCH_QUICK:-0}" == "1" ]]; then
  iter="200ms"
fi
steady_args=(-f 1 -wi 2 -i 3 -w "$iter" -r "$iter" -prof gc
  -p size=64,16384,1048576,67108864)
steady_select='dev.osscse.bench.(AesCtrUpdate|AesCtrSeekRead|AesCtrSetup|RsaUnwrap)\.'
fresh_args=(-f 10 -wi 0 -i 1)
fresh_select='dev.osscse.bench.AesCtrFreshJvm\.'
oss_size="${BENCH_OSS_SIZE:-268435456}"
oss_args=(-f 1 -wi 1 -i 2 -w "$iter" -r "$iter" -p "size=$oss_size")
oss_select='dev.osscse.bench.oss\.'

jdk_label() {
  local v
  v="$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vendor = /{vendor=$2} /java.runtime.version = /{ver=$2} END{print vendor" "ver}')"
  local major
  major="$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version = /{print $2}')"
  echo "JDK $major|$v"
}

others() {
  # JVMs running on the machine that this script did not start (other builds and tests).
  ps -eo pid,comm | awk -v self="$$" '$2=="java" && $1!=self' | wc -l
}

run_suite() {
  local prefix="$1"
  local load_start load_end others_start others_end label started
  label="$(jdk_label)"
  started="$(date -u '+%Y-%m-%d %H:%M UTC')"
  load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
  others_start="$(others)"
  echo "Running steady-state suite ($label) ..." >&2
  "$java_bin" -jar "$run_jar" "${steady_args[@]}" -rf json -rff "$results/$prefix-steady.json" \
    "$steady_select" > "$results/$prefix-steady.txt.tmp" 2>&1
  echo "Running fresh-JVM suite ..." >&2
  "$java_bin" -jar "$run_jar" "${fresh_args[@]}" -rf json -rff "$results/$prefix-fresh.json" \
    "$fresh_select" > "$results/$prefix-fresh.txt.tmp" 2>&1
  if [[ "${BENCH_OSS:-1}" == "1" ]]; then
    echo "Running OSS binding suite (objects of $oss_size bytes) ..." >&2
    "$java_bin" -jar "$run_jar" "${oss_args[@]}" -rf json -rff "$results/$prefix-oss.json" \
      "$oss_select" > "$results/$prefix-oss.txt.tmp" 2>&1
  else
    rm -f "$results/$prefix-oss.json"
  fi
  load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
  local settings flag=""
  settings="$(env | grep -E '^(BENCH_[A-Z_]+|JAVA_HOME)=' | sort | tr '\n' ' ' || true)"
  if [[ "$prefix" == compare ]]; then
    flag=" --compare"
  fi
  others_end="$(others)"
  {
    echo "label=${label%%|*}"
    echo "runtime=${label#*|}"
    echo "date=$started"
    echo "load=$load_start at start, $load_end at end"
    echo "others=$others_start at start, $others_end at end"
    echo "command=${settings}benchmarks/run.sh${flag}"
  } > "$results/$prefix.env"
}

env_get() {
  # env_get FILE KEY: prints the value of KEY=value from FILE.
  sed -n "s/^$2=//p" "$1" | head -1
}

case "$mode" in
  main) run_suite main ;;
  compare) run_suite compare ;;
  report) ;;
esac

if [[ ! -f "$results/main.env" ]]; then
  echo "No main run in $results; run benchmarks/run.sh first." >&2
  exit 1
fi

main_label="$(env_get "$results/main.env" label)"
main_files="$results/main-steady.json,$results/main-fresh.json"
if [[ -f "$results/main-oss.json" ]]; then
  main_files="$main_files,$results/main-oss.json"
fi
runs=(--run "$main_label=$main_files")
notes="Measured on a machine with $(nproc) cores shared with other builds and test suites: \
main run load average (1, 5, 15 min) $(env_get "$results/main.env" load); \
other JVMs running: $(env_get "$results/main.env" others)."
if [[ -f "$results/compare.env" && -f "$results/compare-steady.json" ]]; then
  compare_label="$(env_get "$results/compare.env" label)"
  if [[ "$compare_label" == "$main_label" ]]; then
    compare_label="$compare_label ($(env_get "$results/compare.env" runtime))"
  fi
  runs+=(--run "$compare_label=$results/compare-steady.json,$results/compare-fresh.json")
  notes="$notes Comparison run ($compare_label, $(env_get "$results/compare.env" date)): \
load average $(env_get "$results/compare.env" load); other JVMs: $(env_get "$results/compare.env" others)."
fi
notes="$notes Short suite: one fork and three $iter iterations per case, so figures can move by \
10-30% between runs or more under load; read ratios well above or below a target as findings, ratios near it as ties. \
${BENCH_NOTE:-}"

command="$(env_get "$results/main.env" command)"
if [[ -n "${compare_label:-}" ]]; then
  command="$command; $(env_get "$results/compare.env" command)"
fi

extra=()
if [[ -f benchmarks/report-extra.md ]]; then
  extra=(--extra benchmarks/report-extra.md)
fi

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, \
$(awk '/MemTotal/{printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), Linux $(uname -r)"

java -cp "$run_jar" dev.osscse.bench.report.Report "${runs[@]}" \
  --md docs/benchmarks.md --svg docs/benchmarks.svg --svg-link benchmarks.svg \
  --date "$(env_get "$results/main.env" date)" \
  --machine "$machine" \
  --command "$command" \
  --settings "steady state: ${steady_args[*]} (each case in its own fork); fresh JVM: ${fresh_args[*]}; OSS binding: ${oss_args[*]}" \
  --notes "$notes" \
  "${extra[@]}"
echo "Wrote docs/benchmarks.md and docs/benchmarks.svg" >&2
exit 0
}
