// The applicant form, generated from the policy's declared input schema (Policy::schema): each field
// with its Chinese label, dates as date pickers, enums as selects, booleans as check boxes, lists
// with add/remove, records as nested groups. The form edits a JSON value in place and reports every
// change; the JSON editor is the other view of the same value.

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'value') e.value = v;
    else if (k === 'checked') e.checked = !!v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function isRecordWithFields(type) {
  return type.kind === 'record' && Array.isArray(type.fields);
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

// A fresh value of a type, for a new list element or a record the applicant starts to fill in:
// required fields get an empty value of their type, optional ones are left out.
export function emptyValue(type) {
  switch (type.kind) {
    case 'record': {
      const v = {};
      if (isRecordWithFields(type)) for (const f of type.fields) if (!f.optional) v[f.name] = emptyValue(f.type);
      return v;
    }
    case 'list': return [];
    case 'map': return {};
    case 'bool': return false;
    case 'int': case 'uint': case 'double': return 0;
    case 'date': return today();
    case 'enum': return type.values[0];
    default: return '';
  }
}

function pathText(path) {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

// Renders the form of `schema` for `value` into `container`; onChange(value) after every edit.
export function renderForm(container, schema, value, onChange) {
  const scrollTop = container.scrollTop;
  container.replaceChildren();
  if (!schema || !isRecordWithFields(schema)) {
    container.append(el('p', { class: 'muted' }, '政策未能加载，暂时无法生成表单。'));
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) value = {};
  const rerender = () => renderForm(container, schema, value, onChange);
  const changed = () => onChange(value);
  container.append(el('h3', { class: 'form-title' }, schema.label || schema.name || '输入'));
  container.append(renderFields(schema.fields, value, [], changed, rerender));
  container.scrollTop = scrollTop;
}

function renderFields(fields, obj, path, changed, rerender) {
  const box = el('div', { class: 'fields' });
  for (const f of fields) box.append(renderField(f, obj, [...path, f.name], changed, rerender));
  return box;
}

function renderField(field, obj, path, changed, rerender) {
  const { type } = field;
  const label = field.label || field.name;
  const id = `f-${pathText(path).replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const key = field.name;

  if (type.kind === 'list') {
    const list = Array.isArray(obj[key]) ? obj[key] : null;
    const group = el('fieldset', { class: 'group list', 'data-path': pathText(path) }, el('legend', {}, label, el('span', { class: 'count' }, list ? ` （${list.length}）` : '')));
    (list || []).forEach((item, i) => {
      const itemPath = [...path, i];
      const remove = el('button', { type: 'button', class: 'remove', title: '删除这一项', 'data-action': 'remove', onclick: () => { list.splice(i, 1); changed(); rerender(); } }, '删除');
      const body = renderValue(type.elem, list, i, itemPath, `${label} 第${i + 1}项`, changed, rerender);
      group.append(el('div', { class: 'list-item', 'data-path': pathText(itemPath) }, el('div', { class: 'item-head' }, el('span', {}, `第 ${i + 1} 项`), remove), body));
    });
    group.append(el('button', { type: 'button', class: 'add', 'data-action': 'add', onclick: () => {
      if (!Array.isArray(obj[key])) obj[key] = [];
      obj[key].push(emptyValue(type.elem));
      changed();
      rerender();
    } }, `＋ 添加${type.elem.label || ''}`));
    return group;
  }

  if (isRecordWithFields(type)) {
    const present = obj[key] && typeof obj[key] === 'object';
    const group = el('fieldset', { class: 'group record', 'data-path': pathText(path) }, el('legend', {}, label));
    if (present) {
      if (field.optional) group.append(el('button', { type: 'button', class: 'remove', onclick: () => { obj[key] = null; changed(); rerender(); } }, `不填写${label}`));
      group.append(renderFields(type.fields, obj[key], path, changed, rerender));
    } else {
      group.append(el('button', { type: 'button', class: 'add', onclick: () => { obj[key] = emptyValue(type); changed(); rerender(); } }, `＋ 填写${label}`));
    }
    return group;
  }

  const input = renderValue(type, obj, key, path, label, changed, rerender, field.optional, id);
  return el('div', { class: `field kind-${type.kind}` }, el('label', { for: id }, label, field.optional ? '' : el('span', { class: 'req', title: '必填' }, ' *')), input);
}

// One value of a scalar, enum, record or other type, stored at holder[key].
function renderValue(type, holder, key, path, label, changed, rerender, optional = false, id = undefined) {
  const v = holder[key];
  const dp = pathText(path);
  const setOrClear = (x) => {
    if (x === undefined) {
      if (optional) holder[key] = null;
      else delete holder[key];
    } else holder[key] = x;
    changed();
  };
  switch (type.kind) {
    case 'bool':
      return el('input', { type: 'checkbox', id, 'data-path': dp, checked: v === true, onchange: (e) => setOrClear(e.target.checked) });
    case 'date':
      return el('input', { type: 'date', id, 'data-path': dp, value: typeof v === 'string' ? v : '', oninput: (e) => setOrClear(e.target.value || undefined) });
    case 'int': case 'uint': case 'double':
      return el('input', { type: 'number', id, 'data-path': dp, step: type.kind === 'double' ? 'any' : '1', value: typeof v === 'number' ? String(v) : '',
        oninput: (e) => setOrClear(e.target.value === '' ? undefined : Number(e.target.value)) });
    case 'enum': {
      const select = el('select', { id, 'data-path': dp, onchange: (e) => setOrClear(e.target.value === '' ? undefined : e.target.value) });
      select.append(el('option', { value: '' }, optional ? '（不填）' : '（请选择）'));
      type.values.forEach((val, i) => {
        const lab = type.labels && type.labels[i] ? type.labels[i] : val;
        select.append(el('option', { value: val }, lab === val ? val : `${lab}`));
      });
      if (typeof v === 'string' && !type.values.includes(v)) select.append(el('option', { value: v }, `${v}（不是可选值）`));
      select.value = typeof v === 'string' ? v : '';
      return select;
    }
    case 'string':
      return el('input', { type: 'text', id, 'data-path': dp, value: typeof v === 'string' ? v : '', oninput: (e) => setOrClear(e.target.value === '' && optional ? undefined : e.target.value) });
    case 'record':
      if (isRecordWithFields(type)) {
        if (!holder[key] || typeof holder[key] !== 'object') holder[key] = emptyValue(type);
        return renderFields(type.fields, holder[key], path, changed, rerender);
      }
      // falls through: a recursive record is edited as JSON
    default: {
      // Maps, timestamps, durations, bytes, dyn: edited as JSON text.
      const text = v === undefined || v === null ? '' : JSON.stringify(v);
      return el('input', { type: 'text', id, class: 'json-field', 'data-path': dp, value: text, placeholder: 'JSON', title: `${label}（JSON）`,
        onchange: (e) => {
          if (e.target.value.trim() === '') return setOrClear(undefined);
          try {
            setOrClear(JSON.parse(e.target.value));
            e.target.classList.remove('invalid');
          } catch {
            e.target.classList.add('invalid');
          }
        } });
    }
  }
}
