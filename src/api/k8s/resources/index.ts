export type { ResourceInfo, SubresourceInfo } from './types.js';
export { READ_WRITE_VERBS, STATUS_VERBS } from './types.js';
export { BUILTIN_RESOURCES, BUILTIN_GROUP_VERSIONS, defaultPlural } from './catalog.js';
