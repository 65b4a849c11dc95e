// The scanner's output: one record of RECORD i32 per line. The WebAssembly
// scanner (wasm/scan.ts, which imports this file) and the JS scanner
// (js-scanner.ts) write records; the explainer (explain.ts) reads them.
// Positions are offsets into the scanned text, -1 a field that is absent.
// AssemblyScript compiles this file too: integer constants only.

/** where the line starts */
export const R_START = 0;
/** where it ends, without the newline and a CR before it */
export const R_END = 1;
/** where the message starts; -1: the line does not start the way nginx writes lines (the full parse decides) */
export const R_MSG = 2;
/** `, client: ` */
export const R_CLIENT = 3;
/** the server value, and where it ends */
export const R_SERVER = 4;
export const R_SERVER_END = 5;
/** the last upstream value, and its closing quote */
export const R_UP = 6;
export const R_UP_CLOSE = 7;
/** the host value, and where it ends */
export const R_HOST = 8;
export const R_HOST_END = 9;
/** 1: the same time (19 bytes) as the previous line with an nginx prefix in this region */
export const R_SAME = 10;
/** failure levels: the form's id, +FORM_NEW when first seen; else -1 */
export const R_FORM = 11;

/** i32 per line */
export const RECORD = 12;
/** a form id the scanner saw for the first time carries this bit */
export const FORM_NEW = 1 << 30;
/** server and host in the JS scanner's records: not looked for yet (it looks for them only on lines that count) */
export const UNKNOWN = -2;
