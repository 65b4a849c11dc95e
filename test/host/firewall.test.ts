import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { matchIptables, matchNft, readFirewall } from '../../src/host/firewall.js';
import { fixtureRunner } from '../helpers/fixture-runner.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');

test('iptables -S: rules that drop or reject the port, ranges and lists included; udp and sport rules left out', () => {
  assert.deepEqual(matchIptables(fixture('iptables-S.txt'), 8000), [
    '-A INPUT -p tcp -m tcp --dport 8000 -j REJECT --reject-with tcp-reset',
    '-A OUTPUT -d 10.0.0.0/8 -j REJECT --reject-with icmp-admin-prohibited',
  ]);
  assert.deepEqual(matchIptables(fixture('iptables-S.txt'), 8150), [
    '-A INPUT -p tcp -m multiport --dports 8100:8200,9443 -j DROP',
    '-A OUTPUT -d 10.0.0.0/8 -j REJECT --reject-with icmp-admin-prohibited',
  ]);
  assert.deepEqual(matchIptables('-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n', 80), ['-P INPUT DROP']);
});

test('nft list ruleset: dport rules and sets', () => {
  assert.deepEqual(matchNft(fixture('nft-ruleset.txt'), 8000), ['tcp dport 8000 counter packets 3 bytes 180 reject with tcp reset']);
  assert.deepEqual(matchNft(fixture('nft-ruleset.txt'), 9443), ['tcp dport { 8100-8200, 9443 } drop']);
  assert.deepEqual(matchNft(fixture('nft-ruleset.txt'), 9000), []);
  assert.deepEqual(matchNft('tcp dport 8000 reject with icmp type admin-prohibited\n', 8000), ['tcp dport 8000 reject with icmp type admin-prohibited']);
});

test('missing tools and permissions degrade the evidence and say so', async () => {
  const r = await readFirewall(
    fixtureRunner({ iptables: { exitCode: 4, stderr: 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n' }, nft: { notFound: true } }),
    8000,
    4,
  );
  assert.deepEqual(r.rules, []);
  assert.deepEqual(r.notes, ['iptables -S failed: iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)', 'nft not installed']);
});

test('IPv6 targets read ip6tables; nft is used when iptables shows nothing', async () => {
  const runner = fixtureRunner({ ip6tables: { stdout: '-P INPUT ACCEPT\n' }, nft: { stdout: fixture('nft-ruleset.txt') } });
  const r = await readFirewall(runner, 8000, 6);
  assert.deepEqual(runner.calls, ['ip6tables -S', 'nft list ruleset']);
  assert.deepEqual(r.rules, ['nft: tcp dport 8000 counter packets 3 bytes 180 reject with tcp reset']);
});
