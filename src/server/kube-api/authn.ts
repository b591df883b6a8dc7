/**
 * Who is calling: a client certificate signed by the cluster CA (CN = user name, each O = a group),
 * or else a bearer token from the token file, or else a token the apiserver issued itself (service
 * account tokens, checked by ApiServer.authenticateToken). Like kube-apiserver's union authenticator, the first
 * method that succeeds wins; if none does the request is anonymous and the caller answers 401.
 * Every authenticated user also gets the group system:authenticated.
 */
import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ApiServer, UserInfo } from '../../orchestrator/apiserver/types.js';
import type { TokenFile } from './tokens.js';

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The user of a verified client certificate, or null. */
export function certificateUser(socket: TLSSocket): UserInfo | null {
  // The TLS server was given the CA and requestCert: `authorized` is OpenSSL's verdict on the chain.
  if (!socket.authorized) return null;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return null;
  // A certificate limited to other purposes (e.g. a serving certificate) does not log anyone in.
  if (cert.ext_key_usage && !cert.ext_key_usage.includes(CLIENT_AUTH_OID)) return null;
  const name = asList(cert.subject?.CN)[0];
  if (!name) return null;
  return { name, groups: asList(cert.subject?.O) };
}

function bearerToken(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

function withAuthenticated(u: UserInfo): UserInfo {
  const groups = u.groups.includes('system:authenticated') ? u.groups : [...u.groups, 'system:authenticated'];
  return { ...u, groups };
}

export function authenticate(req: http.IncomingMessage, tokens: TokenFile): UserInfo | null {
  const fromCert = certificateUser(req.socket as TLSSocket);
  if (fromCert) return withAuthenticated(fromCert);
  const token = bearerToken(req);
  if (token) {
    const fromToken = tokens.lookup(token);
    if (fromToken) return withAuthenticated(fromToken);
  }
  return null;
}

/** A bearer token the apiserver itself issued (a service account token), or null. */
export async function apiServerTokenUser(req: http.IncomingMessage, apiServer: Pick<ApiServer, 'authenticateToken'>): Promise<UserInfo | null> {
  const token = bearerToken(req);
  if (!token || !apiServer.authenticateToken) return null;
  const user = await apiServer.authenticateToken(token);
  return user ? withAuthenticated(user) : null;
}
