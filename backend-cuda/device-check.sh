#!/usr/bin/env bash
# The GPU check of the CUDA backend, run from a bundle made by build-device-bundle.sh on a machine with an
# NVIDIA driver (libcuda.so.1) and no Java or Maven: the bundle brings its own Java runtime.
#
#   ./device-check.sh            # the conformance kit (F32 and F64) and the GPU tests, then the benchmark
#   ENTK_N=4096 ./device-check.sh
#
# Prints a summary table at the end; logs and JUnit XML reports go to ./logs. Exits 0 when the tests passed
# (or were skipped for want of a device) and the benchmark ran or said there is no device.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAVA="$HERE/runtime/bin/java"
CP="$(ls "$HERE"/lib/*.jar | tr '\n' ':')"
LOGS="$HERE/logs"
mkdir -p "$LOGS"
START=$(date +%s)
# the driver compiles the kernels' PTX for this GPU once and caches the result; keep the cache with the bundle so
# that it works whatever HOME is, and every backend the tests create after the first loads in milliseconds
export CUDA_CACHE_PATH="${CUDA_CACHE_PATH:-$HERE/.nv-compute-cache}"
export CUDA_CACHE_MAXSIZE="${CUDA_CACHE_MAXSIZE:-1073741824}"

echo "ntk4j CUDA device check, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm)"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
else
  echo "nvidia-smi: not found"
fi

echo
echo "== tests: conformance kit (F32, F64), GPU checks, eNTK and proximal-ntk against EJML, probe and selection"
timeout 200 "$JAVA" -Xmx8g -jar "$HERE/junit-platform-console-standalone.jar" execute \
    --disable-banner --disable-ansi-colors --details=tree --class-path "$CP" \
    --select-class org.ntk4j.backend.cuda.CudaProbeTest \
    --select-class org.ntk4j.backend.cuda.CudaSelectionTest \
    --select-class org.ntk4j.backend.cuda.CudaDeviceTest \
    --select-class org.ntk4j.backend.cuda.CudaDigitsNtkTest \
    --select-class org.ntk4j.backend.cuda.CudaLibraryAgreementTest \
    --select-class org.ntk4j.backend.cuda.CudaConformanceTest \
    --reports-dir "$LOGS/junit" >"$LOGS/tests.log" 2>&1
TESTS_RC=$?
tail -n 16 "$LOGS/tests.log"

echo
echo "== benchmark"
timeout 320 "$JAVA" -Xmx24g -cp "$CP" org.ntk4j.backend.cuda.CudaBenchmark "${ENTK_N:-8192}" 2>&1 | tee "$LOGS/benchmark.log"
BENCH_RC=${PIPESTATUS[0]}

count() { # count WORD: the number JUnit's summary gives for "tests WORD"
  local n
  n=$(grep -E "tests $1" "$LOGS/tests.log" | head -n 1 | grep -oE '[0-9]+' | head -n 1)
  echo "${n:-?}"
}
row() { printf '  %-28s %s\n' "$1" "$2"; }

echo
echo "================================ summary ================================"
if grep -q '^device: ' "$LOGS/benchmark.log"; then
  row "device" "$(grep -m1 '^device: ' "$LOGS/benchmark.log" | cut -d' ' -f2- | cut -d';' -f1)"
  row "gemm engine" "$(grep -m1 '^gemm engine: ' "$LOGS/benchmark.log" | cut -d' ' -f3-)"
else
  row "device" "$(grep -m1 -oE 'no CUDA device: .*' "$LOGS/benchmark.log" "$LOGS/tests.log" | head -n 1 | cut -d: -f2-)"
fi
row "tests found" "$(count found)"
row "tests successful" "$(count successful)"
row "tests failed" "$(count failed)"
row "tests skipped" "$(count skipped)"
row "tests aborted (assumptions)" "$(count aborted)"
row "containers skipped" "$(grep -E 'containers skipped' "$LOGS/tests.log" | grep -oE '[0-9]+' | head -n 1)"
if grep -q 'no CUDA device' "$LOGS/tests.log"; then
  row "skip reason" "$(grep -m1 -oE 'no CUDA device: [^]]*' "$LOGS/tests.log")"
fi
row "tests exit status" "$TESTS_RC"
while IFS= read -r line; do
  case "$line" in
    gemm\ F*|entk\ F*) row "$(echo "$line" | awk '{print $1, $2, $3}')" "$(echo "$line" | cut -d' ' -f4- | sed 's/^ *//')" ;;
  esac
done <"$LOGS/benchmark.log"
row "benchmark exit status" "$BENCH_RC$([[ $BENCH_RC == 2 ]] && echo ' (no device)')"
row "wall time" "$(( $(date +%s) - START )) s"

if [[ $TESTS_RC -ne 0 ]] || [[ $BENCH_RC -ne 0 && $BENCH_RC -ne 2 ]]; then
  exit 1
fi
exit 0
