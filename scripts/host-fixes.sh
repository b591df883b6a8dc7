#!/usr/bin/env bash
# Host fixes berth needs on every boot (see ../shared/guides/host-facts.md). Idempotent.
set -eu
# crun 1.8 rejects the cgroup v1/v2 hybrid layout unless the hugetlb v1 hierarchy is mounted.
if [ -d /sys/fs/cgroup/unified ] && [ -d /sys/fs/cgroup/memory ] && ! grep -q ' /sys/fs/cgroup/hugetlb ' /proc/mounts; then
  mkdir -p /sys/fs/cgroup/hugetlb
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi
# Overlay mounts and container networking need these modules where they are modular.
modprobe overlay 2>/dev/null || true
