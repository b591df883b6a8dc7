#!/usr/bin/env bash
# Container start latency: `berth run --rm --network none busybox true` (issue 2: no network)
# against `podman run --rm --network none` and a bare `crun run` of the same bundle, measured in
# the same run on the same machine. 20 timed runs each (berth and podman alternating) after 3
# warm-ups; prints medians, ratios and the idle berth daemon's RSS. Run as root: bash bench/run-latency.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-20}"
warm=3
# BERTH_CMD overrides the berth binary (e.g. "node /other/build/cmd/main.js"); otherwise the
# project's setup builds dist/ and applies the host fixes, as the ./berth launcher does.
if [ -n "${BERTH_CMD:-}" ]; then read -r -a berth <<<"$BERTH_CMD"; bash scripts/host-fixes.sh; else bash scripts/setup.sh >/dev/null; berth=("$root/berth"); fi  # the launcher, as users run berth
work="$(mktemp -d /tmp/berth-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  podman rmi -f berth-bench-busybox >/dev/null 2>&1 || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

bash scripts/make-test-image.sh "$work/img" >/dev/null
archive="$work/img/busybox.tar"

source "$root/bench/timing.sh"
source "$root/bench/peers.sh"

# berth: a real daemon on scratch dirs, the built CLI as users run it; podman: the same image.
start_berth "$archive"
podman_image "$archive"

# berth and podman take turns, so load from other processes on the machine falls on both alike.
warmup "${berth[@]}" run --rm --network none busybox true
warmup podman run --rm --network none berth-bench-busybox true
: >"$work/berth.ms"; : >"$work/podman.ms"
for _ in $(seq "$runs"); do
  ms "${berth[@]}" run --rm --network none busybox true >>"$work/berth.ms"
  ms podman run --rm --network none berth-bench-busybox true >>"$work/podman.ms"
done
berth_ms=$(median <"$work/berth.ms")
podman_ms=$(median <"$work/podman.ms")
# Idle: 20 s after the last request, once V8's memory reducer has given back the heap that the
# runs grew (it acts after some seconds without activity).
sleep 20
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")

# bare crun: the same rootfs as an OCI bundle, no image store, no monitor.
mkdir -p "$work/bundle/rootfs"
mkdir -p "$work/unpacked"
tar -xf "$archive" -C "$work/unpacked"
layer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Layers"][0])' "$work/unpacked/manifest.json")
tar -xf "$work/unpacked/$layer" -C "$work/bundle/rootfs"
(cd "$work/bundle" && crun spec)
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["args"] = ["true"]
c["process"]["terminal"] = False
json.dump(c, open(p, "w"))
PY
n=0
crun_once() { n=$((n + 1)); crun run --bundle "$work/bundle" "berth-bench-$$-$n"; }
crun_ms=$(measure crun_once)

echo "== run latency, median of $runs runs (ms) — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, kernel $(uname -r)"
printf '%-44s %8s %10s\n' "command" "median" "vs crun"
printf '%-44s %8s %10s\n' "crun run (bare bundle)" "$crun_ms" "1.00"
printf '%-44s %8s %10s\n' "berth run --rm --network none busybox true" "$berth_ms" "$(ratio "$berth_ms" "$crun_ms")"
printf '%-44s %8s %10s\n' "podman run --rm --network none busybox true" "$podman_ms" "$(ratio "$podman_ms" "$crun_ms")"
echo "berth / podman: $(ratio "$berth_ms" "$podman_ms")"
echo "idle berth daemon RSS: $((rss_kb / 1024)) MiB"
