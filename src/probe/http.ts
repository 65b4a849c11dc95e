// One HTTP(S) GET over a stream the Host dialed (TCP or a unix socket), with
// `curl -f` semantics: a status >= 400 fails, and response headers are taken
// up to curl's limits. Separate connect and request timeouts; at most 64 KiB
// of body is read. Never throws.
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Host } from '../host/host.js';
import { dialFailure } from './connect.js';
import { formatEndpoint, type Endpoint } from '../model/endpoint.js';
import { errorFacts, LINUX_ERRNO } from '../host/errno.js';
import { looksLikeTls, printable } from './printable.js';
import { ABORTED, BAD_PROTOCOL, HTTP_STATUS, type ProbeResult, type ProbeStage } from '../model/probe-result.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * curl's limits on a response's headers, counted on the bytes as received:
 * one line, its line end included, shorter than CURL_MAX_HTTP_HEADER (100 KiB:
 * curl's buffer also holds a terminating NUL), and the whole block, status
 * line and blank line included, at most MAX_HTTP_RESP_HEADER_SIZE (300 KiB,
 * "Too large response headers"). Node's parser alone stops at 16 KiB in all.
 */
export const MAX_HEADER_LINE_BYTES = 100 * 1024;
export const MAX_HEADER_BYTES = 300 * 1024;
/** Node's own error code for headers past its limit: the answer is not HTTP as curl takes it. */
const HEADER_OVERFLOW = 'HPE_HEADER_OVERFLOW';

export interface HttpProbeOptions {
  endpoint: Endpoint;
  tls: boolean;
  /** path and query, starting with / */
  path: string;
  /** the Host header (and TLS server name); defaults to the endpoint */
  hostHeader?: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /** shown as the target instead of the endpoint (a front URL, credentials masked) */
  label?: string;
  /** `user:password` from a front URL, sent as Basic auth like curl does; never printed */
  credentials?: string;
  /** keep the headers and the whole body read (`answer`), for a service's `expect:` */
  keepAnswer?: boolean;
}


export async function probeHttp(host: Host, o: HttpProbeOptions): Promise<ProbeResult> {
  const kind = o.tls ? 'https' : 'http';
  const target = o.label ?? `${kind}://${formatEndpoint(o.endpoint)}${o.path}`;
  const started = performance.now();
  const c = await host.dial(o.endpoint, { timeoutMs: o.connectTimeoutMs, ...(o.signal && { signal: o.signal }) });
  if (!c.ok) return dialFailure(c, kind, target);
  const connectMs = c.connectMs;
  const hostHeader = o.hostHeader ?? (o.endpoint.kind === 'unix' ? 'localhost' : formatEndpoint(o.endpoint));
  const r = await exchange(c.stream, o, { kind, target, started, connectMs, hostHeader });
  if (o.tls || r.ok) return r;
  // nginx answers a plain request on a TLS port with a 400 that says so
  if (r.status === 400 && /plain HTTP request was sent to HTTPS port/i.test(r.body ?? '')) {
    return { ...r, code: BAD_PROTOCOL, message: `answered TLS-port 400 to a plain HTTP request: ${r.message}` };
  }
  // most TLS servers just hang up on a plain request: ask the port for a handshake to tell
  if (r.code === 'ECONNRESET' && r.firstBytes === undefined && (await speaksTls(host, o))) {
    return { ...r, code: BAD_PROTOCOL, message: 'closed the plain HTTP request; the port answers a TLS handshake (answered TLS)' };
  }
  return r;
}

const SNIFF_TIMEOUT_MS = 1000;

async function speaksTls(host: Host, o: HttpProbeOptions): Promise<boolean> {
  const timeoutMs = Math.min(o.connectTimeoutMs, o.requestTimeoutMs, SNIFF_TIMEOUT_MS);
  const c = await host.dial(o.endpoint, { timeoutMs, ...(o.signal && { signal: o.signal }) });
  if (!c.ok) return false;
  return new Promise((resolve) => {
    const s = tlsConnect({ socket: c.stream, rejectUnauthorized: false });
    const onAbort = () => done(false);
    const done = (v: boolean) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      s.destroy();
      c.stream.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    s.once('secureConnect', () => done(true));
    s.once('error', () => done(false));
  });
}

interface ExchangeState {
  kind: 'http' | 'https';
  target: string;
  started: number;
  connectMs: number;
  hostHeader: string;
}

function exchange(raw: Duplex, o: HttpProbeOptions, s: ExchangeState): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let stage: ProbeStage = o.tls ? 'tls' : 'request';
    let first: Buffer | undefined;
    let firstByteMs: number | undefined;
    let settled = false;
    let socket: Duplex | TLSSocket = raw;
    const headers = headerLimits();
    const tap = (d: Buffer) => {
      if (first === undefined) {
        first = Buffer.from(d.subarray(0, 64));
        firstByteMs = performance.now() - s.started;
        stage = 'response';
      }
      const over = headers(d);
      if (over) done({ ok: false, stage: 'response', code: HEADER_OVERFLOW, message: over });
    };
    const done = (r: Omit<ProbeResult, 'kind' | 'target' | 'timings'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      raw.destroy();
      const firstBytes = first && printable(first);
      resolve({
        kind: s.kind,
        target: s.target,
        ...r,
        ...(firstBytes !== undefined && r.firstBytes === undefined && { firstBytes }),
        timings: {
          connectMs: s.connectMs,
          ...(firstByteMs !== undefined && { firstByteMs }),
          totalMs: performance.now() - s.started,
        },
      });
    };
    const failFrom = (e: unknown) => {
      const f = errorFacts(e);
      if (first && looksLikeTls(first)) {
        done({ ok: false, stage: 'response', code: BAD_PROTOCOL, message: `answered TLS to a plain HTTP request (${f.code ?? f.message})` });
        return;
      }
      // Node's "socket hang up" carries ECONNRESET without an errno: errorFacts fills it in from the code
      done({ ok: false, stage, ...f });
    };
    const onAbort = () => done({ ok: false, stage, code: ABORTED, message: 'aborted' });
    const timer = setTimeout(
      () =>
        done({
          ok: false,
          stage,
          code: 'ETIMEDOUT',
          errno: LINUX_ERRNO.ETIMEDOUT,
          message: `no complete response within ${o.requestTimeoutMs}ms${first ? '' : ' (nothing received)'}`,
        }),
      o.requestTimeoutMs,
    );
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) return onAbort();

    const send = () => {
      stage = 'request';
      const req = request({
        createConnection: () => socket,
        method: 'GET',
        path: o.path,
        // past curl's limits headerLimits() has failed the answer already: Node's limit must not come first
        maxHeaderSize: MAX_HEADER_BYTES + 1,
        headers: {
          host: s.hostHeader,
          'user-agent': 'upstream-gate',
          accept: '*/*',
          connection: 'close',
          ...(o.credentials !== undefined && { authorization: `Basic ${Buffer.from(o.credentials).toString('base64')}` }),
        },
      });
      req.on('socket', (sock) => sock.prependListener('data', tap));
      req.on('error', failFrom);
      req.on('response', (res) => {
        stage = 'response';
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const body = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES);
          const text = printable(body, 200);
          const line = `${res.httpVersion ? `HTTP/${res.httpVersion} ` : ''}${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
          const answer = o.keepAnswer ? { answer: { headers: headerValues(res.headers), body: body.toString('utf8'), truncated: size >= MAX_BODY_BYTES } } : {};
          if (status >= 400) done({ ok: false, stage, code: HTTP_STATUS, status, message: line, body: text, bytesRead: size, ...answer });
          else done({ ok: true, stage, status, message: line, body: text, bytesRead: size, ...answer });
        };
        res.on('data', (d: Buffer) => {
          chunks.push(d);
          size += d.length;
          if (size >= MAX_BODY_BYTES) finish();
        });
        res.on('end', finish);
        res.on('error', failFrom);
        res.on('aborted', () => failFrom(Object.assign(new Error('connection closed in the middle of the body'), { code: 'ECONNRESET' })));
      });
      req.end();
    };

    if (!o.tls) return send();
    const tlsSocket = tlsConnect({
      socket: raw,
      // a health gate checks the backend answers, not its certificate (self-signed backends are the norm)
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      ...(o.hostHeader !== undefined && !/^[\d.:[\]]+$/.test(o.hostHeader) && { servername: o.hostHeader.replace(/:\d+$/, '') }),
    });
    socket = tlsSocket;
    tlsSocket.once('error', (e) => {
      const f = errorFacts(e);
      if (stage === 'tls' && f.code !== 'ECONNRESET' && f.code !== 'ETIMEDOUT') {
        done({ ok: false, stage, code: f.code ?? BAD_PROTOCOL, message: `TLS handshake failed: ${f.message}` });
      } else failFrom(e);
    });
    tlsSocket.once('secureConnect', send);
  });
}

/** Node's parsed headers as one string each: repeated values joined as HTTP joins them. */
function headerValues(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(h)) if (v !== undefined) out[name] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Follows the header block of an answer chunk by chunk, as received: why curl
 * would refuse it, or undefined (also once the blank line that ends it is past).
 */
function headerLimits(): (chunk: Buffer) => string | undefined {
  let total = 0;
  let line = 0;
  let lineStart = 0;
  let ended = false;
  return (chunk) => {
    for (let pos = 0; !ended && pos < chunk.length; ) {
      const lf = chunk.indexOf(10, pos);
      const end = lf === -1 ? chunk.length : lf + 1;
      if (line === 0) lineStart = chunk[pos] ?? 0;
      line += end - pos;
      pos = end;
      if (line >= MAX_HEADER_LINE_BYTES) return `a response header line of ${line}${lf === -1 ? '+' : ''} bytes: curl takes lines shorter than ${MAX_HEADER_LINE_BYTES}`;
      if (lf === -1) break;
      total += line;
      if (total > MAX_HEADER_BYTES) return `response headers of ${total} bytes: curl takes at most ${MAX_HEADER_BYTES} (Too large response headers)`;
      // an empty line, `\r\n` or a bare `\n`, ends the block
      ended = line === 1 || (line === 2 && lineStart === 13);
      line = 0;
    }
    return undefined;
  };
}
