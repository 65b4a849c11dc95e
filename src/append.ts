// `list.push(...items)` passes every item as a call argument, on the stack:
// past about 100,000 items (a server_name line, an upstream group, the
// findings of a broken config) V8 throws "Maximum call stack size exceeded".
// Input-sized lists are appended one by one instead.

/** Appends `items` to `target` in order, at any length; returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
