#!/usr/bin/env bash
# Installs everything Edgewise needs to build and test, from Debian's packages.
# Idempotent and fast when everything is present. Run as root on Debian 12.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libprotobuf-dev protobuf-compiler libonnx-dev   # ONNX protobufs
  libonnx-testdata                                # ONNX backend node tests (conformance)
  libgtest-dev libgmock-dev                       # tests
  libcli11-dev nlohmann-json3-dev                 # CLI and JSON output
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev # fast CPU kernels and threads
  libdnnl-dev                                     # oneDNN backend (x86: AVX-512, VNNI, AMX, bf16)
  zlib1g-dev                                      # .npz and gzip'd IDX calibration data
  dataset-fashion-mnist                           # calibration and accuracy (quantize, eval)
  clang libclang-rt-14-dev                        # libFuzzer targets
  libjs-chart.js chromium                         # HTML reports: Chart.js inlined; headless render test
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
