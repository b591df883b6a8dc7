/**
 * How writes that carry no resourceVersion precondition ride out optimistic-concurrency conflicts
 * with other writers of the same object (kube's GuaranteedUpdate loops until it wins). A fixed
 * handful of immediate retries is not enough when a write takes milliseconds (etcd) and dozens of
 * clients hit one object: every round only one writer wins, and the rest re-read in lockstep. So
 * the retry limit is generous and, after the first two immediate retries, each waits a random
 * (jittered, growing, capped) moment so the contenders spread out instead of colliding again.
 */

/** Retries after a conflict before the 409 reaches the client (a livelock guard, not a policy). */
export const CONFLICT_RETRY_LIMIT = 100;

const MAX_BACKOFF_MS = 100;

/** Waits before retry number `attempt` (0-based): nothing for the first two, then 0…min(2^attempt, 100) ms. */
export function conflictBackoff(attempt: number): Promise<void> {
  if (attempt < 2) return Promise.resolve();
  const capMs = Math.min(MAX_BACKOFF_MS, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * capMs));
}
