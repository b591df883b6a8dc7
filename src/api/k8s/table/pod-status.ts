/** The pod STATUS cell: kubectl's printPod reason logic (init containers, waiting/terminated reasons, Terminating). */
import { arr, obj, type Obj } from './format.js';

export function podStatusReason(pod: Obj): string {
  const status = obj(pod.status);
  let reason = String(status.reason ?? status.phase ?? 'Pending');
  const inits = arr(status.initContainerStatuses).map(obj);
  const initCount = arr(obj(pod.spec).initContainers).length;
  let initializing = false;
  inits.forEach((c, i) => {
    if (initializing) return;
    const state = obj(c.state);
    const term = obj(state.terminated);
    const waiting = obj(state.waiting);
    if (state.terminated && term.exitCode === 0) return;
    if (state.terminated) {
      reason = term.reason ? `Init:${String(term.reason)}` : term.signal ? `Init:Signal:${String(term.signal)}` : `Init:ExitCode:${String(term.exitCode)}`;
      initializing = true;
    } else if (state.waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${String(waiting.reason)}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${initCount}`;
      initializing = true;
    }
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of arr(status.containerStatuses).map(obj).reverse()) {
      const state = obj(c.state);
      const waiting = obj(state.waiting);
      const term = obj(state.terminated);
      if (state.waiting && waiting.reason) reason = String(waiting.reason);
      else if (state.terminated && term.reason) reason = String(term.reason);
      else if (state.terminated) reason = term.signal ? `Signal:${String(term.signal)}` : `ExitCode:${String(term.exitCode)}`;
      else if (state.running && c.ready === true) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = arr(status.conditions).map(obj).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  const meta = obj(pod.metadata);
  if (meta.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (meta.deletionTimestamp) reason = 'Terminating';
  return reason;
}
