// One FastCGI request (RESPONDER role) over a stream the Host dialed, as
// nginx's fastcgi_pass sends it: BEGIN_REQUEST, PARAMS, empty STDIN; read
// STDOUT until END_REQUEST. php-fpm's `ping.path` answers `pong`; a missing
// script answers `Status: 404`.
import type { Duplex } from 'node:stream';
import type { Host } from '../host/host.js';
import { dialFailure } from './connect.js';
import { formatEndpoint, type Endpoint } from '../model/endpoint.js';
import { errorFacts, LINUX_ERRNO } from '../host/errno.js';
import { looksLikeTls, printable } from './printable.js';
import { ABORTED, BAD_PROTOCOL, HTTP_STATUS, INCOMPLETE, type ProbeResult, type ProbeStage } from '../model/probe-result.js';
import { MAX_BODY_BYTES } from './http.js';

export interface FastcgiProbeOptions {
  endpoint: Endpoint;
  /** the script path asked for (SCRIPT_NAME, REQUEST_URI) */
  path: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /** keep the CGI headers and the whole body read (`answer`), for a service's `expect:` */
  keepAnswer?: boolean;
}

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const STDERR = 7;
const RESPONDER = 1;
const REQUEST_ID = 1;

function record(type: number, content: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(VERSION, 0);
  header.writeUInt8(type, 1);
  header.writeUInt16BE(REQUEST_ID, 2);
  header.writeUInt16BE(content.length, 4);
  return Buffer.concat([header, content]);
}

function nameValue(name: string, value: string): Buffer {
  const n = Buffer.from(name);
  const v = Buffer.from(value);
  const len = (l: number) => {
    if (l < 128) return Buffer.from([l]);
    const b = Buffer.alloc(4);
    b.writeUInt32BE((l | 0x80000000) >>> 0);
    return b;
  };
  return Buffer.concat([len(n.length), len(v.length), n, v]);
}

/** The bytes of the whole request. */
export function fastcgiRequest(path: string): Buffer {
  const [script = path, query = ''] = path.split('?', 2);
  const params: Record<string, string> = {
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_SOFTWARE: 'upstream-gate',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: 'GET',
    REQUEST_URI: path,
    DOCUMENT_URI: script,
    SCRIPT_NAME: script,
    SCRIPT_FILENAME: script,
    QUERY_STRING: query,
    REMOTE_ADDR: '127.0.0.1',
    SERVER_NAME: 'localhost',
    HTTP_HOST: 'localhost',
  };
  const body = Buffer.concat(Object.entries(params).map(([k, v]) => nameValue(k, v)));
  const begin = Buffer.from([0, RESPONDER, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([record(BEGIN_REQUEST, begin), record(PARAMS, body), record(PARAMS, Buffer.alloc(0)), record(STDIN, Buffer.alloc(0))]);
}

export async function probeFastcgi(host: Host, o: FastcgiProbeOptions): Promise<ProbeResult> {
  const target = `fastcgi://${formatEndpoint(o.endpoint)}${o.path}`;
  const started = performance.now();
  const c = await host.dial(o.endpoint, { timeoutMs: o.connectTimeoutMs, ...(o.signal && { signal: o.signal }) });
  if (!c.ok) return dialFailure(c, 'fastcgi', target);
  return exchange(c.stream, o, target, started, c.connectMs);
}

function exchange(socket: Duplex, o: FastcgiProbeOptions, target: string, started: number, connectMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let stage: ProbeStage = 'request';
    let buffered = Buffer.alloc(0);
    let first: Buffer | undefined;
    let firstByteMs: number | undefined;
    const stdout: Buffer[] = [];
    let stdoutSize = 0;
    let stderr = '';
    let settled = false;
    const done = (r: Omit<ProbeResult, 'kind' | 'target' | 'timings'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({
        kind: 'fastcgi',
        target,
        ...r,
        ...(first && { firstBytes: printable(first) }),
        timings: { connectMs, ...(firstByteMs !== undefined && { firstByteMs }), totalMs: performance.now() - started },
      });
    };
    const onAbort = () => done({ ok: false, stage, code: ABORTED, message: 'aborted' });
    const timer = setTimeout(
      () => done({ ok: false, stage, code: 'ETIMEDOUT', errno: LINUX_ERRNO.ETIMEDOUT, message: `no complete FastCGI response within ${o.requestTimeoutMs}ms` }),
      o.requestTimeoutMs,
    );
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) return onAbort();

    const finish = () => {
      const out = Buffer.concat(stdout);
      const { status, body, headerLine } = cgiResponse(out);
      const evidence = stderr.trim() ? `${headerLine}; stderr: ${stderr.trim().split('\n')[0]}` : headerLine;
      const answer = o.keepAnswer ? { answer: { ...cgiAnswer(out), truncated: stdoutSize >= MAX_BODY_BYTES } } : {};
      if (status >= 400) done({ ok: false, stage, code: HTTP_STATUS, status, message: evidence, body, bytesRead: stdoutSize, ...answer });
      else done({ ok: true, stage, status, message: evidence, body, bytesRead: stdoutSize, ...answer });
    };
    socket.on('data', (d: Buffer) => {
      if (!first) {
        first = Buffer.from(d.subarray(0, 64));
        firstByteMs = performance.now() - started;
        stage = 'response';
      }
      buffered = Buffer.concat([buffered, d]);
      while (buffered.length >= 8) {
        const version = buffered.readUInt8(0);
        const type = buffered.readUInt8(1);
        if (version !== VERSION || type < 1 || type > 11) {
          const tls = looksLikeTls(buffered);
          done({ ok: false, stage, code: BAD_PROTOCOL, message: tls ? 'answered TLS, not FastCGI' : 'the answer is not FastCGI' });
          return;
        }
        const length = buffered.readUInt16BE(4);
        const padding = buffered.readUInt8(6);
        if (buffered.length < 8 + length + padding) break;
        const content = buffered.subarray(8, 8 + length);
        buffered = buffered.subarray(8 + length + padding);
        if (type === STDOUT && stdoutSize < MAX_BODY_BYTES) {
          stdout.push(Buffer.from(content));
          stdoutSize += content.length;
        } else if (type === STDERR) stderr += content.toString('utf8');
        else if (type === END_REQUEST) return finish();
      }
    });
    socket.on('error', (e) => {
      const f = errorFacts(e);
      done({ ok: false, stage, ...f });
    });
    socket.on('end', () => {
      done({
        ok: false,
        stage,
        code: first ? INCOMPLETE : 'ECONNRESET',
        ...(first ? {} : { errno: LINUX_ERRNO.ECONNRESET }),
        message: first ? 'closed before END_REQUEST' : 'closed before answering',
      });
    });
    socket.write(fastcgiRequest(o.path));
  });
}

/** CGI headers then body: `Status: 404 Not Found` (200 when absent). */
function cgiResponse(out: Buffer): { status: number; body: string; headerLine: string } {
  const text = out.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : text;
  const body = end >= 0 ? text.slice(end).replace(/^\r?\n\r?\n/, '') : '';
  const m = /^status:\s*(\d{3})(.*)$/im.exec(head);
  const status = m ? Number(m[1]) : 200;
  const headerLine = `Status: ${status}${m?.[2]?.trimEnd() ?? ''}`;
  return { status, body: printable(Buffer.from(body, 'latin1'), 200), headerLine };
}

/** The CGI headers (names in lower case) and the body as text, for expectations. */
function cgiAnswer(out: Buffer): { headers: Record<string, string>; body: string } {
  const text = out.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : text;
  const bodyStart = end >= 0 ? end + (/^\r?\n\r?\n/.exec(text.slice(end))?.[0].length ?? 0) : text.length;
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { headers, body: out.subarray(bodyStart).toString('utf8') };
}
