#!/usr/bin/env bash
# The project's test command (README "Test it"; .ci/run runs exactly this).
# Installs what the tests need from Debian's packages when it is missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pdftotext >/dev/null || need+=(poppler-utils)
# The plugins' content is checked against the seed by its extraction scripts.
command -v python3 >/dev/null || need+=(python3)
# The UI's image snapshots render with wgpu; without a GPU, on Mesa's software Vulkan (lavapipe).
if [ -d /etc/apt ] && ! ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1; then
  need+=(mesa-vulkan-drivers libvulkan1)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test dependencies: ${need[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null
  else
    sudo sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${need[*]}" >/dev/null
  fi
fi

# The built-in sector plugins are compiled for wasm32 (listed in rust-toolchain.toml; rustup
# does not always add a listed target to a toolchain that is already installed).
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# A target folder kept from earlier runs collects stale test binaries (about 200 MB each) until
# the disk fills and the link fails. A clean debug build needs about 14 GB: with less than 16 GB
# free, start the build from scratch rather than fail half-way.
target_dir=${CARGO_TARGET_DIR:-target}
if [ -d "$target_dir/debug" ]; then
  free_kb=$(df -Pk "$target_dir" | awk 'NR == 2 { print $4 }')
  if [ "${free_kb:-0}" -lt $((16 * 1024 * 1024)) ]; then
    echo "less than 16 GB free beside $target_dir: removing the earlier debug build first" >&2
    rm -rf "$target_dir/debug"
  fi
fi

exec cargo test --workspace --locked
