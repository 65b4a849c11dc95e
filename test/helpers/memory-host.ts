// A Host held in memory: names, dials, listeners and files answered from a
// script, no socket, no file, no command. What a new Host implementation
// needs to give the gate, and nothing more.
import { Duplex } from 'node:stream';
import type { Dialed, Host, HostFailure } from '../../src/host/host.js';
import type { ListenerSnapshot } from '../../src/host/listener.js';
import { commandLine } from '../../src/host/run.js';
import { memorySource } from '../../src/host/config-source.js';
import { formatEndpoint } from '../../src/model/endpoint.js';

/** What a dialed address does with a request: the raw answer bytes, or nothing (it never answers). */
export type Responder = (request: string) => string | undefined;

export interface Script {
  /** name -> addresses, in nginx's order */
  names?: Record<string, string[]>;
  /** `127.0.0.2:8000`, `[::1]:8000`, `unix:/run/app.sock` -> how it answers; absent: refused */
  listening?: Record<string, Responder>;
  listeners?: ListenerSnapshot;
  files?: Record<string, string>;
}

const refused = (target: string): HostFailure => ({ ok: false, code: 'ECONNREFUSED', errno: 111, message: `connect ECONNREFUSED ${target}`, durationMs: 0 });

/** A stream that hands what is written, once a request is complete, to `respond`, and ends with its answer. */
class ScriptedStream extends Duplex {
  private received = '';
  constructor(private readonly respond: Responder) {
    super();
  }
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    this.received += chunk.toString('latin1');
    if (this.received.includes('\r\n\r\n')) {
      const answer = this.respond(this.received);
      if (answer !== undefined) {
        this.push(Buffer.from(answer, 'latin1'));
        this.push(null);
      }
    }
    done();
  }
}

/** The calls the gate made, for asserting what went through the port. */
export function memoryHost(script: Script): Host & { calls: string[] } {
  const calls: string[] = [];
  const files = new Map(Object.entries(script.files ?? {}));
  return {
    calls,
    async run(file, args) {
      calls.push(`run ${commandLine(file, args)}`);
      return { command: commandLine(file, args), stdout: '', stderr: `${file}: not here`, failed: true, timedOut: false, notFound: true, durationMs: 0 };
    },
    async resolve(name) {
      calls.push(`resolve ${name}`);
      const addresses = script.names?.[name];
      return addresses ? { ok: true, addresses, durationMs: 0 } : { ok: false, code: 'ENOTFOUND', message: `${name}: ENOTFOUND`, durationMs: 0 };
    },
    async dial(endpoint): Promise<Dialed> {
      const target = formatEndpoint(endpoint);
      calls.push(`dial ${target}`);
      const respond = script.listening?.[target];
      return respond ? { ok: true, stream: new ScriptedStream(respond), connectMs: 0 } : refused(target);
    },
    async stat(path) {
      const text = files.get(path);
      return text === undefined
        ? { ok: false, code: 'ENOENT', errno: 2, message: `ENOENT: ${path}`, durationMs: 0 }
        : { ok: true, type: 'file', mode: 0o644, uid: 0, gid: 0, size: Buffer.byteLength(text) };
    },
    async readFile(path, options = {}) {
      const text = files.get(path);
      if (text === undefined) return { ok: false, code: 'ENOENT', errno: 2, message: `ENOENT: ${path}`, durationMs: 0 };
      const data = Buffer.from(text);
      const from = options.offset ?? 0;
      return { ok: true, data: data.subarray(from, options.length === undefined ? undefined : from + options.length) };
    },
    async readDir(path) {
      return { ok: false, code: 'ENOENT', errno: 2, message: `ENOENT: ${path}`, durationMs: 0 };
    },
    async listListeners() {
      calls.push('listListeners');
      return script.listeners ?? { listeners: [], source: 'the script', notes: [] };
    },
    async user() {
      return { uid: 0, gid: 0, groups: [] };
    },
    async configSource() {
      return memorySource(files, 'the script');
    },
  };
}

/** An HTTP answer with a body, closing the connection. */
export function httpAnswer(status: number, reason: string, body: string): Responder {
  return () => `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
