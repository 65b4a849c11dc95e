// The inventory readers against Ansible itself: for each inventory, the
// hosts and their address, port and user must be what `ansible-inventory
// --list` gives, and each --limit must select what `ansible-inventory
// --limit` selects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInventory } from '../../src/fleet/inventory-file.js';
import { fleetTarget } from '../../src/fleet/inventory.js';
import { selectHosts } from '../../src/fleet/host-pattern.js';
import { tempDir } from '../helpers/tmp.js';

const hasAnsible = spawnSync('ansible-inventory', ['--version']).status === 0;
const skip = !hasAnsible && 'ansible-inventory not installed (Debian: ansible-core)';

const INVENTORIES: Record<string, string> = {
  'plain.ini': `
# hosts before any section are ungrouped
lonely ansible_host=127.0.0.9
edge1:2201

[web]
web[01:03] ansible_user=deploy
web-extra ansible_host="127.0.0.5" ansible_port=2222 # a comment

[db]
db-a ansible_host=127.0.0.20 ansible_user='pg admin'
db-b
web01

[db:vars]
ansible_port=2022
ansible_user=dbadmin

[prod:children]
web
db

[prod:vars]
ansible_user=produser
ansible_ssh_private_key_file=/keys/prod

[all:vars]
ansible_port=22
`,
  'nested.yml': `
all:
  vars:
    ansible_user: root
  hosts:
    solo:
      ansible_host: 127.0.0.30
  children:
    eu:
      vars:
        ansible_port: 2200
      children:
        eu_web:
          hosts:
            eu-web[a:c]:
              ansible_user: www
            eu-web-x:2299:
          vars:
            ansible_host_key_checking: false
        eu_db:
          hosts:
            eu-db1:
              ansible_host: 127.0.0.40
              ansible_port: 5022
    us:
      hosts:
        us-web1:
        eu-db1:
      vars:
        ansible_user: usadmin
`,
  'priority.ini': `
[a]
h1
[b]
h1
[a:vars]
ansible_user=from-a
[b:vars]
ansible_user=from-b
[parent:children]
a
[parent:vars]
ansible_user=from-parent
ansible_port=2000
`,
};

const LIMITS: Record<string, string[]> = {
  'plain.ini': ['all', 'web', 'web:&prod', 'prod:!db', 'web0*', 'web[0]', 'db[0:1]', 'ungrouped', 'web,db-a', '~web0[12]', '*', 'web:db:!web01'],
  'nested.yml': ['eu', 'eu_*:&us', 'all:!eu_web', 'eu-web?', 'us,eu_db'],
  'priority.ini': ['parent', 'b:!a'],
};

interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
}

function ansibleHosts(file: string, limit?: string): { name: string; address: string; port?: number; user?: string; keyFile?: string }[] {
  const args = ['-i', file, '--list', ...(limit ? ['--limit', limit] : [])];
  const out = execFileSync('ansible-inventory', args, { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_PATTERN_MISMATCH: 'ignore' } });
  const list = JSON.parse(out) as AnsibleList;
  return Object.entries(list._meta.hostvars)
    .map(([name, v]) => ({
      name,
      address: String(v.ansible_host ?? name),
      ...(v.ansible_port !== undefined && { port: Number(v.ansible_port) }),
      ...(v.ansible_user !== undefined && { user: String(v.ansible_user) }),
      ...(v.ansible_ssh_private_key_file !== undefined && { keyFile: String(v.ansible_ssh_private_key_file) }),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

test('each inventory gives the hosts, addresses, ports and users ansible-inventory gives, under every limit', { skip }, (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  for (const [name, text] of Object.entries(INVENTORIES)) {
    const file = join(tmp.dir, name);
    writeFileSync(file, text);
    const inv = parseInventory(text, file, name);
    const ours = (names: string[]) => names.map((h) => fleetTarget(inv, h)).sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(ours(inv.hosts), ansibleHosts(file), name);
    for (const limit of LIMITS[name] ?? []) {
      // ansible-inventory --list keeps hostvars of hosts outside the limit: its groups name the selected ones
      const selected = new Set(ansibleSelected(file, limit));
      assert.deepEqual(new Set(selectHosts(inv, limit)), selected, `${name} --limit ${limit}`);
    }
  }
});

/** The hosts Ansible targets with a limit: what `ansible --list-hosts` prints. */
function ansibleSelected(file: string, limit: string): string[] {
  const r = spawnSync('ansible', ['all', '-i', file, '--limit', limit, '--list-hosts'], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);
}
