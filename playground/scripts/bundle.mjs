// Builds the static site of the playground into OUTDIR: the page, its script and Web Worker bundled
// by esbuild, the WebAssembly interpreter, and the policy sets of policies/ with their example
// applicants, read at build time (never copied by hand).
//   node scripts/bundle.mjs OUTDIR WASMDIR
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const playground = resolve(here, '..');
const repo = resolve(playground, '..');
const [outArg, wasmArg] = process.argv.slice(2);
if (!outArg || !wasmArg) {
  console.error('usage: node scripts/bundle.mjs OUTDIR WASMDIR');
  process.exit(2);
}
const out = resolve(outArg);
const wasmDir = resolve(wasmArg);
mkdirSync(out, { recursive: true });
// Chunks are named by content hash: drop those of earlier builds.
for (const f of readdirSync(out)) if (/^chunk-.*\.js$/.test(f)) rmSync(join(out, f));

// Every folder of policies/ with .zp files is a policy set; its examples/*.json are the example
// inputs (and the data files its tests name). Zhengzhou 2024 comes first: it is the default.
function readPolicySets() {
  const root = join(repo, 'policies');
  const ids = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).sort();
  ids.sort((a, b) => (b === 'zhengzhou-2024') - (a === 'zhengzhou-2024'));
  const sets = [];
  for (const id of ids) {
    const dir = join(root, id);
    const files = readdirSync(dir).filter((f) => f.endsWith('.zp')).sort()
      .map((f) => ({ path: `${id}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
    if (!files.length) continue;
    const exDir = join(dir, 'examples');
    const examples = existsSync(exDir)
      ? readdirSync(exDir).filter((f) => f.endsWith('.json')).sort()
        .map((f) => ({ path: `${id}/examples/${f}`, name: f.replace(/\.json$/, ''), text: readFileSync(join(exDir, f), 'utf8') }))
      : [];
    const title = (files[0].text.match(/^\/\/\s*(.+)$/m) || [, id])[1].split('——')[0].trim();
    sets.push({ id, title, files, examples });
  }
  return sets;
}

// The policy sets as data that the page fetches at once (index.html), so that the worker can load
// the default policy while the page's script is still starting.
writeFileSync(join(out, 'policy-sets.json'), JSON.stringify(readPolicySets()));

const common = { bundle: true, minify: true, target: ['chrome100', 'firefox100', 'safari16'], legalComments: 'none', logLevel: 'warning' };
// The page's script in two parts: app.js (the result and the form) and a chunk with CodeMirror that
// app.js loads after its first request.
await build({ ...common, entryPoints: { app: join(playground, 'src/main.js') }, outdir: out, format: 'esm', splitting: true, chunkNames: 'chunk-[hash]' });
await build({ ...common, entryPoints: [join(playground, 'src/worker.js')], outfile: join(out, 'worker.js'), format: 'iife' });
await build({ ...common, entryPoints: [join(playground, 'src/style.css')], outfile: join(out, 'style.css') });

copyFileSync(join(wasmDir, 'zhiping.js'), join(out, 'zhiping.js'));
copyFileSync(join(wasmDir, 'zhiping.wasm'), join(out, 'zhiping.wasm'));

// The service worker caches exactly the files of this build, under a name that changes with them.
const assets = ['index.html', 'app.js', 'worker.js', 'style.css', 'zhiping.js', 'zhiping.wasm', 'policy-sets.json',
  ...readdirSync(out).filter((f) => /^chunk-.*\.js$/.test(f))];
writeFileSync(join(out, 'index.html'), readFileSync(join(playground, 'src/index.html')));
const hash = createHash('sha256');
for (const a of assets) hash.update(readFileSync(join(out, a)));
const version = hash.digest('hex').slice(0, 12);
const sw = readFileSync(join(playground, 'src/sw.js'), 'utf8')
  .replace('__VERSION__', version)
  .replace('__ASSETS__', JSON.stringify(['./', ...assets.map((a) => `./${a}`)]));
writeFileSync(join(out, 'sw.js'), sw);
console.log(`playground built into ${out} (version ${version})`);
