// `npm run demo`: the bundled example deployment, gated for real on loopback.
// Starts the example app (and nginx, when installed), shows a passing gate,
// then breaks the deploy the common ways and shows each classified failure.
// Everything it starts is stopped, and its temp dir removed, on every exit path.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const nginxBinary = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((p) => existsSync(p));
const APP_PORT = 28000;
const NGINX_PORT = 28080;

const work = mkdtempSync(join(tmpdir(), 'upstream-gate-demo-'));
const children = new Set();
function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[0m` : s);

function portBusy(port) {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function startApp(args = []) {
  const child = spawn(process.execPath, [join(work, 'app.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`the example app exited with ${code}`)));
  });
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

function gate(title, args) {
  console.log(`\n${bold(`── ${title}`)}\n$ upstream-gate ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, stdio: 'inherit', env: { ...process.env } });
  console.log(`(exit ${r.status})`);
  return r.status;
}

async function main() {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build');
  for (const port of [APP_PORT, NGINX_PORT]) {
    if (await portBusy(port)) throw new Error(`port ${port} on 127.0.0.1 is in use; the demo needs ${APP_PORT} and ${NGINX_PORT} free`);
  }
  cpSync(join(root, 'example'), work, { recursive: true });
  const specFile = join(work, 'upstream-gate.yml');

  const app = await startApp();
  if (nginxBinary) {
    const nginx = spawn(nginxBinary, ['-p', work, '-c', join(work, 'nginx', 'nginx.conf'), '-e', join(work, 'error.log'), '-g', `daemon off; pid ${join(work, 'nginx.pid')};`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.add(nginx);
    for (let i = 0; i < 100 && !(await portBusy(NGINX_PORT)); i++) await sleep(20);
    // Through nginx too: the gate then sees what nginx sees.
    const spec = readFileSync(specFile, 'utf8').replace(
      'nginx:\n  config: nginx/nginx.conf\n',
      `nginx:\n  config: nginx/nginx.conf\n  binary: ${nginxBinary}\n  front: http://127.0.0.1:${NGINX_PORT}\n  error_log: error.log\n`,
    );
    if (spec === readFileSync(specFile, 'utf8')) throw new Error(`example/upstream-gate.yml has no "nginx:\n  config: nginx/nginx.conf" for the demo to extend`);
    writeFileSync(specFile, spec);
    console.log(`nginx ${nginxBinary} listening on 127.0.0.1:${NGINX_PORT}`);
  } else {
    console.log('nginx is not installed: the demo gates the app and the config without it');
  }
  // what the gate runs with, as it is on disk now
  console.log(`\nThe example deployment (copied to ${work}), gated with this spec:\n`);
  console.log(readFileSync(specFile, 'utf8'));

  const results = [];
  results.push(['a healthy deploy', gate('1. A healthy deploy: the gate passes', ['check'])]);

  await stop(app);
  results.push(['the backend is down', gate('2. The app did not come back after the deploy', ['check', '--deadline', '2s'])]);

  const conf = join(work, 'nginx', 'conf.d', 'app.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(`127.0.0.1:${APP_PORT}`, `127.0.0.1:${APP_PORT + 1}`));
  results.push(['nginx dials the wrong port', gate('3. The nginx config dials another port than the spec', ['check', '--phase', 'config'])]);

  const late = await startApp(['127.0.0.1', String(APP_PORT), '1500']);
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(`127.0.0.1:${APP_PORT + 1}`, `127.0.0.1:${APP_PORT}`));
  results.push(['a slow start within the deadline', gate('4. The app warms up for 1.5 s: the gate waits, then passes', ['check'])]);
  await stop(late);

  console.log(`\n${bold('Summary')}`);
  for (const [name, code] of results) console.log(`  ${code === 0 ? 'pass' : `fail (exit ${code})`}  ${name}`);
  const expected = [0, 1, 1, 0];
  const asExpected = results.every(([, code], i) => code === expected[i]);
  console.log(asExpected ? '\nEvery scenario ended as expected.' : '\nA scenario did not end as expected: see above.');
  return asExpected ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`demo: ${e.message}`);
    process.exit(2);
  },
);
