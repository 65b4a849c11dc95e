import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/model/mask.ts
var CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
var SCHEME_CHAR = /[A-Za-z0-9+.-]/;
var SCHEME_START = /[A-Za-z]/;
var HOST_START = /[\p{L}\p{N}[_-]/u;
var CLOSER = { '"': '"', "'": "'", "<": ">" };
function maskCredentials(s) {
  const urls = replaceSpans(s, urlUserinfo(s));
  return replaceSpans(urls, quotedUserinfo(urls));
}
function maskDialTarget(arg) {
  const masked = maskCredentials(arg);
  const span = bareUserinfo(masked, 0, masked.length);
  return span ? replaceSpans(masked, [span]) : masked;
}
function forTerminal(s) {
  return maskCredentials(s).replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function urlUserinfo(s) {
  const spans = [];
  let from = 0;
  for (; ; ) {
    const sep = s.indexOf("://", from);
    if (sep < 0) return spans;
    let schemeStart = sep;
    while (schemeStart > 0 && SCHEME_CHAR.test(s[schemeStart - 1])) schemeStart--;
    const start = sep + 3;
    const end = authorityEnd(s, start, CLOSER[s[schemeStart - 1] ?? ""]);
    if (schemeStart < sep && SCHEME_START.test(s[schemeStart])) {
      const at = lastHostAt(s, start, end);
      if (at > start) spans.push({ start, end: at });
    }
    from = end;
  }
}
function quotedUserinfo(s) {
  const spans = [];
  let from = 0;
  for (; ; ) {
    const open = s.indexOf('"', from);
    if (open < 0) return spans;
    let close = open + 1;
    while (close < s.length && s[close] !== '"' && s[close] !== "\n" && s[close] !== "\r") close++;
    const span = bareUserinfo(s, open + 1, close);
    if (span) spans.push(span);
    from = s[close] === '"' ? close + 1 : close;
  }
}
function bareUserinfo(s, start, limit) {
  const at = lastHostAt(s, start, authorityEnd(s, start, void 0, limit));
  return at > start && /[:@]/.test(s.slice(start, at)) ? { start, end: at } : void 0;
}
function authorityEnd(s, start, closer, limit = s.length) {
  let i = start;
  while (i < limit) {
    const c = s[i];
    if (c === "/" || c === "?" || c === "#" || c === "\n" || c === "\r" || c === closer) break;
    i++;
  }
  return i;
}
function lastHostAt(s, start, end) {
  for (let i = end - 1; i >= start; i--) {
    if (s[i] === "@" && i + 1 < end && HOST_START.test(s[i + 1])) return i;
  }
  return -1;
}
function replaceSpans(s, spans) {
  if (spans.length === 0) return s;
  let out = "";
  let at = 0;
  for (const x of spans) {
    out += `${s.slice(at, x.start)}***`;
    at = x.end;
  }
  return out + s.slice(at);
}

export {
  maskCredentials,
  maskDialTarget,
  forTerminal
};
