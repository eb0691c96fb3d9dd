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

exec cargo test --workspace --locked
