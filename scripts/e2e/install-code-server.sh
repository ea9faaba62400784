#!/usr/bin/env bash
# Installs code-server (VS Code server + web workbench) from the npm registry into
# .vscode-test/code-server-$CS_VERSION, the way @vscode/test-electron keeps its VS Code in
# .vscode-test/. Idempotent: a finished install leaves a stamp file and a second run exits at once.
#
# Why not `npm install -g code-server`: its postinstall refuses to run as root, downloads ripgrep
# and prebuilt native modules from GitHub (unreachable in CI), and fetches Node headers from
# nodejs.org. We do its steps by hand: build native modules from source against the local Node
# headers, use Debian's rg, and make the same symlinks.
#
#   CS_VERSION   default 4.100.3 (VS Code 1.100.3): the newest code-server whose engines.node is 20
#   CS_PREFIX    default <repo>/.vscode-test/code-server-$CS_VERSION
#   CS_SKIP_APT  1: never run apt-get, fail if a Debian package is missing
#
# Debian packages it needs: build-essential python3 pkg-config libkrb5-dev libsecret-1-dev ripgrep
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CS_VERSION="${CS_VERSION:-4.100.3}"
CS_PREFIX="${CS_PREFIX:-$REPO/.vscode-test/code-server-$CS_VERSION}"
STAMP="$CS_PREFIX/.install-complete"
APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev libsecret-1-dev ripgrep)

log() { printf '[install-code-server %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

if [ -f "$STAMP" ] && [ -x "$CS_PREFIX/bin/code-server" ]; then
  log "already installed: $CS_PREFIX ($(cat "$STAMP"))"
  exit 0
fi
started=$SECONDS

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$CS_VERSION" = 4.100.3 ] && [ "$node_major" != 20 ]; then
  log "WARNING: code-server 4.100.3 is built for Node 20; this is Node $node_major (native modules may not load)"
fi

# --- Debian packages ------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "${CS_SKIP_APT:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]}"
    log "install them with: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

# --- npm settings for an offline-from-GitHub native build --------------------------------
# node-pre-gyp / prebuild-install would download prebuilt binaries from GitHub: build instead.
export npm_config_build_from_source=true
# node-gyp would download Node's headers from nodejs.org; Debian's nodejs ships them in /usr/include/node.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
# node-pty's install script runs `npx node-gyp`; with `yes=false` in ~/.npmrc npx refuses to fetch it.
export npm_config_yes=true
# node-gyp's make uses every core (spdlog: 12 s instead of 18 s on 2 cores).
export JOBS="${JOBS:-max}"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
NPM_FLAGS=(--omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

# Build in a sibling .partial folder and move it into place at the end, so an interrupted
# install never looks finished.
work="$CS_PREFIX.partial"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

log "npm pack code-server@$CS_VERSION"
tgz="$(cd "$work" && npm pack "code-server@$CS_VERSION" --silent 2>/dev/null | tail -n1)"
tar -xzf "$work/$tgz" -C "$work"
rm -f "$work/$tgz"
pkg="$work/package"

log "npm install (code-server)"
(cd "$pkg" && npm install "${NPM_FLAGS[@]}" >/dev/null)
# argon2 is required at load time (out/node/util.js) even with --auth none.
log "build argon2 from source"
(cd "$pkg" && npm rebuild argon2 --loglevel=error >/dev/null)

log "npm install (lib/vscode)"
(cd "$pkg/lib/vscode" && npm install "${NPM_FLAGS[@]}" >/dev/null)
# The server's native modules on Linux. Left alone: @parcel/watcher (its prebuilt
# @parcel/watcher-linux-x64-glibc is an npm package), @vscode/deviceid and @vscode/windows-*
# (native only on Windows), @vscode/ripgrep (below).
log "build native modules from source: @vscode/spdlog kerberos native-watchdog node-pty"
(cd "$pkg/lib/vscode" && npm rebuild @vscode/spdlog kerberos native-watchdog node-pty --loglevel=error >/dev/null)

log "ripgrep: copy Debian's $(command -v rg)"
mkdir -p "$pkg/lib/vscode/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$pkg/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"

# The symlinks code-server's postinstall.sh makes.
ln -sfn node_modules "$pkg/lib/vscode/node_modules.asar"
ln -sfn code-linux.sh "$pkg/lib/vscode/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$pkg/lib/vscode/bin/helpers/browser.sh"

# Built-in extensions' dependencies (only typescript; its postinstall trims it).
log "npm install (lib/vscode/extensions)"
(cd "$pkg/lib/vscode/extensions" && npm install --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)

mkdir -p "$pkg/bin"
cat > "$pkg/bin/code-server" <<'WRAPPER'
#!/usr/bin/env sh
here="$(cd "$(dirname "$0")/.." && pwd)"
exec node "$here/out/node/entry.js" "$@"
WRAPPER
chmod +x "$pkg/bin/code-server"

log "smoke test"
(cd "$pkg/lib/vscode" && node -e '
  for (const m of ["@vscode/spdlog", "node-pty", "native-watchdog", "kerberos", "@parcel/watcher"]) {
    try { require(m); } catch (e) { console.error("cannot load " + m + ": " + e.message); process.exit(1); }
  }')
(cd "$pkg" && node -e 'require("argon2")')
"$pkg/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" --version >/dev/null
# (--version also logs that it wrote a default config: keep only the version line)
version="$(XDG_CONFIG_HOME="$work/xdg" XDG_DATA_HOME="$work/xdg" "$pkg/bin/code-server" --version | grep -m1 ' with Code ')"
log "code-server --version: $version"

rm -rf "$CS_PREFIX"
mv "$pkg" "$CS_PREFIX"
echo "code-server $version; installed $(date -u +%FT%TZ)" > "$STAMP"
log "done in $((SECONDS - started)) s: $CS_PREFIX ($(du -sh "$CS_PREFIX" | cut -f1))"
