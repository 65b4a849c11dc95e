// The JS scanner's output (js-scanner.ts, where WebAssembly is not
// available): one record of RECORD i32 per line, which the explainer
// (explain.ts) reads. Positions are offsets into the scanned text, -1 a field
// that is absent.

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

/** i32 per line */
export const RECORD = 10;
/** server and host in the JS scanner's records: not looked for yet (it looks for them only on lines that count) */
export const UNKNOWN = -2;
