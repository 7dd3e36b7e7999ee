#!/usr/bin/env bash
# Installs what nimbus needs to build and test on Debian 12, only what is missing:
# Debian packages with apt-get, the pinned npm packages with npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build make pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev zlib1g-dev libbz2-dev libpugixml-dev libisal-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-boto3 python3-botocore awscli nodejs npm curl)
packages+=(unzip)  # Lambda unpacks deployment packages (src/services/lambda/code_package.cc)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from elsewhere (nodesource, nvm): accept working binaries.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# npm ci only when the lock changed since the last install.
stamp=node_modules/.nimbus-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --ignore-scripts
  cp package-lock.json "$stamp"
fi
