// The sign-in screen: POST /api/session sets the httpOnly session cookie; nothing is kept in the browser.
import { api } from '../api.js';
import { h, icon, replaceChildren } from '../dom.js';
import { fieldErrors, formError } from './forms.js';

export function mountSignIn(root, { notice, onSignedIn }) {
  const email = h('input', { id: 'signin-email', name: 'email', type: 'email', autocomplete: 'username', required: true, autofocus: true, placeholder: 'you@company.com' });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, 'Sign in');
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });

  const form = h(
    'form',
    {
      class: 'signin-card',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        formError(error, null);
        fieldErrors(form, {});
        if (!email.value.trim() || !password.value) {
          formError(error, 'Enter your email and password.');
          (email.value.trim() ? password : email).focus();
          return;
        }
        submit.disabled = true;
        submit.textContent = 'Signing in…';
        try {
          const me = await api.signIn(email.value.trim(), password.value);
          onSignedIn(me);
        } catch (err) {
          formError(error, err.message);
          fieldErrors(form, err.fields);
          password.select();
          submit.disabled = false;
          submit.textContent = 'Sign in';
        }
      },
    },
    h('div', { class: 'signin-brand' }, h('span', { class: 'brand-mark' }, icon('shield')), h('span', {}, 'Support Inbox')),
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Telegram, Discord and X conversations in one place.'),
    notice ? h('div', { class: 'notice' }, notice) : null,
    error,
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Email'), email),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Password'), password),
    submit,
  );
  replaceChildren(root, h('div', { class: 'signin' }, form));
  setTimeout(() => email.focus(), 0);
}
