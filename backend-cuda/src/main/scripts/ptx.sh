#!/usr/bin/env bash
# Generates the PTX of the CUDA kernels in src/main/cuda with nvcc.
#
#   ptx.sh check  OUT_DIR   regenerate into OUT_DIR, assemble it with ptxas for sm_75 and sm_90, and fail
#                           if the committed PTX in src/main/resources differs (the build runs this)
#   ptx.sh update [OUT_DIR] regenerate and copy over the committed PTX (run after editing a .cu file)
#
# Without nvcc on the PATH, "check" says so and succeeds: the committed PTX is used as it is.
# The comparison ignores comment lines, which hold nvcc's version banner.
set -euo pipefail

MODULE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SRC_DIR="$MODULE_DIR/src/main/cuda"
COMMITTED_DIR="$MODULE_DIR/src/main/resources/org/ntk4j/backend/cuda/ptx"
MODE="${1:-}"
OUT_DIR="${2:-$MODULE_DIR/target/ptx}"
# compute_75 (Turing) is the oldest architecture nvcc 13 supports; the driver JIT-compiles this PTX for
# newer GPUs (Ampere, Hopper, ...) when the module is loaded.
NVCC_FLAGS=(-ptx -arch=compute_75 -O3 -std=c++17)

case "$MODE" in
  check|update) ;;
  *) echo "usage: ptx.sh check|update [OUT_DIR]" >&2; exit 2 ;;
esac

if ! command -v nvcc >/dev/null 2>&1; then
  if [[ "$MODE" == update ]]; then
    echo "[ptx] nvcc is not on the PATH: cannot regenerate the PTX" >&2
    exit 1
  fi
  echo "[ptx] nvcc is not on the PATH: skipping the PTX freshness check (the committed PTX is used)"
  exit 0
fi

mkdir -p "$OUT_DIR"
echo "[ptx] $(nvcc --version | tail -n 2 | head -n 1)"
stale=()
assembled=" (ptxas not on the PATH: not assembled)"
for cu in "$SRC_DIR"/*.cu; do
  name="$(basename "${cu%.cu}")"
  ptx="$OUT_DIR/$name.ptx"
  # compile from the source folder with a relative name, so that no absolute path enters the PTX
  (cd "$SRC_DIR" && nvcc "${NVCC_FLAGS[@]}" -o "$ptx" "$name.cu")
  if command -v ptxas >/dev/null 2>&1; then
    for arch in sm_75 sm_90; do
      if ! ptxas -arch="$arch" -o /dev/null "$ptx"; then
        echo "[ptx] ptxas could not assemble $name.ptx for $arch" >&2
        exit 1
      fi
    done
    assembled=" and assembled for sm_75 and sm_90"
  fi
  committed="$COMMITTED_DIR/$name.ptx"
  if [[ "$MODE" == update ]]; then
    mkdir -p "$COMMITTED_DIR"
    cp "$ptx" "$committed"
    echo "[ptx] updated $name.ptx"
  elif [[ ! -f "$committed" ]] || ! diff -q <(grep -v '^//' "$ptx") <(grep -v '^//' "$committed") >/dev/null; then
    stale+=("$name")
  fi
done

if [[ "$MODE" == check ]]; then
  for committed in "$COMMITTED_DIR"/*.ptx; do
    [[ -e "$committed" ]] || continue
    name="$(basename "${committed%.ptx}")"
    if [[ ! -f "$SRC_DIR/$name.cu" ]]; then
      stale+=("$name (no $name.cu)")
    fi
  done
  if (( ${#stale[@]} > 0 )); then
    echo "[ptx] the committed PTX is stale for: ${stale[*]}" >&2
    echo "[ptx] regenerate it with: bash backend-cuda/src/main/scripts/ptx.sh update, and commit it" >&2
    exit 1
  fi
  echo "[ptx] the committed PTX matches src/main/cuda (regenerated with nvcc$assembled)"
fi
