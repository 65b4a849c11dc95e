// The WebAssembly scanner (wasm/scan.ts, built into scan-wasm.ts): loaded
// once per thread, and not at all where WebAssembly or its SIMD is missing
// (node --jitless), where the JS scanner does the work.
import { FORM_NEW, RECORD } from './record.js';
import { SCAN_WASM_BASE64 } from './scan-wasm.js';

export interface WasmScanner {
  /** the largest region it takes */
  capacity: number;
  /** scan a region; returns the number of lines, whose records are in `records` */
  scan(bytes: Uint8Array): number;
  records: Int32Array;
  /** forms it remembers, and the bytes their keys take */
  forms(): number;
  full(): boolean;
  resetForms(): void;
  /** the explainer whose slots match the form table now: the table is one per thread */
  owner: unknown;
}

/** the little of the WebAssembly API used here (@types/node for Node 20 types none of it) */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

let instance: WasmScanner | null | undefined;

/** Is the WebAssembly scanner available here (for the tests: it must be, on Node 20 and 24)? */
export function hasScanner(): boolean {
  return wasmScanner() !== undefined;
}

/** The WebAssembly scanner, one per thread; undefined where WebAssembly or its SIMD is not available. */
export function wasmScanner(): WasmScanner | undefined {
  if (instance === undefined) {
    try {
      const wa = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const x = new wa.Instance(new wa.Module(Buffer.from(SCAN_WASM_BASE64, 'base64'))).exports as {
        memory: { buffer: ArrayBuffer };
        scan(len: number): number;
        inputCapacity(): number;
        outputOffset(): number;
        recordSize(): number;
        formNewBit(): number;
        formCount(): number;
        arenaBytes(): number;
        arenaCapacity(): number;
        resetForms(): void;
      };
      // the layout JS reads: a scanner built otherwise is not used
      if (x.recordSize() !== RECORD || x.formNewBit() !== FORM_NEW) throw new Error('scanner layout');
      const capacity = x.inputCapacity();
      const input = new Uint8Array(x.memory.buffer, 0, capacity);
      const records = new Int32Array(x.memory.buffer, x.outputOffset(), RECORD * (capacity + 1));
      instance = {
        capacity,
        records,
        scan(bytes) {
          input.set(bytes);
          return x.scan(bytes.length);
        },
        forms: () => x.formCount(),
        full: () => x.arenaBytes() > x.arenaCapacity(),
        resetForms: () => x.resetForms(),
        owner: undefined,
      };
    } catch {
      instance = null;
    }
  }
  return instance ?? undefined;
}
