#!/usr/bin/env bash
# Installs the Debian 12 packages gridcase builds, runs and tests with; apt-get only what is
# missing, so a second run changes nothing. Non-interactive (CI has no stdin).
set -euo pipefail

packages=(
  g++ cmake make pkg-config git ca-certificates curl
  libboost1.81-dev libpqxx-dev nlohmann-json3-dev libspdlog-dev libsodium-dev
  libssl-dev  # webhook deliveries over HTTPS (src/outbound)
  openssl  # the webhook tests make their receiver's certificate with the openssl command
  libgtest-dev libgmock-dev
  libyaml-cpp-dev libvalijson-dev  # the tests read docs/openapi.yaml and validate answers against it
  libvips-dev  # evidence photos: decoding, re-encoding without metadata (docs/attachments.md)
  postgresql-15 postgresql-15-postgis-3 postgresql-contrib
  postgresql-15-auto-failover haproxy  # the HA topology (scripts/cluster.sh) and its failover test
  python3 procps  # that test: its load clients (scripts/ha-load.py), HAProxy's stats socket, pgrep
  prometheus  # promtool checks and tests config/alerts.yml (19 MB download, 96 MB installed; not started)
  clang-14 libclang-rt-14-dev  # the fuzz targets (scripts/fuzz.sh): clang and its libFuzzer runtime
  clang-format clang-tidy  # the lint tests (scripts/lint.sh): format and static analysis
)
if [[ "${GRIDCASE_BENCH:-}" == 1 ]]; then packages+=(wrk); fi
# The browser test of the HTML bulletin (tests/browser): Debian's Chromium, driven by
# playwright-core from npm (pinned in tests/browser/package-lock.json), with a CJK font so the
# Chinese names render. Node and npm only when
# the machine has none (a Node from another source is fine; Debian's npm would conflict with it).
packages+=(chromium fonts-wqy-zenhei)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: missing ${missing[*]}; run as root" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent (fresh image) or stale: refresh once before installing.
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
