/**
 * The apiserver's transport-agnostic contract. src/server/kube-api owns HTTP(S), TLS, authentication
 * and body decoding (JSON / YAML / Kubernetes protobuf → plain objects); src/orchestrator/apiserver
 * owns everything Kubernetes means by a request (REST semantics over storage, watch, discovery,
 * admission, Table output) and answers with plain objects. Words:
 *  - "user": the authenticated identity (client-certificate CN/O or bearer token); never anonymous here,
 *    the transport answers 401 before a request reaches the apiserver.
 *  - "body": the decoded request object (JSON value), or for PATCH the raw patch document text.
 *  - "accept": the raw Accept header; the apiserver decides Table vs object vs list (as a kube-apiserver does).
 * Errors: handlers throw BerthError; the transport maps codes ONCE to a metav1.Status
 * (NotFound→404 NotFound, AlreadyExists→409 AlreadyExists, Conflict→409 Conflict,
 * InvalidArgument→400 BadRequest unless details.causes → 422 Invalid, Gone→410 Expired,
 * Unauthenticated→401, PermissionDenied→403 Forbidden, ResourceExhausted→413 RequestEntityTooLarge,
 * NotImplemented→405 MethodNotAllowed/501, FailedPrecondition→409/422 per details, Internal→500).
 * A BerthError may carry details { status?: object } with a full metav1.Status to send as is
 * (e.g. 422 Invalid with causes built by validation).
 */

export interface UserInfo { name: string; groups: string[]; uid?: string }

export interface ApiRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** URL path without query, e.g. /api/v1/namespaces/default/pods/p1/status */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  user: UserInfo;
  /** Decoded body for POST/PUT (object), the patch document string for PATCH, the decoded DeleteOptions for DELETE, else undefined. */
  body: unknown;
  /** For PATCH: the Content-Type naming the patch type. */
  contentType?: string;
  /** Aborted when the client goes away (watch streams end on it). */
  signal: AbortSignal;
}

export type ApiResponse =
  | { kind: 'object'; status: number; body: unknown; headers?: Record<string, string> }
  /** A watch: the transport flushes headers at once, then writes each event as one JSON line until end. */
  | { kind: 'watch'; status: 200; events: AsyncIterable<WatchEventObject>; headers?: Record<string, string> };

/** metav1.WatchEvent */
export interface WatchEventObject { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown }

export interface ApiServer {
  handle(req: ApiRequest): Promise<ApiResponse>;
  /**
   * The user a bearer token stands for if the apiserver issued it (service account tokens from
   * serviceaccounts/<name>/token), else null. The transport asks only about tokens it does not
   * know itself. Optional: an ApiServer without tokens of its own leaves it out.
   */
  authenticateToken?(token: string): Promise<UserInfo | null>;
  /** Background work (GC of dependents, namespace finalization, compaction hooks) stops. */
  close(): Promise<void>;
}
