# Shell helpers the latency benchmarks share (sourced; callers set $work, $berth and a cleanup trap
# that kills $server_pid and removes the podman tag).
# start_berth ARCHIVE: a real `berth server` on scratch dirs under $work, with the image loaded;
# sets server_pid and exports BERTH_HOST. podman_image ARCHIVE: the same image in podman, tagged
# berth-bench-busybox.
start_berth() {
  "${berth[@]}" server --data-dir "$work/berth" --run-dir "$work/run" --socket "$work/b.sock" --api-port 0 --kubeconfig "$work/kubeconfig.yaml" --log-level warn 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 100); do [ -S "$work/b.sock" ] && break; sleep 0.1; done
  export BERTH_HOST="unix://$work/b.sock"
  "${berth[@]}" load -q -i "$1"
}
podman_image() {
  podman load -q -i "$1" >/dev/null
  podman tag busybox:latest berth-bench-busybox >/dev/null
}
