// The Web Worker that runs the interpreter (WebAssembly), so that checking and evaluating never
// block typing. The page posts the whole state; the latest request wins, older ones are dropped.
//
//   → {id, sources: [{path, text}], subject, input, tests: bool}
//   ← {id, type: 'result', load: {ok, diagnostics, subjects}, schemas, subject, report, ms}
//   ← {id, type: 'tests', tests}         (after the result, when tests were asked for)
//   ← {type: 'fatal', message}            (the module could not start)
/* global importScripts, createZhiping */
importScripts('zhiping.js');

const TESTS_DELAY_MS = 1000;
let api = null;
let pending = null;
let busy = false;
// The policy last loaded, reused while its sources do not change.
let loaded = { key: null, handle: 0, load: null, schemas: null, tests: null };

const started = performance.now();
let moduleMs = 0;
const ready = createZhiping().then((module) => {
  api = wrap(module);
  moduleMs = Math.round(performance.now() - started);
}).catch((e) => {
  self.postMessage({ type: 'fatal', message: `无法启动解释器：${e && e.message ? e.message : e}` });
});

// Calls an exported function with string and number arguments; returns the parsed JSON result.
function wrap(M) {
  function call(name, ...args) {
    const allocated = [];
    const raw = args.map((a) => {
      if (typeof a !== 'string') return a;
      const n = M.lengthBytesUTF8(a) + 1;
      const p = M._malloc(n);
      M.stringToUTF8(a, p, n);
      allocated.push(p);
      return p;
    });
    try {
      return JSON.parse(M.UTF8ToString(M[`_${name}`](...raw)));
    } finally {
      allocated.forEach((p) => M._free(p));
    }
  }
  return {
    load: (sources) => call('zp_load', JSON.stringify(sources)),
    free: (handle) => M._zp_free_policy(handle),
    schema: (handle, subject) => call('zp_schema', handle, subject),
    evaluate: (handle, subject, input) => call('zp_evaluate', handle, subject, input),
    test: (handle) => call('zp_test', handle),
  };
}

function sourcesKey(sources) {
  return JSON.stringify(sources);
}

function ensureLoaded(sources) {
  const key = sourcesKey(sources);
  if (loaded.key === key) return;
  if (loaded.handle) api.free(loaded.handle);
  const load = api.load(sources);
  const schemas = {};
  if (load.ok) for (const s of load.subjects) schemas[s] = api.schema(load.handle, s);
  loaded = { key, handle: load.ok ? load.handle : 0, load, schemas, tests: null };
}

function handleRequest(req) {
  const t0 = performance.now();
  let reply;
  try {
    ensureLoaded(req.sources);
    const t1 = performance.now();
    reply = { id: req.id, type: 'result', load: loaded.load, schemas: loaded.schemas, timing: { module: moduleMs, load: Math.round(t1 - t0), received: Math.round(performance.timeOrigin + t0), workerOrigin: Math.round(performance.timeOrigin) } };
    if (loaded.handle) {
      const subject = req.subject && loaded.load.subjects.includes(req.subject) ? req.subject : loaded.load.subjects[0];
      reply.subject = subject;
      reply.report = api.evaluate(loaded.handle, subject, req.input);
      reply.timing.evaluate = Math.round(performance.now() - t1);
    }
  } catch (e) {
    reply = { id: req.id, type: 'result', load: loaded.load, crash: String(e && e.message ? e.message : e) };
    loaded.key = null;  // a crash may have left the module in a bad state for this policy: reload next time
  }
  reply.ms = Math.round(performance.now() - t0);
  self.postMessage(reply);
}

// The policy's tests, after the result, unless a newer request is already waiting.
function handleTests(req) {
  if (!req.tests) return;
  if (pending || !loaded.handle) {
    self.postMessage({ id: req.id, type: 'tests', tests: { skipped: true } });
    return;
  }
  try {
    if (!loaded.tests) loaded.tests = api.test(loaded.handle);
    self.postMessage({ id: req.id, type: 'tests', tests: loaded.tests });
  } catch (e) {
    self.postMessage({ id: req.id, type: 'tests', tests: { error: String(e && e.message ? e.message : e) } });
  }
}

async function drain() {
  if (busy) return;
  busy = true;
  await ready;
  while (pending && api) {
    const req = pending;
    pending = null;
    handleRequest(req);
    // The tests wait a moment, so that the page can show the result first and a newer request
    // (the next keystroke) can take their place.
    if (req.tests && !loaded.tests) await new Promise((r) => setTimeout(r, TESTS_DELAY_MS));
    else await new Promise((r) => setTimeout(r, 0));
    handleTests(req);
    await new Promise((r) => setTimeout(r, 0));
  }
  busy = false;
}

self.onmessage = (e) => {
  if (e.data.preload) {
    // Load the policy the page is about to ask for, unless a real request came first.
    ready.then(() => {
      if (!pending && loaded.key === null) {
        try { ensureLoaded(e.data.sources); } catch { loaded.key = null; }
      }
    });
    return;
  }
  pending = e.data;
  drain();
};
