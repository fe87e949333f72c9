// js-yaml ships without types and @types/js-yaml is not installed; only `load` is used.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
