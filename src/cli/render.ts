import { dirname, join, relative, resolve } from 'node:path';
import { render } from '../render/render.js';
import { compare, unifiedDiff, writeAtomically } from '../render/write.js';
import { DEFAULT_SPEC_FILE } from '../spec/load.js';
import { parseFlags } from './args.js';
import { EXIT, type Command } from './io.js';
import { loadSpecArg } from './spec-arg.js';

const help = `Usage: upstream-gate render [--spec FILE] [--out DIR | --check [--out DIR]]

Render, from the spec, what both sides of each service are templated from:
  NAME.nginx.conf   the upstream {} block and the *_pass line for its location
  NAME.env          the backend's bind settings (BIND, HOST, PORT or SOCKET)

Options:
  --spec FILE   spec file (default ./${DEFAULT_SPEC_FILE})
  --out DIR     write the files into DIR, each atomically (temp file + rename);
                a symlink, device or FIFO in a file's place is written through
  --check       write nothing; exit 1 with a diff when the files in DIR
                (default: rendered/ beside the spec) differ from the spec
  -h, --help    this help

Without --out or --check the files are printed to standard output.
Exit codes: 0 done / up to date, 1 drift found (--check), 2 bad input.`;

export const renderCommand: Command = {
  help,
  async run(args, io) {
    const { values } = parseFlags('render', args, {
      spec: { type: 'string' },
      out: { type: 'string' },
      check: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(`${help}\n`);
      return EXIT.pass;
    }
    const spec = await loadSpecArg(io.cwd, values.spec, io.signal);
    const files = render(spec);
    const show = (p: string) => relative(io.cwd, p) || '.';
    if (values.check) {
      const dir = values.out ? resolve(io.cwd, values.out) : join(dirname(spec.file), 'rendered');
      const drift = await compare(dir, files, show);
      if (drift.length === 0) {
        io.stdout.write(`up to date: ${files.length} files in ${show(dir)}\n`);
        return EXIT.pass;
      }
      for (const d of drift) {
        const name = show(join(dir, d.name));
        io.stdout.write(d.actual === undefined ? `missing: ${name}\n` : `${unifiedDiff(name, d.actual, d.expected)}\n`);
      }
      io.stdout.write(`${drift.length} of ${files.length} rendered files differ from the spec; run: upstream-gate render --out ${show(dir)}\n`);
      return EXIT.fail;
    }
    if (values.out) {
      const written = await writeAtomically(resolve(io.cwd, values.out), files, values.out, io.signal);
      for (const w of written) io.stdout.write(`wrote ${show(w)}\n`);
      return EXIT.pass;
    }
    for (const f of files) io.stdout.write(`# ==> ${f.name} <==\n${f.text}\n`);
    return EXIT.pass;
  },
};
