import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWasm, WASM_MODULES, wasmModuleText } from '../../../scripts/build-wasm';

describe('WebAssembly modules', () => {
  for (const { source, module, name } of WASM_MODULES) {
    it(`${module} is what ${source} compiles to (run npm run build:wasm after editing it)`, async () => {
      const bytes = await compileWasm(source);
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(readFileSync(module, 'utf8')).toBe(wasmModuleText(source, name, bytes));
    }, 60_000);
  }
});
