// Run a command under a Landlock ruleset that denies every TCP connect
// (LANDLOCK_ACCESS_NET_CONNECT_TCP, Linux 6.7+): connect() then fails with
// EACCES, as it does under an SELinux denial. Python's ctypes makes the three
// syscalls; no compiler needed.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
SYS_create, SYS_restrict = 444, 446
CONNECT_TCP = 1 << 1
attr = struct.pack('QQ', 0, CONNECT_TCP)
fd = libc.syscall(SYS_create, ctypes.c_char_p(attr), ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
if fd < 0: sys.exit('landlock_create_ruleset: ' + os.strerror(ctypes.get_errno()))
if libc.prctl(38, 1, 0, 0, 0) != 0: sys.exit('PR_SET_NO_NEW_PRIVS: ' + os.strerror(ctypes.get_errno()))
if libc.syscall(SYS_restrict, fd, 0) != 0: sys.exit('landlock_restrict_self: ' + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])
`;

/** Landlock with network rules (ABI >= 4) on this kernel, and python3 to drive it. */
export const canLandlockNet = (() => {
  const r = spawnSync('python3', ['-c', 'import ctypes;print(ctypes.CDLL(None).syscall(444, None, 0, 1))'], { encoding: 'utf8' });
  return r.status === 0 && Number(r.stdout.trim()) >= 4;
})();

/** argv that runs `command` with TCP connects denied. */
export function denyTcpConnect(command: string[]): string[] {
  return ['python3', '-c', SCRIPT, ...command];
}
