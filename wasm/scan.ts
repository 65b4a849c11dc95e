// The byte scanner behind `explain`'s hot path, compiled to WebAssembly with
// AssemblyScript (scripts/build-wasm.mjs). JS copies a region of whole lines
// to address 0 and calls scan(len); for every line it gets back a record of
// where the fields explain reads start and end (src/explain/record.ts, the
// layout JS reads), found with 16-byte SIMD compares instead of a dozen
// String.indexOf calls per line. The JS that finds the same positions when
// WebAssembly is not there is src/explain/js-scanner.ts;
// test/explain/fast-path.test.ts holds both to a full parse of every line.
import { FORM_NEW, R_CLIENT, R_END, R_FORM, R_HOST, R_HOST_END, R_MSG, R_SAME, R_SERVER, R_SERVER_END, R_START, R_UP, R_UP_CLOSE, RECORD } from '../src/explain/record';

/** input: the region's bytes, followed by PAD zero bytes */
const IN_CAP: i32 = 65536;
const PAD: i32 = 64;
/** output: RECORD i32 per line */
const OUT: i32 = 131072;

// The form table: (level, message, upstream address) -> id. Keys are kept
// in an arena as [level 2 bytes][message][0][address]; slots hold
// hash, id, key offset, key length (i32 each). JS decides when to empty it.
const SLOTS: i32 = 32768;
const TABLE: i32 = 4 * 1024 * 1024;
const ARENA: i32 = TABLE + SLOTS * 16;
const ARENA_CAP: i32 = 4 * 1024 * 1024;
let forms: i32 = 0;
let arenaUsed: i32 = 0;

export function formCount(): i32 {
  return forms;
}
export function arenaBytes(): i32 {
  return arenaUsed;
}
export function arenaCapacity(): i32 {
  return ARENA_CAP;
}
/** forget every form (JS forgets their slots with them) */
export function resetForms(): void {
  memory.fill(TABLE, 0, SLOTS * 16);
  forms = 0;
  arenaUsed = 0;
}

@inline function mix(h: u32, x: u32): u32 {
  return (h ^ x) * 0x9e3779b1;
}

/** bytes [a, a + n) equal bytes [b, b + n) */
function same(a: i32, b: i32, n: i32): bool {
  let i = 0;
  while (i + 8 <= n) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  while (i < n) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
    i++;
  }
  return true;
}

/** the id of the form (level at lv, message [m0, m1), address [u0, u1)), added when new */
function form(lv: i32, m0: i32, m1: i32, u0: i32, u1: i32): i32 {
  const mlen = m1 - m0;
  const ulen = u1 - u0;
  const klen = 2 + mlen + 1 + ulen;
  let h: u32 = mix(<u32>klen, <u32>load<u16>(lv));
  let i = m0;
  while (i + 8 <= m1) {
    const w = load<u64>(i);
    h = mix(h, <u32>w ^ <u32>(w >> 32));
    i += 8;
  }
  while (i < m1) h = mix(h, <u32>load<u8>(i++));
  for (i = u0; i < u1; i++) h = mix(h, <u32>load<u8>(i) + 0x100);
  h ^= h >> 15;
  if (h == 0) h = 1;
  let slot = <i32>(h & <u32>(SLOTS - 1));
  for (;;) {
    const at = TABLE + slot * 16;
    const sh = load<u32>(at);
    if (sh == 0) break;
    if (sh == h && load<i32>(at + 12) == klen) {
      const k = ARENA + load<i32>(at + 8);
      if (load<u16>(k) == load<u16>(lv) && same(k + 2, m0, mlen) && load<u8>(k + 2 + mlen) == 0 && same(k + 3 + mlen, u0, ulen)) return load<i32>(at + 4);
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
  // new: keep the key
  const at = TABLE + slot * 16;
  const k = ARENA + arenaUsed;
  store<u16>(k, load<u16>(lv));
  memory.copy(k + 2, m0, mlen);
  store<u8>(k + 2 + mlen, 0);
  memory.copy(k + 3 + mlen, u0, ulen);
  store<u32>(at, h);
  store<i32>(at + 4, forms);
  store<i32>(at + 8, arenaUsed);
  store<i32>(at + 12, klen);
  arenaUsed += klen;
  return FORM_NEW + forms++;
}

/** the address part of an upstream value [v, close): scheme and host:port, or the whole unix: value */
function addressEnd(v: i32, close: i32): i32 {
  let host = v;
  for (let i = v; i + 3 <= close; i++) {
    if (b(i) == 58 && b(i + 1) == 47 && b(i + 2) == 47) {
      host = i + 3;
      break;
    }
  }
  if (host + 5 <= close && load<u32>(host) == 0x78696e75 && b(host + 4) == 58) return close; // unix:
  const slash = find(47, host, close);
  return slash;
}

export function inputCapacity(): i32 {
  return IN_CAP;
}
export function outputOffset(): i32 {
  return OUT;
}
export function recordSize(): i32 {
  return RECORD;
}
export function formNewBit(): i32 {
  return FORM_NEW;
}

@inline function b(p: i32): i32 {
  return <i32>load<u8>(p);
}

/** the first `c` in [from, to), or to */
@inline function find(c: i32, from: i32, to: i32): i32 {
  const splat = i8x16.splat(<i8>c);
  let p = from;
  while (p < to) {
    let m = i8x16.bitmask(i8x16.eq(v128.load(p), splat));
    if (m != 0) {
      const at = p + ctz<i32>(m);
      return at < to ? at : to;
    }
    p += 16;
  }
  return to;
}

@inline function isDigit(c: i32): bool {
  return <u32>(c - 48) < 10;
}

/** `[level] pid#tid: ` and an optional `*cid `, from p; the message start or -1 */
function prefixTail(p: i32): i32 {
  if (b(p) != 91) return -1; // [
  p++;
  // debug info notice warn error crit alert emerg
  const w = load<u32>(p);
  let n = 0;
  if (w == 0x75626564 && b(p + 4) == 103) n = 5; // debug
  else if (w == 0x6f666e69) n = 4; // info
  else if (w == 0x69746f6e && load<u16>(p + 4) == 0x6563) n = 6; // notice
  else if (w == 0x6e726177) n = 4; // warn
  else if (w == 0x6f727265 && b(p + 4) == 114) n = 5; // error
  else if (w == 0x74697263) n = 4; // crit
  else if (w == 0x72656c61 && b(p + 4) == 116) n = 5; // alert
  else if (w == 0x72656d65 && b(p + 4) == 103) n = 5; // emerg
  else return -1;
  p += n;
  if (b(p) != 93 || b(p + 1) != 32) return -1; // "] "
  p += 2;
  if (!isDigit(b(p))) return -1;
  while (isDigit(b(p))) p++;
  if (b(p) != 35) return -1; // #
  p++;
  if (!isDigit(b(p))) return -1;
  while (isDigit(b(p))) p++;
  if (b(p) != 58 || b(p + 1) != 32) return -1; // ": "
  p += 2;
  if (b(p) == 42 && isDigit(b(p + 1))) {
    // *cid followed by a space, else the star is the message's
    let q = p + 1;
    while (isDigit(b(q))) q++;
    if (b(q) == 32) return q + 1;
  }
  return p;
}

// the needles after their comma, little-endian
const CLIENT8: u64 = 0x746e65696c63202c; // ", client"
const UPSTR8: u64 = 0x6165727473707520; // " upstrea" (after the comma)
const HOST8: u64 = 0x203a74736f68202c; // ", host: "

@inline function isClient(p: i32): bool {
  return load<u64>(p) == CLIENT8 && load<u16>(p + 8) == 0x203a; // ": "
}
@inline function isServer(p: i32): bool {
  // ", server: "
  return load<u64>(p) == 0x726576726573202c && load<u16>(p + 8) == 0x203a;
}
@inline function isUpstream(p: i32): bool {
  // ", upstream: \""
  return b(p) == 44 && load<u64>(p + 1) == UPSTR8 && load<u32>(p + 9) == 0x22203a6d;
}
@inline function isHost(p: i32): bool {
  return load<u64>(p) == HOST8 && b(p + 8) == 34;
}

/** the first `, ` in [from, to), or to */
function commaSpace(from: i32, to: i32): i32 {
  let p = from;
  while (p < to) {
    p = find(44, p, to);
    if (p >= to) return to;
    if (b(p + 1) == 32) return p;
    p++;
  }
  return to;
}

/** Scan the `len` bytes at 0; returns the number of lines recorded at OUT. */
export function scan(len: i32): i32 {
  // zero the padding: loads past the end read nothing that matches
  memory.fill(len, 0, PAD);
  const comma = i8x16.splat(44);
  let lines = 0;
  let s = 0;
  let prevTime = -1;
  while (s < len) {
    const nl = find(10, s, len);
    let e = nl;
    if (e > s && b(e - 1) == 13) e--;
    const r = OUT + lines * RECORD * 4;
    lines++;
    store<i32>(r + R_START * 4, s);
    store<i32>(r + R_END * 4, e);
    let msg = -1;
    if (e - s >= 24 && b(s + 4) == 47 && b(s + 19) == 32 && b(s + 20) == 91) {
      msg = prefixTail(s + 20);
      if (msg > e) msg = -1;
    }
    store<i32>(r + R_MSG * 4, msg);
    let sameTime = 0;
    if (msg >= 0) {
      if (prevTime >= 0 && same(s, prevTime, 19)) sameTime = 1;
      prevTime = s;
    }
    store<i32>(r + R_SAME * 4, sameTime);
    let client = -1;
    let server = -1;
    let up = -1;
    let host = -1;
    if (msg >= 0) {
      // every comma of the message and the fields after it, 16 bytes at a time
      let p = msg;
      while (p < e) {
        let m = i8x16.bitmask(i8x16.eq(v128.load(p), comma));
        while (m != 0) {
          const at = p + ctz<i32>(m);
          m &= m - 1;
          if (at >= e) break;
          if (client < 0) {
            if (isClient(at)) client = at;
          } else {
            if (server < 0 && isServer(at)) server = at;
            else if (isUpstream(at)) up = at;
            else if (host < 0 && isHost(at)) host = at;
          }
        }
        p += 16;
      }
    }
    store<i32>(r + R_CLIENT * 4, client);
    let serverV = -1;
    let serverEnd = -1;
    if (server >= 0) {
      serverV = server + 10;
      serverEnd = commaSpace(serverV, e);
    }
    store<i32>(r + R_SERVER * 4, serverV);
    store<i32>(r + R_SERVER_END * 4, serverEnd);
    let upV = -1;
    let upClose = -1;
    let hostV = -1;
    if (up >= 0) {
      upV = up + 13;
      upClose = find(34, upV, e);
      // with an upstream field, the host is the field right after it, or none
      hostV = isHost(upClose + 1) ? upClose + 10 : -1;
    } else if (host >= 0) hostV = host + 9;
    store<i32>(r + R_UP * 4, upV);
    store<i32>(r + R_UP_CLOSE * 4, upClose);
    store<i32>(r + R_HOST * 4, hostV);
    store<i32>(r + R_HOST_END * 4, hostV >= 0 ? find(34, hostV, e) : -1);
    let id = -1;
    const level = msg >= 0 ? b(s + 21) : 0;
    // error, emerg, crit, alert: the levels a failure is logged at
    if (level == 101 || level == 99 || level == 97) {
      id = form(s + 21, msg, client >= 0 ? client : e, upV >= 0 ? upV : 0, upV >= 0 ? addressEnd(upV, upClose) : 0);
    }
    store<i32>(r + R_FORM * 4, id);
    s = nl + 1;
  }
  return lines;
}
