import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-ZLXW7TD3.js";

// src/atomic-write.ts
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
async function writeFilesAtomically(files) {
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const temps = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      const tmp = f.path + suffix;
      temps.push(tmp);
      await writeFile(tmp, f.text, { mode: 420 });
    }
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    const err = e;
    throw new UserError(`cannot write: ${err.code ?? err.message}`, err.path ?? files[0]?.path);
  }
  for (const f of files) await rename(f.path + suffix, f.path);
}

export {
  writeFilesAtomically
};
