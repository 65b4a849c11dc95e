import { resolve } from 'node:path';
import { runGate, type PhaseSelection } from '../gate/run.js';
import { planWrite, writeFilesAtomically } from '../atomic-write.js';
import { toJson } from '../report/json.js';
import { toText } from '../report/text.js';
import { createProgress } from '../report/progress.js';
import { useColor } from '../report/color.js';
import { terminalWidth } from '../report/wrap.js';
import { DEFAULT_SPEC_FILE } from '../spec/load.js';
import type { Host } from '../host/host.js';
import type { SshOptions } from '../host/ssh/ssh-host.js';
import { isUserError, UserError } from '../user-error.js';
import { mark, newTimings, processStages, timed, type Timings } from '../timings.js';
import { durationFlag, oneOf, parseFlags } from './args.js';
import { EXIT, type Command, type CommandIO } from './io.js';
import { loadSpecArg } from './spec-arg.js';

const help = `Usage: upstream-gate check [--spec FILE] [--phase config|probe|all]
                           [--format text|json|junit] [--deadline DUR]
                           [--report FILE] [--nginx-dump FILE] [--quiet]
                           [--debug]
                           [--ssh [USER@]HOST[:PORT] [--ssh-key FILE]
                            [--known-hosts FILE | --ssh-host-key KEY]
                            [--ssh-proxy COMMAND] [--sudo]]
                           [--inventory FILE [--limit PATTERN] | --ssh T ...]
                            [--concurrency N]

Check that nginx dials what the spec says (config phase), then probe every
address nginx would dial and each health endpoint (probe phase), and give the
verdict with a classified reason, the evidence and the fix.

Options:
  --spec FILE        spec file (default ./${DEFAULT_SPEC_FILE})
  --phase PHASE      config, probe or all (default all: config, then probe;
                     a config error fails the gate without probing)
  --format FORMAT    text (default), json (the report contract) or junit
  --deadline DUR     bound the whole gate, every retry included (e.g. 30s);
                     overrides gate.deadline of the spec
  --report FILE      also write the JSON report to FILE
  --nginx-dump FILE  read an \`nginx -T\` dump instead of the config files
                     ("-" for standard input); overrides nginx.dump
  --quiet            print only the verdict (progress and details omitted)
  --debug            print where the time went, stage by stage, to stderr
                     (the JSON report always has it: \`timings\`)
  --ssh TARGET       gate that host from its own vantage over one SSH
                     connection, installing and writing nothing there: its
                     config from \`nginx -T\`, its tools (ss, stat, getent),
                     every probe dialed by sshd on it
  --ssh-key FILE     private key (else UPSTREAM_GATE_SSH_KEY holds its text,
                     else the ssh-agent, else ~/.ssh/id_*); an encrypted key's
                     passphrase comes from UPSTREAM_GATE_SSH_PASSPHRASE
  --known-hosts FILE host keys to trust (default ~/.ssh/known_hosts; hashed
                     entries too); an unknown or changed key stops the gate
  --ssh-host-key KEY the host's key instead: SHA256:... or "TYPE BASE64"
  --ssh-proxy CMD    reach the host through CMD's standard input and output,
                     as ssh's ProxyCommand (%h host, %p port, %r user); split
                     into words and run without a shell
  --sudo             on the host, run nginx -T, ss, iptables and nft and read
                     files through \`sudo -n\`
  --inventory FILE   gate every host of an Ansible inventory (INI or YAML)
                     over SSH: ansible_host, ansible_port, ansible_user,
                     ansible_ssh_private_key_file; each host its own verdict,
                     exit 1 when any host fails (repeat --ssh for a list)
  --limit PATTERN    the hosts Ansible's --limit selects: groups, names,
                     globs (web*), a:b unions, a:&b, a:!b
  --concurrency N    hosts gated at once (default 10)
  -h, --help         this help

Retries: while nothing listens yet (refused, missing socket) the connect is
retried every gate.interval; HTTP-level failures back off from gate.interval
to gate.max_interval, growing with the time already waited (a tenth of it).
Definitive reasons (family mismatch, wrong address or port, permission,
SELinux, firewall reject) fail after two confirmations instead of waiting
for the deadline.

Exit codes: 0 pass, 1 the gate failed, 2 bad input.`;

const unguarded: Command = {
  help,
  async run(args, io) {
    const timings = newTimings();
    processStages(timings);
    const { values } = parseFlags('check', args, {
      spec: { type: 'string' },
      phase: { type: 'string' },
      format: { type: 'string' },
      deadline: { type: 'string' },
      report: { type: 'string' },
      'nginx-dump': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      debug: { type: 'boolean' },
      ssh: { type: 'string', multiple: true },
      inventory: { type: 'string' },
      limit: { type: 'string' },
      concurrency: { type: 'string' },
      'ssh-key': { type: 'string' },
      'known-hosts': { type: 'string' },
      'ssh-host-key': { type: 'string' },
      'ssh-proxy': { type: 'string' },
      sudo: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(`${help}\n`);
      return EXIT.pass;
    }
    const phase = oneOf<PhaseSelection>('phase', values.phase, ['config', 'probe', 'all'], 'all');
    const format = oneOf('format', values.format, ['text', 'json', 'junit'] as const, 'text');
    const deadlineMs = durationFlag('deadline', values.deadline);
    const spec = await timed(timings, 'spec load', () => loadSpecArg(io.cwd, values.spec, io.signal));
    const dump = values['nginx-dump'];
    if (dump !== undefined) spec.nginx.dump = dump === '-' ? '-' : resolve(io.cwd, dump);
    const reportPath = values.report === undefined ? undefined : resolve(io.cwd, values.report);
    // a report that cannot be written (a directory) is known before the gate runs
    if (reportPath) await planWrite(reportPath);

    // a fleet, and SSH, load their code only when asked for: a local gate starts without it
    if (values.inventory !== undefined || (values.ssh?.length ?? 0) > 1) {
      const { concurrencyFlag, fleetTargets, runFleetCheck } = await import('./fleet.js');
      const targets = await fleetTargets(values, io);
      const concurrency = concurrencyFlag(values.concurrency);
      return runFleetCheck(targets, concurrency, { spec, phase, format, ...(deadlineMs !== undefined && { deadlineMs }), ...(reportPath && { reportPath }), quiet: values.quiet === true, ssh: sshOptions(values, io) }, io);
    }
    if (values.concurrency !== undefined || values.limit !== undefined) throw new UserError(`--${values.limit !== undefined ? 'limit' : 'concurrency'} needs --inventory (or several --ssh)`);
    const remote = await openRemote({ ...values, ssh: values.ssh?.[0] }, io);
    try {
      return await gate(remote?.host);
    } finally {
      await remote?.close();
    }

    async function gate(host: Host | undefined) {
      const quiet = values.quiet === true;
      const progress = createProgress(io.stderr, {
        quiet,
        color: useColor(io.stderr, io.env),
        live: io.stderr.isTTY === true && io.env.TERM !== 'dumb',
        width: terminalWidth(io.stderr, io.env),
      });
      const report = await runGate(spec, {
        phase,
        ...(deadlineMs !== undefined && { deadlineMs }),
        signal: io.signal,
        onProgress: progress.onProgress,
        timings,
        ...(host && { host }),
      });
      progress.done();
      const reportStart = performance.now();

      const json = reportPath || format === 'json' ? toJson(report) : '';
      if (reportPath) await writeFilesAtomically([{ path: reportPath, text: json }], io.signal);
      // every renderer ends its output with a newline
      io.stdout.write(
        format === 'json'
          ? json
          : format === 'junit'
            ? (await junit()).toJunit(report, { cwd: io.cwd })
            : toText(report, { color: useColor(io.stdout, io.env), quiet, width: terminalWidth(io.stdout, io.env) }),
      );
      if (values.debug === true) {
        mark(timings, 'report', reportStart);
        io.stderr.write(timingsText(timings));
      }
      return report.verdict === 'pass' ? EXIT.pass : EXIT.fail;
    }
  },
};

type SshFlags = { ssh?: string | string[] | undefined; 'ssh-key'?: string; 'known-hosts'?: string; 'ssh-host-key'?: string; 'ssh-proxy'?: string; sudo?: boolean };

/** `--ssh`: the one connection the gate runs over, or a one-line error (exit 2). */
async function openRemote(values: SshFlags & { ssh?: string | undefined }, io: CommandIO): Promise<{ host: Host; close(): Promise<void> } | undefined> {
  if (values.ssh === undefined) {
    const stray = (['ssh-key', 'known-hosts', 'ssh-host-key', 'ssh-proxy', 'sudo'] as const).find((k) => values[k] !== undefined);
    if (stray) throw new UserError(`--${stray} needs --ssh`);
    return undefined;
  }
  const { openSshHost, parseSshTarget } = await import('../host/ssh/ssh-host.js');
  const target = parseSshTarget(values.ssh);
  if (typeof target === 'string') throw new UserError(`--ssh ${values.ssh}: ${target}`);
  if (values['known-hosts'] !== undefined && values['ssh-host-key'] !== undefined) throw new UserError('--known-hosts and --ssh-host-key: give one of them');
  const opened = await openSshHost(target, { ...sshOptions(values, io), signal: io.signal });
  if (!opened.ok) throw new UserError(opened.message);
  return opened;
}

/** The SSH options of the flags and the environment, for one host or every host of a fleet. */
function sshOptions(values: SshFlags, io: CommandIO): SshOptions {
  if (values['known-hosts'] !== undefined && values['ssh-host-key'] !== undefined) throw new UserError('--known-hosts and --ssh-host-key: give one of them');
  const envKey = io.env.UPSTREAM_GATE_SSH_KEY;
  const passphrase = io.env.UPSTREAM_GATE_SSH_PASSPHRASE;
  return {
    ...(values['ssh-key'] !== undefined ? { keyFile: resolve(io.cwd, values['ssh-key']) } : envKey ? { key: envKey } : {}),
    ...(passphrase && { passphrase }),
    ...(values['known-hosts'] !== undefined && { knownHosts: resolve(io.cwd, values['known-hosts']) }),
    ...(values['ssh-host-key'] !== undefined && { hostKey: values['ssh-host-key'] }),
    ...(values['ssh-proxy'] !== undefined && { proxy: values['ssh-proxy'] }),
    ...(values.sudo === true && { sudo: true }),
    ...(io.env.SSH_AUTH_SOCK && { agent: io.env.SSH_AUTH_SOCK }),
  };
}

export const checkCommand: Command = {
  help,
  async run(args, io) {
    try {
      return await unguarded.run(args, io);
    } catch (e) {
      // CI reads the JUnit file even when the job fails: bad input is one errored test case, not an empty file
      if (isUserError(e) && requestedFormat(args) === 'junit') io.stdout.write((await junit()).inputErrorJunit(e.message));
      throw e;
    }
  },
};

/** The JUnit renderer (and its XML writer), loaded only when asked for. */
const junit = () => import('../report/junit.js');

/** One line per stage, in the order they started: its start and length, from the process's start. */
function timingsText(t: Timings): string {
  const stages = [...t.stages].sort((a, b) => a.startMs - b.startMs);
  const width = stages.reduce((w, s) => Math.max(w, s.stage.length), 0);
  const ms = (n: number) => n.toFixed(1).padStart(8);
  return `timings (ms from the process's start):\n${stages.map((s) => `  ${s.stage.padEnd(width)}  at ${ms(s.startMs)}  took ${ms(s.ms)}`).join('\n')}\n`;
}

function requestedFormat(args: string[]): string | undefined {
  let format: string | undefined;
  args.forEach((a, i) => {
    if (a === '--format') format = args[i + 1];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
  });
  return format;
}
