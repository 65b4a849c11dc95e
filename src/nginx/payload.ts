// The crossplane payload: the shape `upstream-gate parse` prints, so users can
// diff it against `crossplane parse`. Field names are crossplane's.

export interface Directive {
  directive: string;
  line: number;
  args: string[];
  /** indexes into `Payload.config` of the files an `include` pulled in */
  includes?: number[];
  block?: Directive[];
}

/** An error inside one file: crossplane's `config[].errors[]`. */
export interface FileError {
  error: string;
  line: number | null;
}

/** An error of the whole parse: crossplane's top-level `errors[]`. */
export interface PayloadError extends FileError {
  file: string;
}

export type Status = 'ok' | 'failed';

export interface ConfigFile {
  file: string;
  status: Status;
  errors: FileError[];
  parsed: Directive[];
}

export interface Payload {
  status: Status;
  errors: PayloadError[];
  config: ConfigFile[];
}
