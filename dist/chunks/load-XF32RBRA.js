import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  DEFAULT_SPEC_FILE,
  loadSpecFile,
  parseSpec
} from "./chunk-COOXM7G3.js";
import "./chunk-AFFVPUXK.js";
import "./chunk-WQXZYGRM.js";
import "./chunk-ZLXW7TD3.js";
import "./chunk-AZCQPZHH.js";
export {
  DEFAULT_SPEC_FILE,
  loadSpecFile,
  parseSpec
};
