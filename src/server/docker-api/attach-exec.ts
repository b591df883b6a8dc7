/**
 * Attach and exec: `POST /containers/{id}/attach`, `POST /containers/{id}/exec`,
 * `POST /exec/{id}/start`, `POST /exec/{id}/resize`, `GET /exec/{id}/json`.
 * With `Upgrade: tcp` the connection is hijacked (101, then a raw duplex stream); without it the
 * output is streamed as the HTTP response body (no stdin), as the Engine API also allows.
 */
import { execInspectJson, parseExecRequest } from '../../api/docker/exec-json.js';
import { asObject, optBool, queryBool, queryInt } from '../../api/docker/validate.js';
import { invalidArgument, isBerthError } from '../../base/errors.js';
import { dockerStartErrorMessage } from '../../api/docker/start-errors.js';
import { frame } from '../../api/docker/stdcopy.js';
import { parseJson, readJson } from './body.js';
import { sendEmpty, sendJson, startStream, type Handler, type HijackHandler, type RequestContext } from './context.js';
import { readHijackBody } from './hijack-body.js';
import type { Router } from './router.js';
import { hijackResponse, MULTIPLEXED_STREAM, pumpSession, RAW_STREAM } from './stream-session.js';

function attachOptions(query: URLSearchParams) {
  return { stdin: queryBool(query.get('stdin')), stdout: queryBool(query.get('stdout')), stderr: queryBool(query.get('stderr')) };
}

const attachHijack: HijackHandler = async ({ socket, params, query, deps }) => {
  const c = deps.engine.containers.inspect(params.id!);
  let session;
  try {
    session = await deps.engine.containers.attach(c.id, attachOptions(query));
  } catch (err) {
    // Attaching to a never-started container makes the runtime create it, which fails when e.g.
    // the command does not exist. Docker reports that at start (the CLI maps it to exit 127/126),
    // so hand back a stream that ends at once and let the start call report the error.
    if (c.state.status !== 'created') throw err;
    deps.log.debug('attach before start failed; start will report it', { id: c.id, error: String(err) });
    socket.end(hijackResponse(c.config.tty));
    return;
  }
  socket.write(hijackResponse(session.tty));
  await pumpSession(session, socket, socket, deps.log);
};

async function attachPlain({ res, params, query, deps }: RequestContext): Promise<void> {
  const id = deps.engine.containers.inspect(params.id!).id;
  const session = await deps.engine.containers.attach(id, { ...attachOptions(query), stdin: false });
  startStream(res, session.tty ? RAW_STREAM : MULTIPLEXED_STREAM);
  await pumpSession(session, res, null, deps.log);
}

async function execCreate({ req, res, params, deps }: RequestContext): Promise<void> {
  const spec = parseExecRequest(await readJson(req));
  const exec = await deps.engine.containers.execCreate(params.id!, spec);
  sendJson(res, 201, { Id: exec.id });
}

interface ExecStartBody { detach: boolean; consoleSize?: [number, number] }

function parseExecStart(body: unknown): ExecStartBody {
  const o = body === undefined ? {} : asObject(body, 'request body');
  const out: ExecStartBody = { detach: optBool(o.Detach, 'Detach') ?? false };
  const size = o.ConsoleSize;
  if (size !== undefined && size !== null) {
    if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isSafeInteger(n) && n >= 0)) throw invalidArgument('ConsoleSize must be [height, width]');
    out.consoleSize = [size[0], size[1]];
  }
  return out;
}

const execStartHijack: HijackHandler = async ({ req, socket, head, params, deps }) => {
  const body = parseExecStart(parseJson(await readHijackBody(req, socket, head)));
  const containers = deps.engine.containers;
  containers.execInspect(params.id!); // NotFound before anything is written
  let session;
  try {
    session = await containers.execStart(params.id!, { detach: body.detach });
  } catch (err) {
    // A command that cannot be run has an exit code (126/127) like Docker's: the stream carries the
    // reason and ends, and the client takes the code from exec inspect, as with dockerd.
    const info = containers.execInspect(params.id!);
    if (body.detach || info.exitCode === null || !isBerthError(err, 'InvalidArgument')) throw err;
    const tty = !!info.options.tty;
    const reason = Buffer.from(`OCI runtime exec failed: ${dockerStartErrorMessage((err as Error).message)}\r\n`);
    socket.write(hijackResponse(tty));
    socket.end(tty ? reason : frame('stderr', reason));
    return;
  }
  if (!session) {
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  socket.write(hijackResponse(session.tty));
  if (session.tty && body.consoleSize && body.consoleSize[0] > 0) {
    session.resize(body.consoleSize[0], body.consoleSize[1]).catch((err) => deps.log.debug('exec console resize failed', { error: String(err) }));
  }
  await pumpSession(session, socket, socket, deps.log);
};

async function execStartPlain({ req, res, params, deps }: RequestContext): Promise<void> {
  const body = parseExecStart(await readJson(req));
  deps.engine.containers.execInspect(params.id!);
  const session = await deps.engine.containers.execStart(params.id!, { detach: body.detach });
  if (!session) return sendEmpty(res, 200);
  startStream(res, session.tty ? RAW_STREAM : MULTIPLEXED_STREAM);
  await pumpSession(session, res, null, deps.log);
}

async function execResize({ res, params, query, deps }: RequestContext): Promise<void> {
  const h = queryInt(query.get('h'), 'h');
  const w = queryInt(query.get('w'), 'w');
  if (h === undefined || w === undefined || h < 0 || w < 0) throw invalidArgument('resize needs non-negative h and w');
  await deps.engine.containers.execResize(params.id!, h, w);
  sendEmpty(res, 200);
}

async function execInspect({ res, params, deps }: RequestContext): Promise<void> {
  sendJson(res, 200, execInspectJson(deps.engine.containers.execInspect(params.id!)));
}

export function attachExecRoutes(r: Router<Handler>): void {
  r.add('POST', '/containers/{id}/attach', attachPlain)
    .add('POST', '/containers/{id}/exec', execCreate)
    .add('POST', '/exec/{id}/start', execStartPlain)
    .add('POST', '/exec/{id}/resize', execResize)
    .add('GET', '/exec/{id}/json', execInspect);
}

export function hijackRoutes(r: Router<HijackHandler>): void {
  r.add('POST', '/containers/{id}/attach', attachHijack).add('POST', '/exec/{id}/start', execStartHijack);
}
