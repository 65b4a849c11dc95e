// The helper's own code, run as `node -e` inside nginx's network namespace
// and/or as nginx's worker user. It takes requests over its IPC channel and
// answers each: a name's addresses (getaddrinfo, as nginx resolves at start)
// or a connected socket, handed back to the gate as a file descriptor
// (SCM_RIGHTS): the socket was created in that namespace and connected with
// those credentials, so what the gate then reads and writes over it is what
// nginx would. A string, so the bundle carries it and nothing the checked
// config names ever runs in its place.
export const HELPER_SCRIPT = `
'use strict';
const net = require('node:net');
const dns = require('node:dns');
const open = new Map();
const send = (m, handle) => { try { process.send(m, handle); } catch { process.kill(process.pid, 'SIGKILL'); } };
const facts = (e) => ({ code: e.code, errno: typeof e.errno === 'number' ? Math.abs(e.errno) : undefined, message: e.message });
process.on('message', (m) => {
  if (m.op === 'cancel') {
    const s = open.get(m.id);
    open.delete(m.id);
    if (s) s.destroy();
    return;
  }
  if (m.op === 'resolve') {
    dns.lookup(m.host, { all: true, verbatim: true }, (e, list) => send(e ? { id: m.id, ok: false, code: e.code, message: e.message } : { id: m.id, ok: true, addresses: list }));
    return;
  }
  if (m.op !== 'dial') return;
  const started = performance.now();
  const s = m.path !== undefined ? net.connect({ path: m.path }) : net.connect({ host: m.host, port: m.port, autoSelectFamily: false });
  open.set(m.id, s);
  const timer = setTimeout(() => fail({ code: 'ETIMEDOUT', errno: 110, message: 'connect timed out after ' + m.timeoutMs + 'ms' }), m.timeoutMs);
  const fail = (f) => {
    clearTimeout(timer);
    if (!open.delete(m.id)) return;
    s.destroy();
    send({ id: m.id, ok: false, ...f });
  };
  s.once('error', (e) => fail(facts(e)));
  s.once('connect', () => {
    clearTimeout(timer);
    if (!open.delete(m.id)) return s.destroy();
    // not one byte read here: the gate's probe reads everything the peer sends
    s.pause();
    const local = s.localAddress === undefined ? undefined : { address: s.localAddress, port: s.localPort || 0 };
    send({ id: m.id, ok: true, connectMs: performance.now() - started, local }, s);
  });
});
// the gate ended (or dropped us): nothing is left to answer
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
send({ ready: true, uid: process.getuid(), gid: process.getgid(), groups: process.getgroups() });
`;
