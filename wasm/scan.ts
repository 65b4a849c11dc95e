// The byte scanner and counter behind `explain`'s hot path, compiled to
// WebAssembly with AssemblyScript (scripts/build-wasm.mjs). JS copies a region
// of whole lines to address 0 and calls begin(len); the scanner reads every
// line there and counts it itself: the line, its time (the log's span, the
// --since/--until window), and for a failure its form (level, message,
// upstream address) in a table of forms, whose group it counts along with the
// group's first and last second and its server and host names (bytes, at
// most MAX_NAMES of each). It stops and hands a line to JS only for what JS
// must decide: a form not seen before (JS parses and classifies the line and
// says which group it counts in, or none), a line not in nginx's format (JS
// parses it in full), and a group's new earliest line (JS keeps it as the
// sample). JS then calls run() to go on. No string is made of any other line.
// The JS that does the same where WebAssembly is not there is
// src/explain/js-scanner.ts with src/explain/explain.ts;
// test/explain/fast-path.test.ts holds both to a full parse of every line.

/** input: the region's bytes, followed by PAD zero bytes */
const IN_CAP: i32 = 262144;
const PAD: i32 = 64;
/** the 19 bytes of the time of the second being counted */
const TIMEBUF: i32 = IN_CAP + 1024;
/** a line longer than this is counted as a line and not read (nginx cuts lines at 2048 bytes) */
const MAX_LINE: i32 = 65536;

// The form table: (level, message, upstream address) -> group code. Keys are
// kept in an arena as [level 2 bytes][message][0][address]; slots hold hash,
// code, key offset, key length (i32 each). Emptied when MAX_FORMS forms or
// ARENA_CAP bytes of keys are held: their lines are then classified again.
const SLOTS: i32 = 32768;
const TABLE: i32 = 1 << 20;
const ARENA: i32 = TABLE + SLOTS * 16;
const ARENA_CAP: i32 = 1 << 20;
const MAX_FORMS: i32 = 20000;

/** group codes: a group's index, or one of these */
const NOT_COUNTED: i32 = -1;
const UNGROUPED: i32 = -2;
const UNRESOLVED: i32 = -3;

// Groups: count, first and last second (as the number YYYYMMDDhhmmss), and
// the server and host names seen, as (offset, length) in the name arena.
const MAX_GROUPS: i32 = 1024;
const MAX_NAMES: i32 = 20;
const MAX_NAME_BYTES: i32 = 255;
const G_COUNT: i32 = 0;
const G_FIRST: i32 = 8;
const G_LAST: i32 = 16;
const G_NAMES: i32 = 24; // [servers, hosts]: i32 count
const G_PREV: i32 = 32; // [servers, hosts]: i32 index of the name matched last
const G_LIST: i32 = 40; // [servers, hosts]: MAX_NAMES x (offset, length)
const G_SIZE: i32 = G_LIST + 2 * MAX_NAMES * 8;
const GROUPS: i32 = ARENA + ARENA_CAP;
const NAMES: i32 = GROUPS + MAX_GROUPS * G_SIZE;
const NAMES_CAP: i32 = MAX_GROUPS * 2 * MAX_NAMES * MAX_NAME_BYTES;
const MEMORY_END: i32 = NAMES + NAMES_CAP;

/** what run() stopped for */
const EV_DONE: i32 = 0;
const EV_SLOW: i32 = 1;
const EV_FORM: i32 = 2;
const EV_SAMPLE: i32 = 3;

let len: i32 = 0;
let pos: i32 = 0;
let evS: i32 = 0;
let evE: i32 = 0;
let evAt: i32 = 0;
let evGroup: i32 = 0;

let forms: i32 = 0;
let arenaUsed: i32 = 0;
let namesUsed: i32 = 0;

let lines: i32 = 0;
let failures: i32 = 0;
let outsideCount: i32 = 0;
let ungrouped: i32 = 0;

let now: f64 = 0;
let outside: bool = false;
let from: f64 = Infinity;
let to: f64 = -Infinity;
let since: f64 = -Infinity;
let until: f64 = Infinity;

export function inputCapacity(): i32 {
  return IN_CAP;
}
export function maxGroups(): i32 {
  return MAX_GROUPS;
}
export function memoryEnd(): i32 {
  return MEMORY_END;
}
export function evStart(): i32 {
  return evS;
}
export function evEnd(): i32 {
  return evE;
}
export function evForm(): i32 {
  return evAt;
}
export function evGroupIndex(): i32 {
  return evGroup;
}
export function formCount(): i32 {
  return forms;
}

/** the counts since the last call, then zero */
export function takeLines(): i32 {
  const n = lines;
  lines = 0;
  return n;
}
export function takeFailures(): i32 {
  const n = failures;
  failures = 0;
  return n;
}
export function takeOutside(): i32 {
  const n = outsideCount;
  outsideCount = 0;
  return n;
}
export function takeUngrouped(): i32 {
  const n = ungrouped;
  ungrouped = 0;
  return n;
}
/** the earliest and latest second of the lines read (Infinity, -Infinity: none) */
export function spanFrom(): f64 {
  return from;
}
export function spanTo(): f64 {
  return to;
}

/** --since and --until, as YYYYMMDDhhmmss (-Infinity, Infinity: none) */
export function setWindow(a: f64, b: f64): void {
  since = a;
  until = b;
}

function applyTime(k: f64): void {
  now = k;
  outside = k < since || k > until;
  if (k < from) from = k;
  if (k > to) to = k;
}

/** the second of a line JS parsed: it holds until a line says otherwise */
export function setTime(k: f64): void {
  applyTime(k);
  store<u8>(TIMEBUF, 0);
}

/** JS's answer for the form at `at` (from evForm) */
export function setForm(at: i32, code: i32): void {
  store<i32>(at + 4, code);
}

/** forget every form */
export function resetForms(): void {
  memory.fill(TABLE, 0, SLOTS * 16);
  forms = 0;
  arenaUsed = 0;
}

/** every group's counts and names to zero (JS has taken them) */
export function resetGroups(): void {
  for (let g = GROUPS; g < NAMES; g += G_SIZE) {
    store<f64>(g + G_COUNT, 0);
    store<f64>(g + G_FIRST, Infinity);
    store<f64>(g + G_LAST, -Infinity);
    store<u64>(g + G_NAMES, 0);
    store<u64>(g + G_PREV, 0);
  }
  namesUsed = 0;
}

export function groupCount(i: i32): f64 {
  return load<f64>(GROUPS + i * G_SIZE + G_COUNT);
}
export function groupFirst(i: i32): f64 {
  return load<f64>(GROUPS + i * G_SIZE + G_FIRST);
}
export function groupLast(i: i32): f64 {
  return load<f64>(GROUPS + i * G_SIZE + G_LAST);
}
/** kind 0: servers, 1: hosts */
export function groupNames(i: i32, kind: i32): i32 {
  return load<i32>(GROUPS + i * G_SIZE + G_NAMES + kind * 4);
}
export function groupNameAt(i: i32, kind: i32, j: i32): i32 {
  return NAMES + load<i32>(GROUPS + i * G_SIZE + G_LIST + (kind * MAX_NAMES + j) * 8);
}
export function groupNameLength(i: i32, kind: i32, j: i32): i32 {
  return load<i32>(GROUPS + i * G_SIZE + G_LIST + (kind * MAX_NAMES + j) * 8 + 4);
}

@inline function mix(h: u32, x: u32): u32 {
  return (h ^ x) * 0x9e3779b1;
}

/** bytes [a, a + n) equal bytes [b, b + n) */
function same(a: i32, b: i32, n: i32): bool {
  let i = 0;
  while (i + 16 <= n) {
    if (i8x16.bitmask(i8x16.eq(v128.load(a + i), v128.load(b + i))) != 0xffff) return false;
    i += 16;
  }
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

/** the table slot of the form (level at lv, message [m0, m1), address [u0, u1)), added UNRESOLVED when new */
function formSlot(lv: i32, m0: i32, m1: i32, u0: i32, u1: i32): i32 {
  const mlen = m1 - m0;
  const ulen = u1 - u0;
  const klen = 2 + mlen + 1 + ulen;
  let h: u32 = mix(<u32>klen, <u32>load<u16>(lv));
  let i = m0;
  while (i + 16 <= m1) {
    const v = v128.load(i);
    const w = i64x2.extract_lane(v, 0) ^ i64x2.extract_lane(v, 1);
    h = mix(h, <u32>w ^ <u32>(w >> 32));
    i += 16;
  }
  while (i + 8 <= m1) {
    const w = load<u64>(i);
    h = mix(h, <u32>w ^ <u32>(w >> 32));
    i += 8;
  }
  while (i < m1) h = mix(h, <u32>load<u8>(i++));
  i = u0;
  while (i + 8 <= u1) {
    const w = load<u64>(i);
    h = mix(h, (<u32>w ^ <u32>(w >> 32)) + 0x100);
    i += 8;
  }
  while (i < u1) h = mix(h, <u32>load<u8>(i++) + 0x100);
  h ^= h >> 15;
  if (h == 0) h = 1;
  let slot = <i32>(h & <u32>(SLOTS - 1));
  for (;;) {
    const at = TABLE + slot * 16;
    const sh = load<u32>(at);
    if (sh == 0) break;
    if (sh == h && load<i32>(at + 12) == klen) {
      const k = ARENA + load<i32>(at + 8);
      if (load<u16>(k) == load<u16>(lv) && same(k + 2, m0, mlen) && load<u8>(k + 2 + mlen) == 0 && same(k + 3 + mlen, u0, ulen)) return at;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
  if (forms >= MAX_FORMS || arenaUsed + klen > ARENA_CAP) {
    resetForms();
    slot = <i32>(h & <u32>(SLOTS - 1));
  }
  // new: keep the key
  const at = TABLE + slot * 16;
  const k = ARENA + arenaUsed;
  store<u16>(k, load<u16>(lv));
  memory.copy(k + 2, m0, mlen);
  store<u8>(k + 2 + mlen, 0);
  memory.copy(k + 3 + mlen, u0, ulen);
  store<u32>(at, h);
  store<i32>(at + 4, UNRESOLVED);
  store<i32>(at + 8, arenaUsed);
  store<i32>(at + 12, klen);
  arenaUsed += klen;
  forms++;
  return at;
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

/** Does the line at s start with the second being counted (19 bytes)? */
@inline function sameTime(s: i32): bool {
  return load<u64>(s) == load<u64>(TIMEBUF) && load<u64>(s + 8) == load<u64>(TIMEBUF + 8) && load<u16>(s + 16) == load<u16>(TIMEBUF + 16) && load<u8>(s + 18) == load<u8>(TIMEBUF + 18);
}

/** The time at s as the number YYYYMMDDhhmmss, or -1 when it is not `YYYY/MM/DD hh:mm:ss`. */
function timeKey(s: i32): f64 {
  if (b(s + 4) != 47 || b(s + 7) != 47 || b(s + 10) != 32 || b(s + 13) != 58 || b(s + 16) != 58) return -1;
  let k: i64 = 0;
  for (let i = 0; i < 19; i++) {
    if (i == 4 || i == 7 || i == 10 || i == 13 || i == 16) continue;
    const d = b(s + i) - 48;
    if (<u32>d > 9) return -1;
    k = k * 10 + <i64>d;
  }
  return <f64>k;
}

/** A name of group g (kind 0 server, 1 host) at [v, end): kept when new and there is room. */
function addName(g: i32, kind: i32, v: i32, end: i32): void {
  const nAt = g + G_NAMES + kind * 4;
  const n = load<i32>(nAt);
  if (n >= MAX_NAMES) return;
  if (end > v + MAX_NAME_BYTES) end = v + MAX_NAME_BYTES;
  const nlen = end - v;
  if (nlen <= 0) return;
  const list = g + G_LIST + kind * MAX_NAMES * 8;
  const prevAt = g + G_PREV + kind * 4;
  // runs of one name are the common case: the one matched last first
  const prev = load<i32>(prevAt);
  if (prev < n) {
    const ent = list + prev * 8;
    if (load<i32>(ent + 4) == nlen && same(NAMES + load<i32>(ent), v, nlen)) return;
  }
  for (let j = 0; j < n; j++) {
    const ent = list + j * 8;
    if (load<i32>(ent + 4) == nlen && same(NAMES + load<i32>(ent), v, nlen)) {
      store<i32>(prevAt, j);
      return;
    }
  }
  if (namesUsed + nlen > NAMES_CAP) return;
  memory.copy(NAMES + namesUsed, v, nlen);
  const ent = list + n * 8;
  store<i32>(ent, namesUsed);
  store<i32>(ent + 4, nlen);
  namesUsed += nlen;
  store<i32>(nAt, n + 1);
  store<i32>(prevAt, n);
}

/**
 * Count a failure of group `code` at the current second, with its server
 * [sv, se) and host [hv, he) (-1: none). True when it is the group's new
 * earliest line: JS keeps it as the sample.
 */
export function tally(code: i32, sv: i32, se: i32, hv: i32, he: i32): bool {
  if (code == NOT_COUNTED) return false;
  if (outside) {
    outsideCount++;
    return false;
  }
  failures++;
  if (code < 0) {
    ungrouped++;
    return false;
  }
  const g = GROUPS + code * G_SIZE;
  store<f64>(g + G_COUNT, load<f64>(g + G_COUNT) + 1);
  let earliest = false;
  if (now < load<f64>(g + G_FIRST)) {
    store<f64>(g + G_FIRST, now);
    earliest = true;
  }
  if (now > load<f64>(g + G_LAST)) store<f64>(g + G_LAST, now);
  if (sv >= 0) addName(g, 0, sv, se);
  if (hv >= 0) addName(g, 1, hv, he);
  return earliest;
}

/** Read the `n` bytes at 0 from their first line. */
export function begin(n: i32): i32 {
  len = n;
  pos = 0;
  // zero the padding: loads past the end read nothing that matches
  memory.fill(len, 0, PAD);
  return run();
}

/** Go on from where the last event stopped; returns the next event, EV_DONE at the end. */
export function run(): i32 {
  const comma = i8x16.splat(44);
  const newline = i8x16.splat(10);
  while (pos < len) {
    const s = pos;
    // The prefix is read before the end of the line is known (bytes past it, at most the
    // padding's, are only looked at): a failure line is then read once, for its newline and
    // its fields together. A prefix running past the end of the line is refused below.
    let msg = -1;
    if (b(s + 4) == 47 && b(s + 19) == 32 && b(s + 20) == 91) msg = prefixTail(s + 20);
    const level = b(s + 21);
    // error, emerg, crit, alert: the levels a failure is logged at; the others count only their time
    const failing = msg >= 0 && (level == 101 || level == 99 || level == 97);
    let client = -1;
    let server = -1;
    let up = -1;
    let host = -1;
    let nl = len;
    if (!failing) nl = find(10, s, len);
    else {
      const head = msg < len ? msg : len;
      nl = find(10, s, head);
      if (nl == head && head < len) {
        // every comma of the message and the fields after it, up to the newline, 16 bytes at a time
        let p = msg;
        nl = len;
        while (p < len) {
          const v = v128.load(p);
          const n = i8x16.bitmask(i8x16.eq(v, newline));
          let m = i8x16.bitmask(i8x16.eq(v, comma));
          if (n != 0) m &= (1 << ctz<i32>(n)) - 1;
          while (m != 0) {
            const at = p + ctz<i32>(m);
            m &= m - 1;
            if (client < 0) {
              if (isClient(at)) client = at;
            } else {
              if (server < 0 && isServer(at)) server = at;
              else if (isUpstream(at)) up = at;
              else if (host < 0 && isHost(at)) host = at;
            }
          }
          if (n != 0) {
            nl = p + ctz<i32>(n);
            break;
          }
          p += 16;
        }
        if (nl > len) nl = len;
      }
    }
    const next = nl + 1;
    if (nl - s > MAX_LINE) {
      lines++;
      pos = next;
      continue;
    }
    let e = nl;
    if (e > s && b(e - 1) == 13) e--;
    if (e - s < 24 || msg > e) msg = -1;
    if (msg >= 0 && !sameTime(s)) {
      const k = timeKey(s);
      if (k < 0) msg = -1;
      else {
        memory.copy(TIMEBUF, s, 19);
        applyTime(k);
      }
    }
    if (msg < 0) {
      // not the way nginx writes lines (syslog-wrapped, cut, garbage): JS parses it
      lines++;
      pos = next;
      evS = s;
      evE = e;
      return EV_SLOW;
    }
    if (!failing) {
      lines++;
      pos = next;
      continue;
    }
    let upV = -1;
    let upClose = -1;
    let hostV = -1;
    if (up >= 0) {
      upV = up + 13;
      upClose = find(34, upV, e);
      // with an upstream field, the host is the field right after it, or none
      hostV = isHost(upClose + 1) ? upClose + 10 : -1;
    } else if (host >= 0) hostV = host + 9;
    const at = formSlot(s + 21, msg, client >= 0 ? client : e, upV >= 0 ? upV : 0, upV >= 0 ? addressEnd(upV, upClose) : 0);
    const code = load<i32>(at + 4);
    if (code == UNRESOLVED) {
      // the line is read again once JS has said where its form counts
      evS = s;
      evE = e;
      evAt = at;
      return EV_FORM;
    }
    lines++;
    pos = next;
    if (code == NOT_COUNTED) continue;
    let sv = -1;
    let se = -1;
    if (server >= 0) {
      sv = server + 10;
      se = commaSpace(sv, e);
    }
    if (tally(code, sv, se, hostV, hostV >= 0 ? find(34, hostV, e) : -1)) {
      evS = s;
      evE = e;
      evGroup = code;
      return EV_SAMPLE;
    }
  }
  return EV_DONE;
}
