import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  DEFAULT_SPEC_FILE,
  loadSpecFile,
  parseSpec
} from "./chunk-RDWO4IBE.js";
import "./chunk-KHLXKQJU.js";
import "./chunk-WQXZYGRM.js";
import "./chunk-ZLXW7TD3.js";
import "./chunk-AZCQPZHH.js";
export {
  DEFAULT_SPEC_FILE,
  loadSpecFile,
  parseSpec
};
