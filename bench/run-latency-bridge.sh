#!/usr/bin/env bash
# Container start latency on a bridge network (issue 3): `berth run --rm busybox true` on berth's
# default bridge against `podman run --rm` (its default bridge) and `docker run --rm` from Debian's
# docker.io (dockerd 20.10 with its default bridge), measured in the same run, taking turns.
# Goal: berth ≤ 0.4× docker. Also issue 4's: the same docker CLI (28.2, /usr/local/bin/docker)
# pointed at berth and at dockerd; goal ≤ 0.5× dockerd. Run as root: bash bench/run-latency-bridge.sh
#
# dockerd changes the host (FORWARD policy DROP, its own iptables chains, ip_forward, docker0): this
# script starts a private dockerd (own data root, exec root and socket), and puts the iptables
# rulesets, ip_forward and docker0 back as they were when it ends, whatever happens. Run it alone:
# the restore would also drop rules that other processes added meanwhile.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-20}"
warm=3
bash scripts/setup.sh >/dev/null
berth=("$root/berth")
work="$(mktemp -d /tmp/berth-bench-bridge.XXXXXX)"
server_pid="" dockerd_pid=""

# docker.io is a benchmark peer only: installed here, never started by the package (no init system
# runs it; policy-rc.d forbids it explicitly).
if ! command -v dockerd >/dev/null; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
dockercli=/usr/bin/docker # 20.10, matching the daemon (see host-facts)

iptables-save >"$work/iptables.before"
ip6tables-save >"$work/ip6tables.before" 2>/dev/null || true
forward_before="$(cat /proc/sys/net/ipv4/ip_forward)"
had_docker0=0; ip link show docker0 >/dev/null 2>&1 && had_docker0=1

cleanup() {
  set +e
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; }
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null; wait "$dockerd_pid" 2>/dev/null
    pkill -f "containerd --config $work" 2>/dev/null
  fi
  podman rmi -f berth-bench-busybox >/dev/null 2>&1
  # Put the host back as dockerd found it.
  iptables-restore <"$work/iptables.before"
  [ -s "$work/ip6tables.before" ] && ip6tables-restore <"$work/ip6tables.before"
  echo "$forward_before" >/proc/sys/net/ipv4/ip_forward
  [ "$had_docker0" = 0 ] && ip link del docker0 2>/dev/null
  umount -R "$work/docker" 2>/dev/null
  rm -rf "$work" 2>/dev/null
}
trap cleanup EXIT

bash scripts/make-test-image.sh "$work/img" >/dev/null
archive="$work/img/busybox.tar"

source "$root/bench/timing.sh"
source "$root/bench/peers.sh"

# berth: a real daemon on scratch dirs with its default bridge network; podman: the same image.
start_berth "$archive"
podman_image "$archive"

# A private dockerd: nothing of it outlives this script.
mkdir -p "$work/docker"
dockerd --data-root "$work/docker/data" --exec-root "$work/docker/exec" --pidfile "$work/docker/docker.pid" \
  -H "unix://$work/docker/docker.sock" --containerd-namespace berth-bench --log-level error >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 200); do [ -S "$work/docker/docker.sock" ] && "$dockercli" -H "unix://$work/docker/docker.sock" version >/dev/null 2>&1 && break; sleep 0.1; done
dk=("$dockercli" -H "unix://$work/docker/docker.sock")
"${dk[@]}" load -q -i "$archive" >/dev/null

warmup "${berth[@]}" run --rm busybox true
warmup podman run --rm berth-bench-busybox true
warmup "${dk[@]}" run --rm busybox true
# One docker CLI for both daemons, so only the daemon differs.
cli28=(/usr/local/bin/docker)
warmup env DOCKER_HOST="unix://$work/b.sock" "${cli28[@]}" run --rm busybox true
warmup env DOCKER_HOST="unix://$work/docker/docker.sock" "${cli28[@]}" run --rm busybox true
for _ in $(seq "$runs"); do
  ms "${berth[@]}" run --rm busybox true >>"$work/berth.ms"
  ms podman run --rm berth-bench-busybox true >>"$work/podman.ms"
  ms "${dk[@]}" run --rm busybox true >>"$work/docker.ms"
  ms env DOCKER_HOST="unix://$work/b.sock" "${cli28[@]}" run --rm busybox true >>"$work/cli-berth.ms"
  ms env DOCKER_HOST="unix://$work/docker/docker.sock" "${cli28[@]}" run --rm busybox true >>"$work/cli-dockerd.ms"
done
berth_ms=$(median <"$work/berth.ms")
podman_ms=$(median <"$work/podman.ms")
docker_ms=$(median <"$work/docker.ms")
cli_berth_ms=$(median <"$work/cli-berth.ms")
cli_dockerd_ms=$(median <"$work/cli-dockerd.ms")

echo "== bridge run latency (default network), median of $runs runs each, taking turns (ms) — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, kernel $(uname -r)"
printf '%-36s %8s\n' "berth run --rm busybox true" "$berth_ms"
printf '%-36s %8s\n' "podman run --rm busybox true" "$podman_ms"
printf '%-36s %8s\n' "docker run --rm busybox true" "$docker_ms"
echo "berth / docker: $(ratio "$berth_ms" "$docker_ms")   berth / podman: $(ratio "$berth_ms" "$podman_ms")"
printf '%-36s %8s\n' "docker CLI 28 → berth" "$cli_berth_ms"
printf '%-36s %8s\n' "docker CLI 28 → dockerd 20.10" "$cli_dockerd_ms"
echo "docker CLI: berth / dockerd: $(ratio "$cli_berth_ms" "$cli_dockerd_ms")"
