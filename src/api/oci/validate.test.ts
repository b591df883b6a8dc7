import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSha256Digest, sha256Of } from './digest.js';
import { layerCompressionOf } from './media-types.js';
import { validateDockerArchiveManifest, validateIndex, validateManifest } from './validate.js';

const dg = 'sha256:' + '0'.repeat(64);

describe('OCI wire validation', () => {
  it('checks digests', () => {
    assert.equal(sha256Of(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assertSha256Digest(dg);
    assert.throws(() => assertSha256Digest('sha256:ABC'), { code: 'InvalidArgument' });
    assert.throws(() => assertSha256Digest('sha512:' + 'a'.repeat(128)), { code: 'NotImplemented' });
    assert.throws(() => assertSha256Digest(42), { code: 'InvalidArgument' });
  });

  it('validates manifests and names the bad field', () => {
    const m = validateManifest({ schemaVersion: 2, config: { mediaType: 'x', digest: dg, size: 1 }, layers: [{ mediaType: 'y', digest: dg, size: 2 }] }, 'manifest m');
    assert.equal(m.layers[0]!.size, 2);
    assert.throws(() => validateManifest({ schemaVersion: 1 }, 'manifest m'), /manifest m has schemaVersion 1/);
    assert.throws(() => validateManifest({ schemaVersion: 2, config: { mediaType: 'x', digest: 'nope', size: 1 }, layers: [] }, 'manifest m'), /manifest m config digest/);
    assert.throws(() => validateManifest({ schemaVersion: 2, config: { mediaType: 'x', digest: dg, size: -1 }, layers: [] }, 'manifest m'), /invalid size/);
  });

  it('validates indexes and docker-save manifests', () => {
    const idx = validateIndex({ schemaVersion: 2, manifests: [{ mediaType: 'x', digest: dg, size: 3, platform: { os: 'linux', architecture: 'amd64' }, annotations: { a: 'b' } }] }, 'index.json');
    assert.equal(idx.manifests[0]!.platform?.architecture, 'amd64');
    assert.throws(() => validateIndex({ schemaVersion: 2, manifests: [{ mediaType: 'x', digest: dg, size: 3, annotations: { a: 1 } }] }, 'index.json'), /annotations/);
    assert.deepEqual(validateDockerArchiveManifest([{ Config: 'c.json', RepoTags: null, Layers: ['l'] }]), [{ Config: 'c.json', RepoTags: null, Layers: ['l'] }]);
    assert.throws(() => validateDockerArchiveManifest({}), /not a list/);
  });

  it('reads compression from media types', () => {
    assert.equal(layerCompressionOf('application/vnd.oci.image.layer.v1.tar+gzip'), 'gzip');
    assert.equal(layerCompressionOf('application/vnd.docker.image.rootfs.diff.tar.gzip'), 'gzip');
    assert.equal(layerCompressionOf('application/vnd.oci.image.layer.v1.tar+zstd'), 'zstd');
    assert.equal(layerCompressionOf('application/vnd.oci.image.layer.v1.tar'), 'none');
  });
});
