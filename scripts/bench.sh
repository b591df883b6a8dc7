#!/usr/bin/env bash
# Every benchmark in bench/, each against its peer in the same run. Not part of `npm test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash bench/run-latency.sh
node --import tsx bench/storage-bench.ts
node --import tsx bench/kube-api-bench.ts
node --import tsx bench/kube-watch-fanout-bench.ts
node --import tsx bench/kube-fixed-rate-bench.ts
node --import tsx bench/kube-idle-rss-bench.ts
node --import tsx bench/storage-size-bench.ts
