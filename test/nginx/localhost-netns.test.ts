// localhost -> 127.0.0.1 and ::1, as in a stock Debian /etc/hosts: the config
// phase resolves names the way nginx does at start-up (every address) and
// warns. Run by the real CLI inside a network namespace with its own hosts
// file, so this machine's /etc/hosts is left alone.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Finding } from '../../src/model/finding.js';
import { CLI_SOURCE, TSX } from '../helpers/cli.js';
import { canNetns, createNetns, type Netns } from '../helpers/netns.js';
import { fixture } from './fixtures.js';

let ns: Netns | undefined;
after(() => ns?.remove());

test('a name with addresses in both families is config.localhost_ambiguous, naming them', { skip: !canNetns && 'needs root and ip netns' }, async () => {
  // ::1 first in getaddrinfo's answer; nginx dials every IPv4 address first (ngx_inet_resolve_host), and says them so
  ns = createNetns({ hosts: '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' });
  const dir = fixture('localhost-ambiguous');
  const r = await ns.run([process.execPath, '--import', TSX, CLI_SOURCE, 'check', '--phase', 'config', '--format', 'json', '--spec', `${dir}/upstream-gate.yml`]);
  const report = JSON.parse(r.stdout) as { findings: Finding[] };
  assert.deepEqual(
    report.findings.filter((f) => f.code?.startsWith('config.')),
    [
      {
        code: 'config.localhost_ambiguous',
        severity: 'warning',
        service: 'app',
        target: 'localhost:8000',
        message: 'nginx dials localhost:8000 (upstream app), and localhost resolves to 127.0.0.1 and ::1: nginx tries each address (the spec says 127.0.0.1:8000)',
        evidence: ['server localhost:8000;', `upstream app (conf.d/app.conf:1) used by: proxy_pass http://app; (conf.d/app.conf:9)`, 'localhost resolves to 127.0.0.1, ::1'],
        fix: 'server 127.0.0.1:8000;  (conf.d/app.conf:2)',
        file: `${dir}/conf.d/app.conf`,
        line: 2,
      },
    ],
    r.stderr,
  );
});
