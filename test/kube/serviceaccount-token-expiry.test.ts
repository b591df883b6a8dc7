/**
 * Service account tokens expire, and the signing key lives in the store: a token is refused after
 * its expirationTimestamp (the clock is moved, not waited for: kube's minimum lifetime is 10
 * minutes), and a new apiserver on the same store accepts tokens the previous one issued.
 * Straight on ApiServer (the transport's part, passing bearer tokens on, is in
 * serviceaccount-token.test.ts).
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createApiServer, type ApiServer } from '../../src/orchestrator/apiserver/index.js';
import { openStorage } from '../../src/storage/index.js';
import { scratchDir } from '../helpers/test-image.js';

const admin = { name: 'admin', groups: ['system:masters'] };

async function post(api: ApiServer, path: string, body: unknown): Promise<any> {
  const r = await api.handle({ method: 'POST', path, query: new URLSearchParams(), headers: {}, user: admin, body, signal: new AbortController().signal });
  assert.equal(r.kind, 'object');
  return (r as { body: unknown }).body;
}

test('a service account token is refused after it expires; a restarted apiserver still accepts live ones', async () => {
  const kv = await openStorage({ dataDir: scratchDir('sa-token-expiry'), compaction: false });
  let api = await createApiServer({ kv });
  try {
    await post(api, '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ticker' } });
    const tr = await post(api, '/api/v1/namespaces/default/serviceaccounts/ticker/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
    const token = tr.status.token as string;
    assert.equal((await api.authenticateToken!(token))?.name, 'system:serviceaccount:default:ticker');

    await api.close();
    api = await createApiServer({ kv });
    assert.equal((await api.authenticateToken!(token))?.name, 'system:serviceaccount:default:ticker', 'the key is kept in the store');
    assert.equal(await api.authenticateToken!('not-a-jwt'), null);

    mock.timers.enable({ apis: ['Date'], now: Date.now() + 599_000 });
    assert.notEqual(await api.authenticateToken!(token), null, 'still valid just before expiry');
    mock.timers.setTime(Date.now() + 2_000);
    assert.equal(await api.authenticateToken!(token), null, 'refused after expiry');
  } finally {
    mock.timers.reset();
    await api.close();
    await kv.close();
  }
});
