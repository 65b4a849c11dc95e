// The WebAssembly scanner (wasm/scan.ts, built into scan-wasm.ts): compiled
// once per thread, one instance (its own memory: forms, groups, names) per
// explainer, and not at all where WebAssembly or its SIMD is missing
// (node --jitless), where the JS scanner does the work.
import { SCAN_WASM_BASE64 } from './scan-wasm.js';

/** what run() stopped for */
export const EV_DONE = 0;
/** a line not in nginx's format, [evStart, evEnd): JS parses it in full */
export const EV_SLOW = 1;
/** a form not seen before, its line [evStart, evEnd): JS says where it counts (setForm) */
export const EV_FORM = 2;
/** the line [evStart, evEnd) is the new earliest of group evGroupIndex: JS keeps it as the sample */
export const EV_SAMPLE = 3;

/** group codes besides a group's index */
export const CODE_NOT_COUNTED = -1;
export const CODE_UNGROUPED = -2;

/** The scanner's exports (wasm/scan.ts says what each does). */
export interface ScanExports {
  memory: { buffer: ArrayBuffer };
  inputCapacity(): number;
  maxGroups(): number;
  memoryEnd(): number;
  begin(len: number): number;
  run(): number;
  evStart(): number;
  evEnd(): number;
  evForm(): number;
  evGroupIndex(): number;
  formCount(): number;
  takeLines(): number;
  takeFailures(): number;
  takeOutside(): number;
  takeUngrouped(): number;
  spanFrom(): number;
  spanTo(): number;
  setWindow(since: number, until: number): void;
  setTime(key: number): void;
  setForm(at: number, code: number): void;
  resetGroups(): void;
  tally(code: number, sv: number, se: number, hv: number, he: number): number;
  groupCount(i: number): number;
  groupFirst(i: number): number;
  groupLast(i: number): number;
  groupNames(i: number, kind: number): number;
  groupNameAt(i: number, kind: number, j: number): number;
  groupNameLength(i: number, kind: number, j: number): number;
}

export interface WasmScanner {
  x: ScanExports;
  /** the whole memory, for copying regions in and reading lines and names out */
  mem: Buffer;
  /** the largest region it takes */
  capacity: number;
}

/** the little of the WebAssembly API used here (@types/node for Node 20 types none of it) */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

let compiled: object | null | undefined;

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

function scanModule(): object | undefined {
  if (compiled === undefined) {
    try {
      compiled = new (wasmApi() as WasmApi).Module(Buffer.from(SCAN_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** Is the WebAssembly scanner available here (for the tests: it must be, on Node 20 and 24)? */
export function hasScanner(): boolean {
  return scanModule() !== undefined;
}

/** A new scanner with its own memory; undefined where WebAssembly or its SIMD is not available. */
export function createWasmScanner(): WasmScanner | undefined {
  const module = scanModule();
  if (!module) return undefined;
  const x = new (wasmApi() as WasmApi).Instance(module).exports as ScanExports;
  // a module whose memory does not hold its own layout is not used
  if (x.memoryEnd() > x.memory.buffer.byteLength) return undefined;
  x.resetGroups();
  return { x, mem: Buffer.from(x.memory.buffer), capacity: x.inputCapacity() };
}
