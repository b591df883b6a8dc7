export { OciRuntime } from './oci-runtime.js';
export type { RuntimeName, RuntimeState } from './oci-runtime.js';
