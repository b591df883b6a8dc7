#!/usr/bin/env bash
# Makes the reproducible busybox test image from Debian's busybox-static (no registry needed).
# Usage: scripts/make-test-image.sh OUTDIR
# Writes OUTDIR/busybox.tar (docker-save archive, tagged busybox:latest) and
# OUTDIR/busybox-oci.tar (OCI archive of the same image, gzip layer, made by skopeo).
# The same busybox binary always gives the same digests (fixed mtimes, owners, order).
set -euo pipefail
out="${1:?usage: make-test-image.sh OUTDIR}"
mkdir -p "$out"
node "$(dirname "${BASH_SOURCE[0]}")/make-test-image.mjs" "$out"
if [ ! -f "$out/busybox-oci.tar" ] || [ "$out/busybox.tar" -nt "$out/busybox-oci.tar" ]; then
  rm -f "$out/busybox-oci.tar"
  skopeo copy --quiet --dest-compress-format gzip "docker-archive:$out/busybox.tar" "oci-archive:$out/busybox-oci.tar:busybox:latest" >/dev/null
fi
echo "$out/busybox.tar"
