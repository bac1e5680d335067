#!/usr/bin/env bash
# Runs the short benchmark suite and regenerates docs/benchmarks.md and docs/benchmarks.svg.
#
#   benchmarks/run.sh                 main run with the JDK on JAVA_HOME (or PATH)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run.sh --compare
#                                     comparison run, shown as extra columns beside the main run
#   benchmarks/run.sh --report-only   regenerate the page from the JSON already in benchmarks/results
#
# Environment:
#   BENCH_SUITES      the suites to run, separated by spaces or commas (default: all but setup):
#                     steady    provider: CTR update, seek, setup, RSA unwrap; System.arraycopy of
#                               the same sizes and one no-work JCA layer, the bounds (-prof gc)
#                     setup     provider: per-object set-up and its no-work JCA layer only (-prof gc,
#                               5 warm-up and 5 measured iterations: on a loaded machine C2 needs
#                               more than the steady suite's 2 s to compile the chain); its results
#                               replace the steady suite's set-up figures until the next steady run
#                     memory    provider: one 64 MiB call against System.arraycopy of 64 MiB and
#                               SunJCE in 100 KiB calls, in 60 rotating rounds of one JVM
#                               (MemoryBound)
#                     fresh     provider: one 64 MiB call per fresh JVM (JMH forks)
#                     cold      provider: plain java programs (ColdStart), 10 fresh JVMs per
#                               provider and shape: one 64 MiB call, the span from provider
#                               creation through one 64 MiB call, the first 256 MiB in 1 MiB calls
#                     transfer  OSS binding: PUT, GET, ranged GET (endpoint in the same JVM)
#                     multipart OSS binding: multipart upload, 1 and 2 parts in flight
#                     multipart-paired
#                               OSS binding: OssCse's loopback multipart upload with 1 and 2 parts
#                               in flight in 15 paired rounds of one JVM (PairedMultipart)
#                     cost      OSS binding: client CPU per GiB, endpoint in its own JVM (CPU of
#                               every thread of the client JVM, ns resolution: ProcessCpuProfiler)
#                     random    OSS binding: 1,000 random 64 KiB reads of 1 GiB, own-JVM endpoint,
#                               channel read-ahead 64 KiB (the read size) and 256 KiB (its default)
#                     paired    OSS binding: the random suite's reads with read-ahead 64 KiB in 20
#                               paired rounds of one JVM (PairedRandomRead), both clients in every
#                               round, so both see the same load
#                     repeated  OSS binding: repeated 1 MiB ranged GETs of one RSA object, plain
#                               and OssCse with the RSA content-key cache off and on
#                     A suite not run keeps its earlier results in benchmarks/results; the page
#                     names the date, machine and load of each suite's own run.
#   BENCH_OSS=0       leave out the OSS binding suites (transfer, multipart, multipart-paired,
#                     cost, random, paired, repeated)
#   BENCH_OSS_SIZE    object size of the transfer, multipart and cost suites in bytes
#                     (default 268435456, 256 MiB)
#   BENCH_RANDOM_SIZE object size of the random and paired suites in bytes (default 1073741824, 1 GiB)
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
steady_select='dev.osscse.bench.(AesCtrUpdate|AesCtrSeekRead|AesCtrSetup|RsaUnwrap|MemoryCopy|JcaLayer)\.'
setup_args=(-f 1 -wi 5 -i 5 -w "$iter" -r "$iter" -prof gc)
setup_select='dev.osscse.bench.(AesCtrSetup|JcaLayer)\.getInstanceAndInit$'
fresh_args=(-f 10 -wi 0 -i 1)
fresh_select='dev.osscse.bench.AesCtrFreshJvm\.'
oss_size="${BENCH_OSS_SIZE:-268435456}"
oss_args=(-f 1 -wi 1 -i 2 -w "$iter" -r "$iter" -p "size=$oss_size")
transfer_select='dev.osscse.bench.oss.OssTransfer\.'
multipart_select='dev.osscse.bench.oss.OssMultipart\.'
# The client-cost suite warms up longer (the JIT's CPU is counted) and measures more iterations:
# its targets are 5% apart.
cost_args=(-f 1 -wi 5 -i 12 -w "$iter" -r "$iter" -p "size=$oss_size"
  -prof dev.osscse.bench.oss.ProcessCpuProfiler)
cost_select='dev.osscse.bench.oss.OssClientCost\.'
random_size="${BENCH_RANDOM_SIZE:-1073741824}"
# The random-read suite warms up 10 iterations: each holds only 3-5 operations of 1,000 reads, and
# with 3 both clients' read paths were still being compiled in the measured iterations.
random_args=(-f 1 -wi 10 -i 5 -w "$iter" -r "$iter" -p "size=$random_size" -p readAhead=65536,262144)
random_select='dev.osscse.bench.oss.OssRandomRead\.'
repeated_select='dev.osscse.bench.oss.OssRepeatedRangedGet\.'
cold_forks="${BENCH_COLD_FORKS:-10}"

# setup comes first: the report takes the first result of a case, so a setup-only run's figures
# win over the steady suite's. The default runs leave it out (steady measures the same).
all_suites=(setup steady memory fresh cold transfer multipart multipart-paired cost random paired repeated)
paired_rounds=20
if [[ -n "${BENCH_SUITES:-}" ]]; then
  read -r -a suites <<< "${BENCH_SUITES//,/ }"
elif [[ "${BENCH_OSS:-1}" == "1" ]]; then
  suites=("${all_suites[@]:1}")
else
  suites=(steady memory fresh cold)
fi
for s in "${suites[@]}"; do
  if [[ " ${all_suites[*]} " != *" $s "* ]]; then
    echo "unknown suite $s; suites: ${all_suites[*]}" >&2
    exit 2
  fi
  if [[ "${BENCH_OSS:-1}" != "1" && "$s" != setup && "$s" != steady && "$s" != memory \
    && "$s" != fresh && "$s" != cold ]]; then
    echo "suite $s is an OSS binding suite, left out by BENCH_OSS=0" >&2
    exit 2
  fi
done

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

machine() {
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, \
$(awk '/MemTotal/{printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), Linux $(uname -r)"
}

suite_name() {
  case "$1" in
    setup) echo "per-object set-up" ;;
    steady) echo "steady state" ;;
    memory) echo "64 MiB rotating rounds" ;;
    fresh) echo "fresh JVM" ;;
    transfer) echo "OSS transfers" ;;
    multipart) echo "OSS multipart" ;;
    multipart-paired) echo "OSS multipart in paired rounds" ;;
    cost) echo "OSS client cost" ;;
    random) echo "OSS random reads" ;;
    paired) echo "OSS random reads in paired rounds" ;;
    repeated) echo "OSS repeated ranged GETs" ;;
    cold) echo "cold path" ;;
  esac
}

# run_one PREFIX SUITE: runs one suite and records, beside its JSON, the JDK, the machine, the
# date and the load average and other JVMs at the suite's own start and end.
run_one() {
  local prefix="$1" suite="$2"
  local label started load_start load_end others_start others_end select settings flag=""
  local -a args
  case "$suite" in
    setup) args=("${setup_args[@]}"); select="$setup_select" ;;
    steady)
      args=("${steady_args[@]}"); select="$steady_select"
      rm -f "$results/$prefix-setup.json" "$results/$prefix-setup.env" # superseded by this run
      ;;
    fresh) args=("${fresh_args[@]}"); select="$fresh_select" ;;
    transfer) args=("${oss_args[@]}"); select="$transfer_select" ;;
    multipart) args=("${oss_args[@]}"); select="$multipart_select" ;;
    cost) args=("${cost_args[@]}"); select="$cost_select" ;;
    random) args=("${random_args[@]}"); select="$random_select" ;;
    repeated) args=("${oss_args[@]}"); select="$repeated_select" ;;
    cold) args=(drive "$cold_forks"); select="" ;;
    paired) args=("$random_size" "$paired_rounds"); select="" ;;
    memory) args=(60); select="" ;;
    multipart-paired) args=("$oss_size" 15); select="" ;;
  esac
  label="$(jdk_label)"
  started="$(date -u '+%Y-%m-%d %H:%M UTC')"
  load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
  others_start="$(others)"
  echo "Running $(suite_name "$suite") suite ($label) ..." >&2
  if [[ "$suite" == cold ]]; then
    "$java_bin" -cp "$run_jar" dev.osscse.bench.ColdStart "${args[@]}" \
      "$results/$prefix-$suite.json" > "$results/$prefix-$suite.txt.tmp" 2>&1
  elif [[ "$suite" == memory ]]; then
    "$java_bin" -cp "$run_jar" dev.osscse.bench.MemoryBound "${args[@]}" \
      "$results/$prefix-$suite.json" > "$results/$prefix-$suite.txt.tmp" 2>&1
  elif [[ "$suite" == multipart-paired ]]; then
    "$java_bin" -cp "$run_jar" dev.osscse.bench.oss.PairedMultipart "${args[@]}" \
      "$results/$prefix-$suite.json" > "$results/$prefix-$suite.txt.tmp" 2>&1
  elif [[ "$suite" == paired ]]; then
    "$java_bin" -cp "$run_jar" dev.osscse.bench.oss.PairedRandomRead "${args[@]}" \
      "$results/$prefix-$suite.json" > "$results/$prefix-$suite.txt.tmp" 2>&1
  else
    "$java_bin" -jar "$run_jar" "${args[@]}" -rf json -rff "$results/$prefix-$suite.json" \
      "$select" > "$results/$prefix-$suite.txt.tmp" 2>&1
  fi
  load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
  others_end="$(others)"
  settings="$(env | grep -E '^(BENCH_[A-Z_]+|JAVA_HOME)=' | sort | tr '\n' ' ' || true)"
  if [[ "$prefix" == compare ]]; then
    flag=" --compare"
  fi
  {
    echo "label=${label%%|*}"
    echo "runtime=${label#*|}"
    echo "date=$started"
    echo "load=$load_start at start, $load_end at end"
    echo "others=$others_start at start, $others_end at end"
    echo "machine=$(machine)"
    echo "command=${settings}benchmarks/run.sh${flag}"
    echo "settings=${args[*]}"
  } > "$results/$prefix-$suite.env"
}

env_get() {
  # env_get FILE KEY: prints the value of KEY=value from FILE.
  sed -n "s/^$2=//p" "$1" | head -1
}

case "$mode" in
  main | compare)
    for s in "${suites[@]}"; do
      run_one "$mode" "$s"
    done
    ;;
  report) ;;
esac

# suite_files PREFIX: the comma-separated JSON files of a run's suites that have results.
suite_files() {
  local f out=""
  for s in "${all_suites[@]}"; do
    f="$results/$1-$s.json"
    if [[ -f "$f" && -f "$results/$1-$s.env" ]]; then
      out="${out:+$out,}$f"
    fi
  done
  echo "$out"
}

# suite_notes PREFIX: one sentence per group of suites that ran together (same JDK, date, load and
# other JVMs): the suites, then their date, load and other JVMs.
suite_notes() {
  local e k
  declare -A names=()
  local -a order=()
  for s in "${all_suites[@]}"; do
    e="$results/$1-$s.env"
    if [[ -f "$e" && -f "$results/$1-$s.json" ]]; then
      k="($(env_get "$e" label), $(env_get "$e" date)): load average $(env_get "$e" load); \
other JVMs $(env_get "$e" others)."
      if [[ -z "${names[$k]+x}" ]]; then
        order+=("$k")
        names[$k]="$(suite_name "$s")"
      else
        names[$k]="${names[$k]}, $(suite_name "$s")"
      fi
    fi
  done
  local out=""
  for k in "${order[@]}"; do
    out="$out ${names[$k]} $k"
  done
  echo "${out# }"
}

# suite_values PREFIX KEY: the distinct values of KEY over a run's suites, each followed by the
# suites it belongs to when they differ.
suite_values() {
  local e v
  declare -A seen=()
  local -a order=()
  for s in "${all_suites[@]}"; do
    e="$results/$1-$s.env"
    if [[ -f "$e" && -f "$results/$1-$s.json" ]]; then
      v="$(env_get "$e" "$2")"
      if [[ -z "${seen[$v]+x}" ]]; then
        order+=("$v")
        seen[$v]="$(suite_name "$s")"
      else
        seen[$v]="${seen[$v]}, $(suite_name "$s")"
      fi
    fi
  done
  local out=""
  for v in "${order[@]}"; do
    if [[ "${#order[@]}" -gt 1 ]]; then
      out="${out:+$out; }$v (${seen[$v]})"
    else
      out="$v"
    fi
  done
  echo "$out"
}

main_files="$(suite_files main)"
if [[ -z "$main_files" ]]; then
  echo "No main run in $results; run benchmarks/run.sh first." >&2
  exit 1
fi
first_env="$(ls "$results"/main-*.env | head -1)"
main_label="$(env_get "$first_env" label)"
runs=(--run "$main_label=$main_files")
notes="Measured on a machine with 2 cores shared with other builds and test suites. Load average \
(1, 5, 15 min) and other JVMs running at the start and end of each suite's own run: \
$(suite_notes main)"
chart_date="$(env_get "$results/main-steady.env" date 2>/dev/null || true)"
compare_files="$(suite_files compare)"
if [[ -n "$compare_files" ]]; then
  compare_env="$(ls "$results"/compare-*.env | head -1)"
  compare_label="$(env_get "$compare_env" label)"
  if [[ "$compare_label" == "$main_label" ]]; then
    compare_label="$compare_label ($(env_get "$compare_env" runtime))"
  fi
  runs+=(--run "$compare_label=$compare_files")
  notes="$notes Comparison run ($compare_label): $(suite_notes compare)"
fi
notes="$notes Short suite: one fork and a few $iter iterations per case, so figures can move by \
10-30% between runs or more under load; read ratios well above or below a target as findings, ratios near it as ties. \
${BENCH_NOTE:-}"

command="$(suite_values main command)"
date_line="$(suite_values main date)"
machine_line="$(suite_values main machine)"
settings_line="$(suite_values main settings)"
if [[ -n "$compare_files" ]]; then
  command="$command; $(suite_values compare command)"
fi

extra=()
if [[ -f benchmarks/report-extra.md ]]; then
  extra=(--extra benchmarks/report-extra.md)
fi

java -cp "$run_jar" dev.osscse.bench.report.Report "${runs[@]}" \
  --md docs/benchmarks.md --svg docs/benchmarks.svg --svg-link benchmarks.svg \
  --date "$date_line" \
  --chart-date "${chart_date:-$date_line}" \
  --machine "$machine_line" \
  --command "$command" \
  --settings "$settings_line" \
  --notes "$notes" \
  "${extra[@]}"
echo "Wrote docs/benchmarks.md and docs/benchmarks.svg" >&2
exit 0
}
