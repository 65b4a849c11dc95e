import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePassTarget, parseUpstreamServer, splitHostPort } from '../../src/nginx/pass-target.js';

test('*_pass arguments as nginx reads them', () => {
  const rows: [Parameters<typeof parsePassTarget>, ReturnType<typeof parsePassTarget>][] = [
    [['proxy_pass', 'http://127.0.0.1:8000', 'http'], { scheme: 'http', dynamic: false, authority: '127.0.0.1:8000', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 8000 } }],
    [['proxy_pass', 'http://127.0.0.1', 'http'], { scheme: 'http', dynamic: false, authority: '127.0.0.1', group: '127.0.0.1', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 80 } }],
    [['proxy_pass', 'HTTPS://api.internal/v1/', 'http'], { scheme: 'https', dynamic: false, authority: 'api.internal', group: 'api.internal', endpoint: { kind: 'tcp', host: 'api.internal', port: 443 } }],
    [['proxy_pass', 'http://[::1]:8000/x?y', 'http'], { scheme: 'http', dynamic: false, authority: '[::1]:8000', endpoint: { kind: 'tcp', host: '::1', port: 8000 } }],
    [['proxy_pass', 'http://[::1]', 'http'], { scheme: 'http', dynamic: false, authority: '[::1]', group: '::1', endpoint: { kind: 'tcp', host: '::1', port: 80 } }],
    [['proxy_pass', 'http://unix:/run/app.sock:/api/', 'http'], { scheme: 'http', dynamic: false, authority: 'unix:/run/app.sock', endpoint: { kind: 'unix', path: '/run/app.sock' } }],
    [['proxy_pass', 'http://unix:/run/app.sock', 'http'], { scheme: 'http', dynamic: false, authority: 'unix:/run/app.sock', endpoint: { kind: 'unix', path: '/run/app.sock' } }],
    [['proxy_pass', 'http://backend', 'http'], { scheme: 'http', dynamic: false, authority: 'backend', group: 'backend', endpoint: { kind: 'tcp', host: 'backend', port: 80 } }],
    [['proxy_pass', 'http://$upstream_host:8000', 'http'], { scheme: 'http', dynamic: true, authority: '$upstream_host:8000' }],
    [['proxy_pass', 'http://127.0.0.1:8000$request_uri', 'http'], { scheme: 'http', dynamic: false, authority: '127.0.0.1:8000', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 8000 } }],
    [['proxy_pass', '$target', 'http'], { scheme: 'http', dynamic: true, authority: '$target' }],
    [['proxy_pass', 'ftp://x', 'http'], { scheme: 'http', dynamic: false, authority: 'ftp://x', error: 'invalid URL prefix in "ftp://x"' }],
    [['fastcgi_pass', 'unix:/run/php/php8.2-fpm.sock', 'http'], { scheme: 'fastcgi', dynamic: false, authority: 'unix:/run/php/php8.2-fpm.sock', endpoint: { kind: 'unix', path: '/run/php/php8.2-fpm.sock' } }],
    [['fastcgi_pass', 'localhost:9000', 'http'], { scheme: 'fastcgi', dynamic: false, authority: 'localhost:9000', endpoint: { kind: 'tcp', host: 'localhost', port: 9000 } }],
    [['fastcgi_pass', 'php_pool', 'http'], { scheme: 'fastcgi', dynamic: false, authority: 'php_pool', group: 'php_pool' }],
    [['uwsgi_pass', 'suwsgi://[::1]:3031', 'http'], { scheme: 'suwsgi', dynamic: false, authority: '[::1]:3031', endpoint: { kind: 'tcp', host: '::1', port: 3031 } }],
    [['grpc_pass', 'grpcs://127.0.0.1:50051', 'http'], { scheme: 'grpcs', dynamic: false, authority: '127.0.0.1:50051', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 50051 } }],
    [['grpc_pass', '127.0.0.1:50051', 'http'], { scheme: 'grpc', dynamic: false, authority: '127.0.0.1:50051', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 50051 } }],
    [['scgi_pass', '127.0.0.1:4000', 'http'], { scheme: 'scgi', dynamic: false, authority: '127.0.0.1:4000', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 4000 } }],
    [['memcached_pass', '127.0.0.1:11211', 'http'], { scheme: 'memcached', dynamic: false, authority: '127.0.0.1:11211', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 11211 } }],
    [['proxy_pass', '127.0.0.1:6379', 'stream'], { scheme: 'tcp', dynamic: false, authority: '127.0.0.1:6379', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 6379 } }],
    [['proxy_pass', 'unix:/run/redis.sock', 'stream'], { scheme: 'tcp', dynamic: false, authority: 'unix:/run/redis.sock', endpoint: { kind: 'unix', path: '/run/redis.sock' } }],
    [['proxy_pass', 'pg', 'stream'], { scheme: 'tcp', dynamic: false, authority: 'pg', group: 'pg' }],
    [['proxy_pass', 'http://127.0.0.1:99999', 'http'], { scheme: 'http', dynamic: false, authority: '127.0.0.1:99999', error: 'invalid port in upstream "127.0.0.1:99999"' }],
    [['proxy_pass', 'http://::1:8000', 'http'], { scheme: 'http', dynamic: false, authority: '::1:8000', error: 'invalid host in upstream "::1:8000"' }],
  ];
  for (const [args, want] of rows) assert.deepEqual(parsePassTarget(...args), want, args.join(' '));
});

test('upstream server lines: weight, max_fails, backup, down; default port 80 in http only', () => {
  assert.deepEqual(parseUpstreamServer(['127.0.0.1:8000', 'weight=5', 'max_fails=3', 'fail_timeout=10s'], 'http'), {
    address: '127.0.0.1:8000',
    dynamic: false,
    weight: 5,
    maxFails: 3,
    backup: false,
    down: false,
    endpoint: { kind: 'tcp', host: '127.0.0.1', port: 8000 },
  });
  assert.deepEqual(parseUpstreamServer(['app.internal', 'backup'], 'http').endpoint, { kind: 'tcp', host: 'app.internal', port: 80 });
  assert.equal(parseUpstreamServer(['app.internal', 'backup'], 'http').backup, true);
  assert.equal(parseUpstreamServer(['[::1]:8000', 'down'], 'http').down, true);
  assert.deepEqual(parseUpstreamServer(['unix:/run/app.sock', 'max_fails=0'], 'http'), {
    address: 'unix:/run/app.sock',
    dynamic: false,
    weight: 1,
    maxFails: 0,
    backup: false,
    down: false,
    endpoint: { kind: 'unix', path: '/run/app.sock' },
  });
  assert.equal(parseUpstreamServer(['db.internal'], 'stream').error, 'no port in upstream "db.internal"');
});

test('host and port splitting', () => {
  assert.deepEqual(splitHostPort('[fe80::1]:443'), { host: 'fe80::1', port: 443 });
  assert.deepEqual(splitHostPort('example.com'), { host: 'example.com' });
  assert.equal(splitHostPort('[::1'), 'invalid IPv6 address');
  assert.equal(splitHostPort(':80'), 'no host');
  assert.equal(splitHostPort('h:0'), 'invalid port');
});
