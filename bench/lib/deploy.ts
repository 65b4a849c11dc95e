// A deployment as upstream-gate sees it: an nginx config whose server blocks
// dial the backends (the config phase reads it and runs `nginx -t`; only the
// broken-deploy scenario starts it, inside its own namespace), and the spec
// naming the same backends.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from './scratch.js';

export interface DeployService {
  name: string;
  /** spec `backend`: HOST:PORT or unix:/path */
  backend: string;
  health?: string;
}

export interface Deploy {
  dir: string;
  spec: string;
  nginxConf: string;
}

let counter = 0;

/** nginx's spelling of a spec backend in proxy_pass. */
function proxyTarget(backend: string): string {
  return backend.startsWith('unix:') ? `http://${backend}:` : `http://${backend}`;
}

export function writeDeploy(services: readonly DeployService[], gate: Record<string, string> = {}): Deploy {
  const dir = join(scratchDir(), `deploy-${++counter}`);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const nginxConf = join(dir, 'nginx.conf');
  // one block per service, each on its own name, as a real multi-service front
  // would be; the listen port is bound only inside a namespace of ours
  const servers = services.map(
    (s) => `  server {
    listen 127.0.0.1:8080;
    server_name ${s.name}.bench.test;
    location / { proxy_pass ${proxyTarget(s.backend)}; }
  }`,
  );
  writeFileSync(
    nginxConf,
    [
      'user root;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'logs', 'error.log')} info;`,
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, `tmp_${t}`)};`),
      ...servers,
      '}',
      '',
    ].join('\n'),
  );
  const spec = join(dir, 'upstream-gate.yml');
  const specDoc = {
    version: 1,
    services: Object.fromEntries(
      // no server_name: nginx runs only in the broken-deploy scenario, and a spec that names the block nginx
      // serves it from expects it to run (nginx.not_running); the config phase finds each block by its dial
      services.map((s) => [s.name, { backend: s.backend, ...(s.health && { health: s.health }) }]),
    ),
    nginx: { config: nginxConf },
    gate,
  };
  // JSON is YAML: the loader reads either
  writeFileSync(spec, `${JSON.stringify(specDoc, null, 2)}\n`);
  return { dir, spec, nginxConf };
}
