#!/usr/bin/env bash
# The whole test suite, the README's second command (`npm test`). Runs as root on a real kernel:
# tests that need root, crun, overlayfs or cgroups fail (never skip) when those are missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export BERTH_TEST_ROOT="${BERTH_TEST_ROOT:-$(mktemp -d /tmp/berth-test.XXXXXX)}"
trap 'rm -rf "$BERTH_TEST_ROOT" 2>/dev/null || true' EXIT

echo "== typecheck and layering"
npx --no-install tsc -p tsconfig.tests.json  # src, tests and benchmarks
npx --no-install depcruise src --config .dependency-cruiser.cjs --output-type err

echo "== test image"
bash scripts/make-test-image.sh "$BERTH_TEST_ROOT/images" >/dev/null

echo "== tests"
# Unit tests live beside the code (src/**/*.test.ts); integration and end-to-end tests in test/.
mapfile -t files < <(find src test -name '*.test.ts' | sort)
if [ -n "${BERTH_TEST_FILTER:-}" ]; then mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -E "$BERTH_TEST_FILTER"); fi
node --import tsx --test --test-concurrency=2 --test-timeout=600000 --test-reporter=spec "${files[@]}"
