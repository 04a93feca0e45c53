// Syntax highlighting of Zhiping policy files for CodeMirror: the keywords of lang/grammar.hpp in
// both spellings, types, finding codes, strings, dates, numbers and comments. Highlighting only:
// the checker in the WebAssembly module is the one judge of what is valid.
import { StreamLanguage, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

// Every keyword of lang/grammar.hpp (kw_*), English and Chinese.
const KEYWORDS = [
  'subject', '主体', 'import', '引用', 'type', '类型', 'input', '输入', 'let', '令', 'fn', '函数',
  'decision', '决策', 'hit', '命中', 'first', '首个', 'unique', '唯一', 'table', '表', 'calendar', '日历',
  'years', '年份', 'off', '休', 'work', '班', 'output', '输出', 'rule', '规则', 'severity', '级别',
  'cite', '依据', 'for', 'each', '对每个', 'in', '属于', 'when', '当', 'message', '消息',
  'item', '条目', 'test', '测试', 'with', '合并', 'expect', '期望', 'no', '无', 'only', '仅',
  '结论', 'pass', '通过', 'fail', '不通过',
];
const SEVERITIES = ['error', '错误', 'warning', '警告', 'info', '提示'];
const ATOMS = ['true', '真', 'false', '假', 'null', '空'];
const TYPES = [
  'bool', '布尔', 'int', '整数', 'uint', 'double', '小数', 'string', '文本', 'bytes', 'date', '日期',
  'timestamp', 'duration', 'dyn', 'list', '列表', 'map', '映射',
];
const keywordSet = new Set(KEYWORDS);
const severitySet = new Set(SEVERITIES);
const atomSet = new Set(ATOMS);
const typeSet = new Set(TYPES);

// Identifiers as the grammar reads them: letters of most scripts, but not CJK punctuation.
const IDENT = /^[A-Za-z_\u00C0-\u02FF\u0370-\u1FFF\u3040-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF][A-Za-z0-9_\u00C0-\u02FF\u0370-\u1FFF\u3040-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]*/;
const CODE = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![A-Za-z0-9_])/;

function readString(stream, state, quote) {
  const triple = quote.repeat(3);
  while (!stream.eol()) {
    if (state.inString.length === 3 ? stream.match(triple) : stream.eat(quote)) {
      state.inString = null;
      return;
    }
    if (!state.raw && stream.eat('\\')) stream.next();
    else stream.next();
  }
  if (state.inString.length === 1) state.inString = null;  // a short string ends at the line's end
}

export const zhipingLanguage = StreamLanguage.define({
  name: 'zhiping',
  startState: () => ({ inString: null, raw: false }),
  token(stream, state) {
    if (state.inString) {
      readString(stream, state, state.inString[0]);
      return 'string';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//') || stream.match('#')) {
      stream.skipToEnd();
      return 'comment';
    }
    const prefix = stream.match(/^(?:[rR][bB]?|[bB][rR]?)(?=["'])/);
    const quote = stream.match(/^("""|'''|"|')/);
    if (quote) {
      state.inString = quote[0];
      state.raw = !!(prefix && /r/i.test(prefix[0]));
      readString(stream, state, quote[0][0]);
      return 'string';
    }
    if (prefix) stream.backUp(prefix[0].length);
    if (stream.match(/^\d{4}-\d{2}-\d{2}/)) return 'number';
    if (stream.match(/^(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[uU]?/)) return 'number';
    if (stream.match(CODE)) return 'labelName';
    const word = stream.match(IDENT);
    if (word) {
      const w = word[0];
      if (keywordSet.has(w)) return 'keyword';
      if (severitySet.has(w)) return 'modifier';
      if (atomSet.has(w)) return 'atom';
      if (typeSet.has(w)) return 'typeName';
      if (/^[A-Z]/.test(w)) return 'typeName';
      if (stream.match(/^\s*\(/, false)) return 'variableName.function';
      return 'variableName';
    }
    if (stream.match(/^(?:->|&&|\|\||==|!=|<=|>=|[-+*/%<>!?:=])/)) return 'operator';
    if (stream.eat('|')) return 'separator';
    stream.next();
    return 'punctuation';
  },
  languageData: { commentTokens: { line: '//' } },
});

const zhipingHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#7a1fa2', fontWeight: 'bold' },
  { tag: t.modifier, color: '#b35900', fontWeight: 'bold' },
  { tag: t.atom, color: '#0b6e99' },
  { tag: t.typeName, color: '#00796b' },
  { tag: t.labelName, color: '#c62828', fontWeight: 'bold' },
  { tag: t.string, color: '#2e7d32' },
  { tag: t.number, color: '#1565c0' },
  { tag: t.comment, color: '#8a8a8a', fontStyle: 'italic' },
  { tag: t.function(t.variableName), color: '#283593' },
  { tag: t.operator, color: '#5d4037' },
  { tag: t.separator, color: '#9e9e9e' },
]);

export function zhiping() {
  return [zhipingLanguage, syntaxHighlighting(zhipingHighlight)];
}
