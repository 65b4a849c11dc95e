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
  /** proxy_pass: the request headers nginx sends the backend, as far as the gate can evaluate them */
  request?: NginxRequest;
}

/** The headers nginx sends the backend for a proxy_pass (`proxy_set_header`, else nginx's defaults). */
export interface NginxRequest {
  /** evaluated, in the order nginx sends them */
  headers: { name: string; value: string }[];
  /** not sent: the value holds variables the gate cannot evaluate (or is not a valid header) */
  skipped: { name: string; value: string; why: string }[];
  /** where the headers come from: `proxy_set_header (conf.d/app.conf:7, 8)`, or `nginx's defaults` */
  source: string;
  /** proxy_pass carries a URI part: nginx replaces the matched location prefix with it */
  uri?: string;
}
