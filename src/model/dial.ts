// What the config phase hands the probe phase: every address nginx dials for a
// service, with where the config says so.
import type { Endpoint } from './endpoint.js';
import type { PassDirective } from './protocols.js';

/** One address nginx dials for a service, with where the config says so. */
export interface NginxDial {
  service: string;
  directive: PassDirective;
  /** http, https, fastcgi, uwsgi, suwsgi, scgi, grpc, grpcs, memcached; stream proxy_pass: tcp */
  scheme: string;
  /** as nginx dials it: default port applied, name not yet resolved; absent when dynamic */
  endpoint?: Endpoint;
  /** the `upstream {}` group the endpoint came from */
  upstream?: string;
  /** the target holds variables */
  dynamic?: boolean;
  /** the `*_pass` line, or the upstream `server` line when via a group */
  file: string;
  /** `file` as messages show it: relative to the main config's directory when under it */
  shownFile?: string;
  line: number;
  /** that line as written, trimmed */
  text: string;
  /** server_name of the block the *_pass sits in */
  serverName?: string;
}
