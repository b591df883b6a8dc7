/**
 * Kubernetes protobuf request bodies ('k8s\0' + runtime.Unknown), which kubectl's typed commands
 * (create namespace/secret/configmap…, auth whoami) and helm's release Secrets always use. The
 * decoding itself is src/api/k8s's decodeKubeProtobuf; here it is only wrapped so that every
 * failure becomes a 400 (or the decoder's own BerthError) and never escapes as a crash.
 */
import { decodeKubeProtobuf } from '../../api/k8s/index.js';
import { BerthError, isBerthError } from '../../base/errors.js';

export function decodeProtobufBody(raw: Buffer): unknown {
  if (raw.length < 4 || raw.readUInt32BE(0) !== 0x6b387300) {
    throw new BerthError('InvalidArgument', 'the protobuf body does not start with the Kubernetes magic "k8s\\0"');
  }
  try {
    return decodeKubeProtobuf(raw);
  } catch (err) {
    if (isBerthError(err)) throw err;
    throw new BerthError('InvalidArgument', `the protobuf body cannot be decoded: ${(err as Error).message}`, { cause: err });
  }
}
