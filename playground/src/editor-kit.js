// CodeMirror and the Zhiping mode in one chunk, loaded after the page has asked for the first
// result: the result and the form do not wait for the editors' code.
import { basicSetup } from 'codemirror';
import { EditorState, Annotation } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { json } from '@codemirror/lang-json';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { zhiping } from './zhiping-lang.js';

// Marks the JSON editor's changes that come from the form, so that the form is not redrawn.
export const fromForm = Annotation.define();

export const editorTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", "WenQuanYi Zen Hei Mono", monospace', lineHeight: '1.5' },
});

export { basicSetup, EditorState, EditorView, json, setDiagnostics, lintGutter, zhiping };
