// What each scenario hands back: its markdown and its verdict against the
// targets of the issue, so the summary can list every target in one place.

export interface Target {
  name: string;
  /** undefined: could not be measured in this run */
  met: boolean | undefined;
  detail: string;
}

export interface Section {
  title: string;
  /** markdown body: tables and notes */
  body: string;
  targets: Target[];
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function targetMark(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? 'met' : 'MISSED';
}
