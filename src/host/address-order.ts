// The order nginx dials a name's addresses in, whichever host resolved it:
// ngx_inet_resolve_host() keeps getaddrinfo's order but puts every IPv4
// address before the IPv6 ones. One order for every Host implementation.

export function inNginxOrder(answers: readonly { address: string; family: number }[]): string[] {
  const seen = new Set<string>();
  const v4 = answers.filter((a) => a.family === 4).map((a) => a.address);
  const v6 = answers.filter((a) => a.family === 6).map((a) => a.address);
  return [...v4, ...v6].filter((a) => !seen.has(a) && seen.add(a));
}
