/** OCI image wire types: descriptors, manifests, indexes, media types, digests and their validation. */
export * from './media-types.js';
export * from './digest.js';
export * from './types.js';
export * from './validate.js';
