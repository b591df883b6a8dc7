/** Caps that keep a hostile or broken layer from filling the disk or the inode table. */
export interface UnpackLimits {
  /** Largest single regular file. */
  maxEntryBytes: number;
  /** Sum of all regular files in one layer. */
  maxTotalBytes: number;
  /** Number of tar entries in one layer. */
  maxEntries: number;
  /** Longest entry path, in bytes (Linux PATH_MAX). */
  maxPathBytes: number;
}

const GiB = 1024 * 1024 * 1024;

export const defaultUnpackLimits: UnpackLimits = {
  maxEntryBytes: 64 * GiB,
  maxTotalBytes: 64 * GiB,
  maxEntries: 1_000_000,
  maxPathBytes: 4096,
};
