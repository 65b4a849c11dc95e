// The real phases, in one place so tests and the Action can inject others.
export { runConfigPhase as configPhase } from '../nginx/check.js';
export { runProbePhase as probePhase } from './probe-phase.js';
