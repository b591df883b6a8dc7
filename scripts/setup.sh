#!/usr/bin/env bash
# Makes this machine ready to run berth: Debian packages, npm dependencies, the build, host fixes.
# Idempotent and quiet when nothing is missing; called by ./berth and by `npm test`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p .cache
# One setup at a time: concurrent first runs (tests starting several ./berth at once) would race npm ci.
exec 9>"$root/.cache/setup.lock"
flock 9

if [ "$(id -u)" != 0 ]; then
  echo "berth setup: must run as root (containers need namespaces, cgroups and mounts)" >&2
  exit 1
fi

# Debian packages berth drives (see ARCHITECTURE.md "Reuse real plumbing").
packages=(crun runc conmon catatonit tini containernetworking-plugins nftables iptables iproute2
  skopeo umoci busybox-static podman etcd-server etcd-client python3 make g++ ca-certificates openssl unzip util-linux procps libseccomp-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "berth setup: installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# etcd-server's package starts a system etcd on :2379; berth starts its own when asked, so keep it off.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then systemctl disable --now etcd >/dev/null 2>&1 || true; fi
pkill -x etcd -u etcd 2>/dev/null || true

# Host fixes (../shared/guides/host-facts.md): crun refuses a v1/v2 hybrid cgroup layout until the
# hugetlb v1 hierarchy is mounted. The daemon re-checks this at start (mounts vanish on reboot).
bash "$root/scripts/host-fixes.sh"

# podman (benchmark peer) fails here with its default rlimits above the host's hard limits.
if [ ! -f /etc/containers/containers.conf ] || ! grep -q default_ulimits /etc/containers/containers.conf; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' >> /etc/containers/containers.conf
fi

# npm dependencies: reinstall when the lockfile changed.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat .cache/npm-lock.sum 2>/dev/null)" != "$lock_sum" ]; then
  echo "berth setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_sum" > .cache/npm-lock.sum
fi

# The build: TypeScript to dist/, the native addon to native/build/.
if [ ! -f native/build/Release/berth_native.node ] || [ -n "$(find native -maxdepth 1 -newer native/build/Release/berth_native.node \( -name '*.[ch]' -o -name binding.gyp \) -print -quit)" ]; then
  echo "berth setup: building the native addon" >&2
  (cd native && npx --no-install node-gyp rebuild --silent >&2)
fi
if [ ! -f .cache/built ] || [ -n "$(find src tsconfig.json -newer .cache/built -print -quit)" ]; then
  echo "berth setup: compiling TypeScript" >&2
  rm -rf dist
  npx --no-install tsc -p tsconfig.json
  cp -r src/engine/runtime/assets dist/engine/runtime/ 2>/dev/null || true
  # The CLI starts on every command: its client side becomes one CommonJS file, dist/cli.cjs
  # (CommonJS loads ~10 ms faster than the same code as ES modules: no async module graph).
  # Command modules inside it are evaluated only when their command runs. The server side stays
  # tsc's ES modules (dist/cmd/main.js), which the launcher runs for `server` and `datastore`;
  # the bundle imports kubeconfig's module from there too.
  node --input-type=module - <<'JS' >&2 || echo "berth setup: CLI bundle skipped (the launcher falls back to dist/cmd/main.js)" >&2
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
const cmd = path.resolve('src/cmd');
// kubeconfig brings the Kubernetes API's modules (and import.meta, which CommonJS lacks).
const serverSide = new Set(['commands/server.js', 'commands/datastore.js', 'commands/kubeconfig.js']);
const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;
await build({
  entryPoints: ['src/cmd/main.ts'], outfile: 'dist/cli.cjs', define: { BERTH_BUNDLED_VERSION: JSON.stringify(version) },
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'error',
  plugins: [{ name: 'server-side', setup(b) {
    b.onResolve({ filter: /\.js$/ }, (a) => {
      const rel = path.relative(cmd, path.resolve(a.resolveDir, a.path)).split(path.sep).join('/');
      return serverSide.has(rel) ? { path: `./cmd/${rel}`, external: true } : undefined;
    });
  } }],
});
JS
fi
touch .cache/built .cache/ready
