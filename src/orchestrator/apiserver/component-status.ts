/**
 * componentstatuses (deprecated in kube, still served): the one component the API server can check
 * itself is its datastore, probed with a revision read.
 */
import { BerthError } from '../../base/errors.js';
import type { ApiContext } from './context.js';

export async function componentStatuses(ctx: ApiContext, name: string | undefined): Promise<object> {
  let condition: Record<string, string>;
  try {
    const rev = await ctx.kv.currentRevision();
    condition = { type: 'Healthy', status: 'True', message: `ok (revision ${rev})` };
  } catch (err) {
    condition = { type: 'Healthy', status: 'False', error: err instanceof Error ? err.message : String(err) };
  }
  const item = { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'datastore-0' }, conditions: [condition] };
  if (name === undefined) return { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items: [item] };
  if (name !== 'datastore-0') {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `componentstatuses "${name}" not found`, reason: 'NotFound', details: { name, kind: 'componentstatuses' }, code: 404 };
    throw new BerthError('NotFound', status.message, { details: { status } });
  }
  return item;
}
