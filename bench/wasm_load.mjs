// Times loading policies/zhengzhou-2024 in the playground's WebAssembly under Node: the first load
// (code not yet optimised by the engine) and five more. Build the module first (playground/build.sh
// or playground/test/run.sh), then, from the repository root:
//   node bench/wasm_load.mjs [build-wasm]
// Emscripten 3.1.6's loader cannot fetch a file path under Node 20, so the bytes are passed in.
import { readFileSync, readdirSync } from 'fs';
import { createRequire } from 'module';
import path from 'path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.resolve(process.argv[2] || path.join(root, 'build-wasm'), 'playground/wasm');
const createZhiping = require(path.join(dir, 'zhiping.js'));

const t0 = performance.now();
const M = await createZhiping({ wasmBinary: readFileSync(path.join(dir, 'zhiping.wasm')) });
const moduleMs = performance.now() - t0;

const policyDir = path.join(root, 'policies/zhengzhou-2024');
const sources = readdirSync(policyDir)
  .filter((f) => f.endsWith('.zp'))
  .map((f) => ({ path: `policies/zhengzhou-2024/${f}`, text: readFileSync(path.join(policyDir, f), 'utf8') }));
const json = JSON.stringify(sources);

const times = [];
for (let i = 0; i < 6; i++) {
  const n = M.lengthBytesUTF8(json) + 1;
  const p = M._malloc(n);
  M.stringToUTF8(json, p, n);
  const start = performance.now();
  const reply = JSON.parse(M.UTF8ToString(M._zp_load(p)));
  times.push(performance.now() - start);
  M._free(p);
  if (!reply.ok) {
    console.error('the policy did not load:', JSON.stringify(reply.diagnostics).slice(0, 500));
    process.exit(1);
  }
  M._zp_free_policy(reply.handle);
}
console.log(`module ready ${moduleMs.toFixed(0)} ms; loading policies/zhengzhou-2024: first ${times[0].toFixed(1)} ms, ` +
  `then ${times.slice(1).map((t) => t.toFixed(1)).join(', ')} ms`);
