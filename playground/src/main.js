// The playground page: policy files in CodeMirror editors, the input as a generated form and as
// JSON, and the result of the one interpreter (WebAssembly, in a Web Worker). Nothing here judges a
// policy or an applicant: every diagnostic, finding and value comes from the C++ checker and evaluator.
import { renderForm } from './form.js';
import { encodeState, decodeState } from './share.js';

const $ = (sel) => document.querySelector(sel);
const DEBOUNCE_MS = 250;
const WATCHDOG_MS = 10000;
const SEVERITY_ZH = { error: '错误', warning: '警告', info: '提示', note: '说明' };
// CodeMirror (editor-kit.js), loaded once the first request is on its way.
let CM = null;

let policySets = [];   // [{id, title, files, examples}] from policy-sets.json, built from policies/
const state = {
  setId: '',
  files: [],            // [{path, text}] the policy files being edited (.zp)
  active: null,         // path of the file shown in the editor
  subject: '',          // '' = the policy's first subject
  view: 'staff',        // 'staff' | 'applicant'
  inputTab: 'form',
  resultTab: 'result',
  example: '',
};
const views = new Map();      // path → EditorView, made when a file is first shown
let diagnosticsByFile = new Map();  // path → the checker's diagnostics of that file
let inputView = null;         // the JSON editor
let pendingInput = null;      // the input text until the JSON editor is made
let editorsReady = false;
let inputValue = {};          // the parsed input that the form edits
let lastResult = null;        // the worker's last result
let lastTests = null;
let schemaKey = '';           // the schema the form was last rendered from

function policySet(id) {
  return policySets.find((s) => s.id === id) || policySets[0];
}

// ---- The worker -----------------------------------------------------------------------------------

let worker = null;
let requestId = 0;
let outstanding = 0;          // id of the request whose result has not come yet (0 = none)
let watchdog = null;
let debounceTimer = null;

function startWorker() {
  worker = window.zhipingWorker || new Worker('worker.js');
  window.zhipingWorker = null;
  worker.onmessage = (e) => onWorkerMessage(e.data);
  worker.onerror = (e) => showFatal(`解释器出错：${e.message || e}`);
}

function scheduleRun(delay = DEBOUNCE_MS) {
  clearTimeout(debounceTimer);
  setStatus('busy', '等待…');
  debounceTimer = setTimeout(runNow, delay);
}

function currentSources() {
  const data = policySet(state.setId).examples.map(({ path, text }) => ({ path, text }));
  return [...state.files.map(({ path, text }) => ({ path, text })), ...data];
}

function runNow() {
  clearTimeout(debounceTimer);
  const id = ++requestId;
  outstanding = id;
  setStatus('busy', '计算中…');
  worker.postMessage({ id, sources: currentSources(), subject: state.subject, input: inputText(), tests: true });
  armWatchdog();
}

// A policy that computes for too long (beyond what the step budget catches) must not take the page
// with it: the worker is stopped and a fresh one started.
function armWatchdog() {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => {
    if (!outstanding) return;
    worker.terminate();
    outstanding = 0;
    showResultError('计算超时', `计算超过 ${WATCHDOG_MS / 1000} 秒仍未完成，已停止。请检查规则中是否有过大的计算。`);
    setStatus('error', '超时');
    startWorker();
  }, WATCHDOG_MS);
}

function onWorkerMessage(msg) {
  if (msg.type === 'fatal') return showFatal(msg.message);
  if (msg.id !== requestId) return;  // a newer request is on its way
  if (msg.type === 'tests') {
    outstanding = 0;
    clearTimeout(watchdog);
    if (!msg.tests.skipped) {
      lastTests = msg.tests;
      renderTests();
    }
    return;
  }
  armWatchdog();  // the tests come next
  lastResult = msg;
  applyDiagnostics(msg.load ? msg.load.diagnostics : []);
  updateSubjects();
  renderResult();
  if (msg.load && !msg.load.ok) renderTestsUnavailable();
  if (window.zhipingPlayground.firstResultMs === null && msg.report) {
    window.zhipingPlayground.firstResultMs = 0;
    window.zhipingPlayground.firstTiming = msg.timing;
    afterPaint().then(() => {
      window.zhipingPlayground.firstResultMs = performance.now();
      performance.mark('zp-first-result-painted');
      resolveFirstResult();
    });
  }
  if (editorsReady) document.body.dataset.ready = 'true';
  if (msg.load && !msg.load.ok) resolveFirstResult();
  // The result first, the form (a larger piece of layout) after the result is on screen.
  afterPaint().then(() => updateForm(false));
  const errors = msg.load && !msg.load.ok;
  setStatus(errors ? 'error' : 'ok', `${errors ? '规则有错误' : '完成'} · ${msg.ms} ms`);
}

// ---- Editors --------------------------------------------------------------------------------------

function makePolicyView(file) {
  // Each editor in its own box: CodeMirror owns the attributes of its own element.
  const box = document.createElement('div');
  box.className = 'editor-box';
  box.dataset.path = file.path;
  $('#editors').append(box);
  const { EditorView, EditorState, basicSetup, zhiping, lintGutter, editorTheme } = CM;
  const view = new EditorView({
    parent: box,
    state: EditorState.create({
      doc: file.text,
      extensions: [
        basicSetup, zhiping(), lintGutter(), editorTheme, EditorView.lineWrapping,
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          file.text = u.state.doc.toString();
          scheduleRun();
        }),
      ],
    }),
  });
  views.set(file.path, view);
  applyFileDiagnostics(file.path, view);
  return view;
}

// The editor of a file, made on first use: the page opens faster with one editor than with twelve.
function viewFor(path) {
  if (views.has(path)) return views.get(path);
  const file = state.files.find((f) => f.path === path);
  return file ? makePolicyView(file) : null;
}

function setFiles(files, active) {
  for (const v of views.values()) v.destroy();
  $('#editors').replaceChildren();
  views.clear();
  state.files = files.map((f) => ({ path: f.path, text: f.text }));
  showFile(active && state.files.some((f) => f.path === active) ? active : state.files[0]?.path);
}

function showFile(path) {
  state.active = path;
  const view = viewFor(path);
  for (const [p, v] of views) v.dom.parentElement.hidden = p !== path;
  renderFileTabs();
  view?.requestMeasure();
}

function shortName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

function renderFileTabs() {
  const tabs = $('#file-tabs');
  tabs.replaceChildren();
  const counts = new Map();
  for (const d of lastResult?.load?.diagnostics || []) if (d.severity === 'error') counts.set(d.file, (counts.get(d.file) || 0) + 1);
  for (const f of state.files) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `tab${f.path === state.active ? ' active' : ''}`;
    b.dataset.path = f.path;
    b.title = f.path;
    b.textContent = shortName(f.path);
    const n = counts.get(f.path);
    if (n) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = n;
      b.append(badge);
    }
    b.onclick = () => showFile(f.path);
    tabs.append(b);
  }
  const add = document.createElement('button');
  add.type = 'button';
  add.className = 'tab add-file';
  add.title = '新建规则文件';
  add.textContent = '＋';
  add.onclick = addFile;
  tabs.append(add);
}

function addFile() {
  const dir = state.files[0] ? state.files[0].path.slice(0, state.files[0].path.lastIndexOf('/') + 1) : '';
  let name = prompt('新文件名（.zp）', '90-new.zp');
  if (!name) return;
  if (!name.endsWith('.zp')) name += '.zp';
  const path = dir + name.replace(/^.*\//, '');
  if (state.files.some((f) => f.path === path)) return showFile(path);
  const file = { path, text: '' };
  state.files.push(file);
  state.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  showFile(path);
  scheduleRun();
}

function deleteActiveFile() {
  if (!state.active || state.files.length <= 1) return;
  if (!confirm(`删除文件 ${shortName(state.active)}？`)) return;
  const view = views.get(state.active);
  const box = view.dom.parentElement;
  view.destroy();
  box.remove();
  views.delete(state.active);
  state.files = state.files.filter((f) => f.path !== state.active);
  showFile(state.files[0].path);
  scheduleRun();
}

// Diagnostics of the checker, at their line and column, in the file they belong to.
function applyDiagnostics(diags) {
  const byFile = new Map();
  for (const d of diags) {
    if (!d.file) continue;
    if (!byFile.has(d.file)) byFile.set(d.file, []);
    byFile.get(d.file).push(d);
  }
  diagnosticsByFile = byFile;
  for (const [path, view] of views) applyFileDiagnostics(path, view);
  renderFileTabs();
}

function applyFileDiagnostics(path, view) {
  const doc = view.state.doc;
  const list = (diagnosticsByFile.get(path) || []).map((d) => {
    const from = position(doc, d.line, d.column);
    let to = d.end_line ? position(doc, d.end_line, d.end_column) : from + 1;
    if (to <= from) to = Math.min(from + 1, doc.length);
    return { from, to, severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info', message: `${d.message} [${d.code}]`, source: 'zhiping' };
  });
  view.dispatch(CM.setDiagnostics(view.state, list));
}

// Line and column (1-based, in code points) to a document offset (UTF-16 units).
function position(doc, line, column) {
  if (!line || line > doc.lines) return doc.length;
  const l = doc.line(line);
  let offset = 0;
  let cps = 1;
  const text = l.text;
  while (cps < column && offset < text.length) {
    const code = text.codePointAt(offset);
    offset += code > 0xffff ? 2 : 1;
    cps++;
  }
  return l.from + offset;
}

function jumpTo(file, line, column) {
  if (state.view === 'applicant' || !state.files.some((f) => f.path === file)) return;
  showFile(file);
  const view = viewFor(file);
  const pos = position(view.state.doc, line, column);
  view.dispatch({ selection: { anchor: pos }, effects: CM.EditorView.scrollIntoView(pos, { y: 'center' }) });
  view.focus();
}

function makeInputView(doc) {
  const { EditorView, EditorState, basicSetup, json, editorTheme, fromForm } = CM;
  inputView = new EditorView({
    parent: $('#json-editor'),
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup, json(), editorTheme,
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          if (!u.transactions.some((tr) => tr.annotation(fromForm))) {
            try {
              inputValue = JSON.parse(u.state.doc.toString());
              updateForm(true);
            } catch {
              // Invalid JSON: the interpreter says where; the form keeps the last valid value.
            }
          }
          scheduleRun();
        }),
      ],
    }),
  });
}

function inputText() {
  return inputView ? inputView.state.doc.toString() : pendingInput;
}

function setInputText(text, annotate = false) {
  if (!inputView) {
    pendingInput = text;
    return;
  }
  inputView.dispatch({ changes: { from: 0, to: inputView.state.doc.length, insert: text }, annotations: annotate ? CM.fromForm.of(true) : undefined });
}

// ---- The form --------------------------------------------------------------------------------------

function currentSchema() {
  const r = lastResult;
  if (!r || !r.schemas) return null;
  return r.schemas[r.subject] || r.schemas[Object.keys(r.schemas)[0]] || null;
}

function updateForm(force) {
  if (!lastResult) {
    $('#form').replaceChildren(h('p', 'muted', '正在加载规则…'));
    return;
  }
  const schema = currentSchema();
  const key = JSON.stringify(schema);
  if (!force && key === schemaKey) return;
  if (!schema && lastResult?.load && !lastResult.load.ok && schemaKey) return;  // keep the last form while the policy has errors
  schemaKey = key;
  renderForm($('#form'), schema, inputValue, (value) => {
    inputValue = value;
    setInputText(JSON.stringify(value, null, 2), true);
  });
}

// ---- Subjects and examples ------------------------------------------------------------------------

function updateSubjects() {
  const select = $('#subject');
  const subjects = lastResult?.load?.subjects;
  if (!subjects) return;
  const key = subjects.join('|');
  if (select.dataset.key !== key) {
    select.replaceChildren(...subjects.map((s) => new Option(s, s)));
    select.dataset.key = key;
  }
  select.value = lastResult.subject || subjects[0];
}

// The subject an example belongs to: the one whose required input fields it has.
function subjectFor(example) {
  const schemas = lastResult?.schemas;
  if (!schemas) return /committee/.test(example.name) ? 'committee' : '';
  let value;
  try { value = JSON.parse(example.text); } catch { return state.subject; }
  let best = '';
  let bestScore = -Infinity;
  for (const [name, schema] of Object.entries(schemas)) {
    if (!schema || !schema.fields) continue;
    const names = new Set(schema.fields.map((f) => f.name));
    let score = 0;
    for (const f of schema.fields) if (!f.optional && !(f.name in value)) score -= 10;
    for (const k of Object.keys(value)) score += names.has(k) ? 1 : -1;
    if (score > bestScore) { bestScore = score; best = name; }
  }
  return best;
}

function renderExampleMenu() {
  const select = $('#example');
  select.replaceChildren(new Option('选择示例申报人…', ''));
  for (const set of policySets) {
    const group = document.createElement('optgroup');
    group.label = `${set.title}（${set.id}）`;
    for (const ex of set.examples) {
      let who = '';
      try { who = JSON.parse(ex.text).name || JSON.parse(ex.text).committee || ''; } catch { /* shown by name only */ }
      group.append(new Option(who ? `${ex.name} — ${who}` : ex.name, `${set.id}/${ex.name}`));
    }
    select.append(group);
  }
  select.value = state.example;
}

function filesModified() {
  const bundled = policySet(state.setId).files;
  return state.files.length !== bundled.length || state.files.some((f, i) => f.path !== bundled[i].path || f.text !== bundled[i].text);
}

function selectExample(value) {
  const [setId, name] = [value.slice(0, value.indexOf('/')), value.slice(value.indexOf('/') + 1)];
  const set = policySet(setId);
  const example = set.examples.find((e) => e.name === name);
  if (!example) return;
  if (setId !== state.setId) {
    if (filesModified() && !confirm('切换到另一套规则会放弃对当前规则的修改，继续吗？')) {
      $('#example').value = state.example;
      return;
    }
    state.setId = setId;
    setFiles(set.files);
    lastResult = null;
  }
  state.example = value;
  state.subject = subjectFor(example);
  setInput(example.text);
  runNow();
}

function setInput(text) {
  try { inputValue = JSON.parse(text); } catch { inputValue = {}; }
  setInputText(text);
  updateForm(true);
}

// ---- Results ---------------------------------------------------------------------------------------

function h(tag, cls, ...children) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

function sourceLink(file, line, column) {
  const a = h('a', 'source', `${shortName(file)}:${line}:${column}`);
  a.href = '#';
  a.title = '跳到规则';
  a.onclick = (e) => { e.preventDefault(); jumpTo(file, line, column); };
  return a;
}

function showResultError(title, message) {
  $('#result').replaceChildren(h('div', 'banner fail', h('strong', '', title)), h('pre', 'error-text', message));
}

function showFatal(message) {
  setStatus('error', '出错');
  showResultError('解释器无法运行', message);
}

function renderResult() {
  const r = lastResult;
  const out = $('#result');
  if (!r) return;
  if (r.crash) return showResultError('解释器出错', r.crash);
  if (!r.load || !r.load.ok) {
    const diags = r.load ? r.load.diagnostics : [];
    const errors = diags.filter((d) => d.severity === 'error');
    out.replaceChildren(
      h('div', 'banner fail', h('strong', '', '规则有错误，无法计算'), h('span', 'counts', `${errors.length} 个错误`)),
      h('ul', 'diagnostics', diags.map((d) => h('li', `finding sev-${d.severity}`,
        h('div', 'finding-head', h('span', `sev sev-${d.severity}`, SEVERITY_ZH[d.severity] || d.severity), h('code', 'code', d.code),
          d.file ? sourceLink(d.file, d.line, d.column) : null),
        h('div', 'message', d.message)))),
    );
    return;
  }
  const rep = r.report;
  if (!rep) return;
  if (rep.input_error || rep.error) {
    out.replaceChildren(
      h('div', 'banner invalid', h('strong', '', rep.input_error ? '输入有误，无法审核' : '计算出错')),
      h('ul', 'input-errors', (rep.input_error || rep.error).split('\n').map((line) => h('li', '', line))),
    );
    return;
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of rep.findings) counts[f.severity] = (counts[f.severity] || 0) + 1;
  const pass = rep.decision === 'pass';
  const banner = h('div', `banner ${pass ? 'pass' : 'fail'}`, h('strong', 'decision', pass ? '审核结论：通过' : '审核结论：不通过'),
    h('span', 'counts', `${counts.error} 项问题 · ${counts.warning} 项提醒 · ${counts.info} 项说明`));
  banner.dataset.decision = rep.decision;
  const findings = h('ol', 'findings', rep.findings.map((f) => {
    const li = h('li', `finding sev-${f.severity}`,
      h('div', 'finding-head', h('span', `sev sev-${f.severity}`, SEVERITY_ZH[f.severity]), h('code', 'code', f.code),
        f.cite ? h('span', 'cite', `依据 ${f.cite}`) : null, f.item ? h('span', 'item', `条目 ${f.item}`) : null,
        f.source && state.view !== 'applicant' ? sourceLink(f.source.file, f.source.line, f.source.column) : null),
      h('div', 'message', f.message));
    li.dataset.code = f.code;
    if (f.source && state.view !== 'applicant') {
      li.classList.add('clickable');
      li.onclick = (e) => { if (!e.target.closest('a')) jumpTo(f.source.file, f.source.line, f.source.column); };
    }
    return li;
  }));
  const schema = currentSchema();
  const labels = new Map((schema?.outputs || []).map((o) => [o.name, o.label]));
  const values = Object.entries(rep.values || {});
  const valueTable = values.length ? h('table', 'values', h('caption', '', '计算结果'), values.map(([k, v]) => {
    const tr = h('tr', '', h('th', '', labels.get(k) || k, labels.get(k) ? h('small', '', ` ${k}`) : null), h('td', '', typeof v === 'string' ? v : JSON.stringify(v)));
    tr.dataset.name = k;
    return tr;
  })) : null;
  out.replaceChildren(banner, rep.findings.length ? findings : h('p', 'muted', '没有发现问题。'), valueTable);
}

function renderTests() {
  const out = $('#tests');
  const t = lastTests;
  const tab = $('#tab-tests');
  if (!t) return;
  if (t.error) {
    out.replaceChildren(h('div', 'banner fail', h('strong', '', '测试无法运行')), h('pre', 'error-text', t.error));
    return;
  }
  tab.textContent = `测试（${t.passed}/${t.passed + t.failed}）`;
  tab.classList.toggle('has-failures', t.failed > 0);
  out.replaceChildren(
    h('div', `banner ${t.failed ? 'fail' : 'pass'}`, h('strong', 'test-summary', `${t.passed} 通过，${t.failed} 失败`)),
    t.failures.length ? h('ol', 'findings', t.failures.map((f) => {
      const li = h('li', 'finding sev-error clickable', h('div', 'finding-head', h('span', 'sev sev-error', '失败'), h('strong', '', f.test), sourceLink(f.file, f.line, f.column)), h('div', 'message', f.message));
      li.onclick = (e) => { if (!e.target.closest('a')) jumpTo(f.file, f.line, f.column); };
      return li;
    })) : h('p', 'muted', '全部测试通过。'),
  );
}

function renderTestsUnavailable() {
  lastTests = null;
  $('#tab-tests').textContent = '测试';
  $('#tests').replaceChildren(h('p', 'muted', '规则有错误，测试无法运行。'));
}

function setStatus(kind, text) {
  const s = $('#status');
  s.className = `status ${kind}`;
  s.textContent = text;
}

// ---- Views, tabs, share ------------------------------------------------------------------------------

function setView(view) {
  state.view = view;
  document.body.dataset.view = view;
  $('#view-staff').classList.toggle('active', view === 'staff');
  $('#view-applicant').classList.toggle('active', view === 'applicant');
  if (view === 'applicant') setInputTab('form');
  renderResult();
  for (const v of views.values()) v.requestMeasure();
}

function setInputTab(tab) {
  state.inputTab = tab;
  document.querySelectorAll('[data-input-tab]').forEach((b) => b.classList.toggle('active', b.dataset.inputTab === tab));
  $('#form').hidden = tab !== 'form';
  $('#json-editor').hidden = tab !== 'json';
  if (tab === 'json') inputView?.requestMeasure();
}

function setResultTab(tab) {
  state.resultTab = tab;
  document.querySelectorAll('[data-result-tab]').forEach((b) => b.classList.toggle('active', b.dataset.resultTab === tab));
  $('#result').hidden = tab !== 'result';
  $('#tests').hidden = tab !== 'tests';
}

async function share() {
  const payload = { v: 1, set: state.setId, files: state.files, active: state.active, input: inputText(), subject: state.subject, view: state.view, example: state.example };
  const url = `${location.origin}${location.pathname}#s=${await encodeState(payload)}`;
  const box = $('#share-url');
  box.value = url;
  $('#share-box').hidden = false;
  box.select();
  try { await navigator.clipboard.writeText(url); $('#share-note').textContent = '链接已复制。'; } catch { $('#share-note').textContent = '请复制此链接。'; }
}

// The state the page opens with: a share link's, or a policy set and example from the query
// (?set=…&example=…&view=applicant), or the default set with its passing teacher.
async function initialState() {
  const params = new URLSearchParams(location.search);
  const m = location.hash.match(/[#&]s=([^&]+)/);
  if (m) {
    try {
      const s = await decodeState(m[1]);
      return { setId: policySet(s.set).id, files: s.files, active: s.active, input: s.input, subject: s.subject || '',
        example: s.example || '', view: params.get('view') || s.view || 'staff' };
    } catch (e) {
      console.warn('share link could not be read', e);
    }
  }
  const set = policySet(params.get('set') || policySets[0].id);
  const wanted = params.get('example') || (set.examples.some((e) => e.name === 'teacher-pass') ? 'teacher-pass' : set.examples[0]?.name);
  const example = set.examples.find((e) => e.name === wanted);
  return { setId: set.id, files: set.files, active: set.files[0]?.path, input: example ? example.text : '{}', subject: example ? subjectFor(example) : '',
    example: example ? `${set.id}/${example.name}` : '', view: params.get('view') || 'staff' };
}

// Resolves after the next frame has been painted.
function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

let resolveFirstResult;
const firstResult = new Promise((resolve) => { resolveFirstResult = resolve; });

async function main() {
  startWorker();
  policySets = await (window.zhipingPolicySets || fetch('policy-sets.json').then((r) => r.json()));
  const init = await initialState();
  Object.assign(state, { setId: init.setId, subject: init.subject, example: init.example, active: init.active });
  state.files = init.files.map(({ path, text }) => ({ path, text }));
  pendingInput = init.input;
  try { inputValue = JSON.parse(init.input); } catch { inputValue = {}; }
  // The request goes out before any editor is made: the result is the first thing on screen.
  runNow();
  renderExampleMenu();
  setView(init.view === 'applicant' ? 'applicant' : 'staff');
  setInputTab('form');
  setResultTab('result');
  const kit = import('./editor-kit.js');
  await Promise.race([firstResult, new Promise((r) => setTimeout(r, 3000))]);
  CM = await kit;
  makeInputView(pendingInput);
  pendingInput = null;
  setFiles(state.files, state.active);
  editorsReady = true;
  if (lastResult) document.body.dataset.ready = 'true';

  $('#example').onchange = (e) => e.target.value && selectExample(e.target.value);
  $('#subject').onchange = (e) => { state.subject = e.target.value; schemaKey = ''; runNow(); };
  $('#view-staff').onclick = () => setView('staff');
  $('#view-applicant').onclick = () => setView('applicant');
  document.querySelectorAll('[data-input-tab]').forEach((b) => { b.onclick = () => setInputTab(b.dataset.inputTab); });
  document.querySelectorAll('[data-result-tab]').forEach((b) => { b.onclick = () => setResultTab(b.dataset.resultTab); });
  $('#share').onclick = share;
  $('#share-close').onclick = () => { $('#share-box').hidden = true; };
  $('#reset').onclick = () => {
    if (filesModified() && !confirm('放弃对规则的修改，恢复为发布的版本？')) return;
    setFiles(policySet(state.setId).files, state.active);
    runNow();
  };
  $('#delete-file').onclick = deleteActiveFile;
  window.addEventListener('hashchange', () => location.reload());
  if ('serviceWorker' in navigator && location.protocol !== 'file:' && !navigator.webdriver) {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

// A small handle for the browser tests and for people who script the page from the console.
function viewOf(file) {
  for (const f of state.files) if (f.path === file || f.path.endsWith(`/${file}`)) return viewFor(f.path);
  throw new Error(`no file ${file}`);
}
window.zhipingPlayground = {
  firstResultMs: null,
  inputText,
  setInputText: (text) => setInputText(text),
  snapshot: () => ({ files: state.files.map(({ path, text }) => ({ path, text })), input: inputText(), subject: state.subject, view: state.view }),
  placeCursor(file, line) {
    const view = viewOf(file);
    const pos = view.state.doc.line(line).from;
    view.dispatch({ selection: { anchor: pos }, effects: CM.EditorView.scrollIntoView(pos, { y: 'center' }) });
    view.focus();
  },
  cursorLine() {
    const view = views.get(state.active);
    return view.state.doc.lineAt(view.state.selection.main.head).number;
  },
  lintMarkerLines() {
    const view = views.get(state.active);
    return [...view.dom.querySelectorAll('.cm-lint-marker-error')].map((m) => {
      const block = view.lineBlockAtHeight(m.getBoundingClientRect().top - view.documentTop + 2);
      return view.state.doc.lineAt(block.from).number;
    });
  },
  findLine(file, text) {
    const doc = viewOf(file).state.doc;
    for (let i = 1; i <= doc.lines; i++) if (doc.line(i).text.includes(text)) return i;
    return 0;
  },
  replaceInLine(file, line, from, to) {
    const view = viewOf(file);
    const l = view.state.doc.line(line);
    const at = l.text.indexOf(from);
    view.dispatch({ changes: { from: l.from + at, to: l.from + at + from.length, insert: to } });
  },
  appendToFile(file, text) {
    const view = viewOf(file);
    view.dispatch({ changes: { from: view.state.doc.length, insert: text } });
  },
};

main();
