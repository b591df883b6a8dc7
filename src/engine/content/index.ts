/** Content-addressed blob storage (sha256, verified before visible, crash-safe). */
export { ContentStore } from './store.js';
export type { PendingBlob, BlobInfo } from './store.js';
export { writeFileAtomic, fsyncDir } from './atomic-file.js';
