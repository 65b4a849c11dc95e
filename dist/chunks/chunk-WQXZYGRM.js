import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/spec/duration.ts
var DURATION_PATTERN = "^\\d+(\\.\\d+)?(ms|s|m)$";
function parseDuration(s) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s.trim());
  if (!m) return void 0;
  const unit = m[2] === "ms" ? 1 : m[2] === "s" ? 1e3 : 6e4;
  return Math.round(Number(m[1]) * unit);
}
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  if (ms < 6e4) return `${+(ms / 1e3).toFixed(1)}s`;
  return `${+(ms / 6e4).toFixed(1)}m`;
}

export {
  DURATION_PATTERN,
  parseDuration,
  formatDuration
};
