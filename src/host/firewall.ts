// Firewall rules that could drop or reject a connect to a port: `iptables -S`
// (and ip6tables for IPv6), `nft list ruleset`. Needs root; otherwise says so.
import { append } from '../append.js';
import type { Runner } from './run.js';
import { whyFailed } from './why-failed.js';

export interface FirewallEvidence {
  /** rules that DROP or REJECT this port, or a DROP policy: `iptables: -A INPUT -p tcp --dport 8000 -j REJECT` */
  rules: string[];
  notes: string[];
}

function portIn(spec: string, port: number): boolean {
  return spec.split(',').some((part) => {
    const [a, b] = part.split(/[:-]/).map(Number);
    if (a === undefined || Number.isNaN(a)) return false;
    return b === undefined || Number.isNaN(b) ? a === port : port >= a && port <= b;
  });
}

/** `iptables -S` lines that block `port`: a matching dport, or no port match at all on a DROP/REJECT rule for tcp. */
export function matchIptables(text: string, port: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (/^-P (INPUT|OUTPUT) DROP$/.test(line)) {
      out.push(line);
      continue;
    }
    if (!/^-A /.test(line) || !/-j (DROP|REJECT)\b/.test(line) || /-p (udp|icmp|icmpv6)\b/.test(line)) continue;
    const m = /--dports? (\S+)/.exec(line);
    if (m?.[1] ? portIn(m[1], port) : !/--sports? /.test(line)) out.push(line);
  }
  return out;
}

/** `nft list ruleset` rule lines that drop or reject `port`. */
export function matchNft(text: string, port: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (/policy drop;/.test(line) && /hook (input|output)/.test(line)) {
      out.push(line);
      continue;
    }
    if (!/\b(drop|reject)\b/.test(line) || /^(chain|table|type)\b/.test(line) || /\budp [ds]port\b|l4proto (udp|icmp)|protocol (udp|icmp)/.test(line)) continue;
    const m = /\bdport (\{[^}]*\}|\S+)/.exec(line);
    if (!m?.[1]) {
      if (!/\bsport\b/.test(line)) out.push(line);
      continue;
    }
    if (portIn(m[1].replace(/[{}\s]/g, ''), port)) out.push(line);
  }
  return out;
}

export async function readFirewall(runner: Runner, port: number, family: 4 | 6, options: { signal?: AbortSignal } = {}): Promise<FirewallEvidence> {
  const run = { timeoutMs: 2000, ...(options.signal && { signal: options.signal }) };
  const ipt = family === 6 ? 'ip6tables' : 'iptables';
  const [it, nft] = await Promise.all([runner.run(ipt, ['-S'], run), runner.run('nft', ['list', 'ruleset'], run)]);
  const rules: string[] = [];
  const notes: string[] = [];
  if (it.failed) notes.push(whyFailed(it));
  else append(rules, matchIptables(it.stdout, port).map((l) => `${ipt}: ${l}`));
  if (nft.failed) notes.push(whyFailed(nft));
  // iptables-nft shows the same rules in both views: keep nft's only when iptables saw none
  else if (rules.length === 0) append(rules, matchNft(nft.stdout, port).map((l) => `nft: ${l}`));
  return { rules, notes };
}
