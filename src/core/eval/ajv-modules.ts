// ajv (JSON Schema), loaded when a schema is first compiled (an evaluator config, a json evaluator
// with a schema), not when a command starts. esbuild keeps the modules in the bundle; only their
// evaluation waits.
/* eslint-disable @typescript-eslint/no-require-imports -- the lazy loads this file is for */
import type * as AjvModule from 'ajv';
import type * as Ajv2019Module from 'ajv/dist/2019';
import type * as Ajv2020Module from 'ajv/dist/2020';

let draft7: typeof AjvModule | undefined;
let draft2019: typeof Ajv2019Module | undefined;
let draft2020: typeof Ajv2020Module | undefined;

export const ajv = (): typeof AjvModule => (draft7 ??= require('ajv') as typeof AjvModule);
export const ajv2019 = (): typeof Ajv2019Module => (draft2019 ??= require('ajv/dist/2019') as typeof Ajv2019Module);
export const ajv2020 = (): typeof Ajv2020Module => (draft2020 ??= require('ajv/dist/2020') as typeof Ajv2020Module);
