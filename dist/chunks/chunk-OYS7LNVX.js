import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/model/endpoint.ts
import { isIP } from "node:net";
function formatEndpoint(e) {
  if (e.kind === "unix") return `unix:${e.path}`;
  return `${isIP(e.host) === 6 ? `[${e.host}]` : e.host}:${e.port}`;
}
function sameEndpoint(a, b) {
  if (a.kind === "unix" || b.kind === "unix") return a.kind === b.kind && a.path === b.path;
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}
function ipFamily(host) {
  return isIP(host);
}
function canonicalIp(ip) {
  const family = isIP(ip);
  if (family !== 6) return ip;
  let s = ip.toLowerCase().replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = v4[1].split(".").map(Number);
    s = s.slice(0, -v4[1].length) + `${((b[0] ?? 0) << 8 | (b[1] ?? 0)).toString(16)}:${((b[2] ?? 0) << 8 | (b[3] ?? 0)).toString(16)}`;
  }
  const [head = "", tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === void 0 ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const nums = groups.map((g) => Number.parseInt(g || "0", 16));
  if (nums.length === 8 && nums.slice(0, 5).every((x) => x === 0) && nums[5] === 65535) {
    const [a = 0, b = 0] = nums.slice(6);
    return `::ffff:${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  const hex = nums.map((x) => x.toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < hex.length; ) {
    let j = i;
    while (j < hex.length && hex[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j > i ? j : i + 1;
  }
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

export {
  formatEndpoint,
  sameEndpoint,
  ipFamily,
  canonicalIp
};
