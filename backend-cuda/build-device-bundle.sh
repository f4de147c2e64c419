#!/usr/bin/env bash
# Builds target/device-bundle: everything device-check.sh needs on a GPU machine that has an NVIDIA driver but
# no Java and no Maven — a jlink'ed Java runtime, the module's main and test jars with their dependencies, the
# JUnit console launcher, and device-check.sh itself. Run from anywhere; needs a JDK 17+ and Maven here.
#
#   backend-cuda/build-device-bundle.sh            # then copy backend-cuda/target/device-bundle to the GPU machine
#   backend-cuda/build-device-bundle.sh --tar      # also pack it as target/device-bundle.tar.gz
set -euo pipefail

MODULE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$MODULE_DIR/.." && pwd)"
BUNDLE="$MODULE_DIR/target/device-bundle"
MAX_MIB=60

rm -rf "$BUNDLE"
# package (not install): the reactor resolves the sibling modules' jars from their target folders
(cd "$ROOT" && mvn -q -B ${MAVEN_OFFLINE:+-o} -pl backend-cuda -am package -DskipTests -Pdevice-bundle)

cp "$MODULE_DIR"/target/ntk4j-backend-cuda-*-tests.jar "$BUNDLE/lib/"
cp "$(ls "$MODULE_DIR"/target/ntk4j-backend-cuda-*.jar | grep -v -- '-tests.jar')" "$BUNDLE/lib/"
cp "$MODULE_DIR/device-check.sh" "$BUNDLE/"
chmod +x "$BUNDLE/device-check.sh"

# the JDK modules the jars and JUnit's console launcher use
MODULES="java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs"
echo "[bundle] runtime modules: $MODULES"
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$BUNDLE/runtime"

size_mib=$(( $(du -sk "$BUNDLE" | cut -f1) / 1024 ))
echo "[bundle] $BUNDLE: ${size_mib} MiB"
if (( size_mib >= MAX_MIB )); then
  echo "[bundle] larger than ${MAX_MIB} MiB" >&2
  exit 1
fi
if [[ "${1:-}" == --tar ]]; then
  tar -C "$MODULE_DIR/target" -czf "$MODULE_DIR/target/device-bundle.tar.gz" device-bundle
  echo "[bundle] packed $MODULE_DIR/target/device-bundle.tar.gz"
fi
