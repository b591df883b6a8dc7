# Shell helpers for the latency benchmarks (sourced; callers set $warm and $runs).
# ms CMD…: milliseconds one run of CMD takes. median: of numbers on stdin.
# warmup CMD…: $warm untimed runs, stopping the benchmark if one fails. measure CMD…: warmup, then
# the median of $runs timed runs.
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
warmup() { local i; for i in $(seq "$warm"); do "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@"; exit 1; }; done; }
measure() {
  local i
  warmup "$@"
  for i in $(seq "$runs"); do ms "$@"; done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
