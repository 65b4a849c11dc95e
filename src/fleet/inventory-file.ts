// `--inventory FILE`: read it (a regular file or a pipe, bounded), decide
// INI or YAML as Ansible's plugins do (a YAML file by its extension, else a
// file whose first meaningful line is a YAML mapping or `---`), and parse it.
import { extname } from 'node:path';
import { readInput } from '../input-file.js';
import { UserError } from '../user-error.js';
import type { Inventory } from './inventory.js';
import { parseIniInventory } from './inventory-ini.js';
import { parseYamlInventory } from './inventory-yaml.js';

export const MAX_INVENTORY_BYTES = 16 * 1024 * 1024;

export async function loadInventory(path: string, shown: string, signal?: AbortSignal): Promise<Inventory> {
  const bytes = await readInput(path, { what: 'inventory', shown, maxBytes: MAX_INVENTORY_BYTES, ...(signal && { signal }) });
  if (bytes.includes(0)) throw new UserError('the inventory is not text (it holds NUL bytes)', `${shown}:1`);
  return parseInventory(bytes.toString('utf8'), path, shown);
}

export function parseInventory(text: string, file: string, shown: string): Inventory {
  return looksLikeYaml(text, file) ? parseYamlInventory(text, file, shown) : parseIniInventory(text, file, shown);
}

function looksLikeYaml(text: string, file: string): boolean {
  const ext = extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return true;
  if (ext === '.ini' || ext === '.cfg') return false;
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return first !== undefined && (first.trim() === '---' || /^[\w.-]+:\s*(#.*)?$/.test(first.trim()) || first.trim().startsWith('{'));
}
