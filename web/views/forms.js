// Form helpers shared by the pages: field-level errors from a 400's `error.fields`, a form-level message, and
// labelled inputs.
import { h } from '../dom.js';

/** Shows `message` in the error box (or hides the box when message is empty). */
export function formError(box, message) {
  box.textContent = message ?? '';
  box.hidden = !message;
}

/**
 * Puts each field message next to the input whose name (or data-field) is the field path; clears old ones.
 * Returns the entries that matched no input, so the caller can list them.
 */
export function fieldErrors(form, fields) {
  for (const el of form.querySelectorAll('.field-msg')) el.remove();
  for (const el of form.querySelectorAll('.invalid')) {
    el.classList.remove('invalid');
    el.removeAttribute('aria-invalid');
  }
  const unmatched = [];
  for (const [path, message] of Object.entries(fields ?? {})) {
    const target = findField(form, path);
    if (!target) {
      unmatched.push([path, message]);
      continue;
    }
    target.classList.add('invalid');
    target.setAttribute('aria-invalid', 'true');
    const holder = target.closest('.field') ?? target.parentElement;
    // "settings.supportChannelIds.0" and ".1" land on the same input: say it once.
    if ([...holder.querySelectorAll('.field-msg')].some((el) => el.textContent === message)) continue;
    holder.append(h('div', { class: 'field-msg' }, message));
  }
  return unmatched;
}

function findField(form, path) {
  const esc = CSS.escape(path);
  const direct = form.querySelector(`[name="${esc}"], [data-field="${esc}"]`);
  if (direct) return direct;
  // "settings.supportChannelIds.0" → the supportChannelIds input.
  const parts = path.split('.');
  while (parts.length > 1) {
    parts.pop();
    const p = CSS.escape(parts.join('.'));
    const el = form.querySelector(`[name="${p}"], [data-field="${p}"]`);
    if (el) return el;
  }
  return null;
}

/** A labelled field: label text, the control, and an optional hint under it. */
export function field(label, control, hint, { wide = false } = {}) {
  return h('label', { class: ['field', wide && 'field-wide'] }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

export function select(name, options, value, attrs = {}) {
  return h(
    'select',
    { name, ...attrs },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  );
}

/** A toggle switch backed by a checkbox. */
export function toggle(name, checked, label, attrs = {}) {
  return h(
    'label',
    { class: 'switch', title: label },
    h('input', { type: 'checkbox', name, checked, role: 'switch', ...attrs }),
    h('span', { class: 'switch-track', 'aria-hidden': 'true' }, h('span', { class: 'switch-thumb' })),
    label ? h('span', { class: 'switch-label' }, label) : null,
  );
}
