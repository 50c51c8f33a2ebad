// The inbox: the conversation list (filters, flagged first, load more) on the left and the open conversation
// (timeline, reply box, status and assignment) on the right. Live events refresh both, debounced.
import { api } from '../api.js';
import {
  avatar,
  dayLabel,
  debounce,
  findingLabel,
  fullTime,
  h,
  icon,
  isTyping,
  platformBadge,
  relativeTime,
  replaceChildren,
  STATUS_LABEL,
  toast,
  visibilityBadge,
  PLATFORM_LABEL,
} from '../dom.js';
import { renderMessage } from './messages.js';

const FILTERS_KEY = 'inbox.filters'; // UI preferences only: nothing secret is ever kept in the browser.
const DEFAULT_FILTERS = { status: 'open', platform: '', visibility: '', flagged: '' };

function loadFilters() {
  try {
    return { ...DEFAULT_FILTERS, ...JSON.parse(localStorage.getItem(FILTERS_KEY) ?? '{}') };
  } catch {
    return { ...DEFAULT_FILTERS };
  }
}

const byListOrder = (a, b) =>
  Number(b.flagged) - Number(a.flagged) || new Date(b.lastMessageAt).getTime() - new Date(a.lastMessageAt).getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function mountInbox(container, ctx) {
  const { me } = ctx;
  const s = {
    filters: loadFilters(),
    items: [],
    nextCursor: null,
    loading: false,
    listError: null,
    selectedId: ctx.param,
    unseen: new Set(),
    conversation: null,
    messages: [],
    convError: null,
    convLoading: false,
    openToken: 0,
    listToken: 0,
    sending: false,
    drafts: new Map(), // conversation id → unsent reply text (memory only)
    disposed: false,
  };

  // -------------------------------------------------------------------------------------------------------------
  // Layout

  const statusTabs = h(
    'div',
    { class: 'tabs', role: 'tablist', 'aria-label': 'Status' },
    [['open', 'Open'], ['pending', 'Pending'], ['resolved', 'Resolved'], ['', 'All']].map(([value, label]) =>
      h('button', { type: 'button', role: 'tab', class: 'tab', dataset: { value }, onclick: () => setFilter('status', value) }, label),
    ),
  );
  const platformSelect = h(
    'select',
    { class: 'select-sm', 'aria-label': 'Platform', id: 'filter-platform', onchange: (e) => setFilter('platform', e.target.value) },
    h('option', { value: '' }, 'All platforms'),
    Object.entries(PLATFORM_LABEL).map(([v, l]) => h('option', { value: v }, l)),
  );
  const visibilitySelect = h(
    'select',
    { class: 'select-sm', 'aria-label': 'Visibility', onchange: (e) => setFilter('visibility', e.target.value) },
    h('option', { value: '' }, 'Public & DMs'),
    h('option', { value: 'public' }, 'Public only'),
    h('option', { value: 'private' }, 'DMs only'),
  );
  const flaggedBox = h('input', { type: 'checkbox', onchange: (e) => setFilter('flagged', e.target.checked ? 'true' : '') });
  const flaggedToggle = h('label', { class: 'check-pill', title: 'Only conversations where the guard caught a secret' }, flaggedBox, h('span', { class: 'flag-dot', 'aria-hidden': 'true' }), 'Flagged');

  const listEl = h('ul', { class: 'conv-list', role: 'listbox', 'aria-label': 'Conversations', tabindex: '-1' });
  const listFoot = h('div', { class: 'list-foot' });
  const listCount = h('span', { class: 'list-count muted' });
  const listPane = h(
    'aside',
    { class: 'list-pane' },
    h('div', { class: 'list-head' }, statusTabs, h('div', { class: 'filters' }, platformSelect, visibilitySelect, flaggedToggle)),
    h('div', { class: 'list-scroll' }, listEl, listFoot),
    h('div', { class: 'list-status' }, listCount, h('span', { class: 'muted kbd-hint' }, h('kbd', {}, 'j'), h('kbd', {}, 'k'), ' to move · ', h('kbd', {}, '?'), ' shortcuts')),
  );
  const convPane = h('section', { class: 'conv-pane', 'aria-label': 'Conversation' });
  replaceChildren(container, h('div', { class: 'inbox' }, listPane, convPane));

  function syncFilterControls() {
    for (const tab of statusTabs.children) {
      const on = tab.dataset.value === s.filters.status;
      tab.classList.toggle('active', on);
      tab.setAttribute('aria-selected', String(on));
    }
    platformSelect.value = s.filters.platform;
    visibilitySelect.value = s.filters.visibility;
    flaggedBox.checked = s.filters.flagged === 'true';
  }

  function setFilter(key, value) {
    if (s.filters[key] === value) return;
    s.filters = { ...s.filters, [key]: value };
    try {
      localStorage.setItem(FILTERS_KEY, JSON.stringify(s.filters));
    } catch {}
    syncFilterControls();
    loadList({ reset: true });
  }

  // -------------------------------------------------------------------------------------------------------------
  // The list

  async function loadList({ reset = false, more = false } = {}) {
    const token = ++s.listToken;
    if (reset) {
      s.items = [];
      s.nextCursor = null;
      s.loading = true;
      renderList();
    }
    if (more) {
      s.loading = true;
      renderListFoot();
    }
    try {
      const page = await api.conversations(s.filters, more ? s.nextCursor : undefined);
      if (token !== s.listToken || s.disposed) return;
      s.listError = null;
      if (more) {
        const known = new Set(s.items.map((c) => c.id));
        s.items = [...s.items, ...page.items.filter((c) => !known.has(c.id))];
        s.nextCursor = page.nextCursor;
      } else if (reset || !s.items.length) {
        s.items = page.items;
        s.nextCursor = page.nextCursor;
      } else {
        // A live refresh: the first page is fresh; keep what "load more" brought in beyond it.
        const fresh = new Map(page.items.map((c) => [c.id, c]));
        const rest = s.items.filter((c) => !fresh.has(c.id) && matchesFilters(c) && page.nextCursor);
        s.items = [...page.items, ...rest].sort(byListOrder);
        if (!s.nextCursor || !page.nextCursor) s.nextCursor = page.nextCursor;
      }
    } catch (err) {
      if (token !== s.listToken || s.disposed) return;
      s.listError = err.message;
    } finally {
      if (token === s.listToken) s.loading = false;
    }
    if (!s.disposed) renderList();
  }

  function matchesFilters(c) {
    const f = s.filters;
    return (!f.status || c.status === f.status) && (!f.platform || c.platform === f.platform) && (!f.visibility || c.visibility === f.visibility) && (!f.flagged || c.flagged);
  }

  function renderList() {
    if (!s.items.length) {
      replaceChildren(
        listEl,
        s.loading
          ? Array.from({ length: 6 }, () => h('li', { class: 'conv-item skeleton', 'aria-hidden': 'true' }, h('span', { class: 'avatar avatar-md' }), h('div', { class: 'conv-body' }, h('div', { class: 'sk-line w60' }), h('div', { class: 'sk-line w90' }))))
          : h(
              'li',
              { class: 'list-empty' },
              s.listError
                ? [h('strong', {}, 'Could not load conversations'), h('span', {}, s.listError), h('button', { class: 'btn btn-sm', type: 'button', onclick: () => loadList({ reset: true }) }, 'Try again')]
                : [h('strong', {}, 'No conversations here'), h('span', {}, emptyHint())],
            ),
      );
    } else {
      replaceChildren(listEl, s.items.map(renderItem));
    }
    renderListFoot();
    listCount.textContent = s.items.length ? `${s.items.length}${s.nextCursor ? '+' : ''} conversation${s.items.length === 1 && !s.nextCursor ? '' : 's'}` : '';
  }

  function emptyHint() {
    const f = s.filters;
    if (f.status === 'open' && !f.platform && !f.visibility && !f.flagged) return 'All caught up: nothing is waiting for an answer.';
    return 'Nothing matches these filters.';
  }

  function renderListFoot() {
    replaceChildren(
      listFoot,
      s.nextCursor
        ? h('button', { class: 'btn btn-ghost btn-block', type: 'button', disabled: s.loading, onclick: () => loadList({ more: true }) }, s.loading ? 'Loading…' : 'Load more')
        : s.items.length > 8
          ? h('div', { class: 'list-end muted' }, 'End of the list')
          : null,
    );
  }

  function renderItem(c) {
    const name = c.contact?.displayName || c.contact?.handle || 'Unknown customer';
    const selected = c.id === s.selectedId;
    const assignee = c.assigneeId ? (c.assigneeId === me.id ? 'You' : 'Assigned') : null;
    return h(
      'li',
      {
        class: ['conv-item', selected && 'selected', c.flagged && 'flagged', s.unseen.has(c.id) && 'unseen'],
        role: 'option',
        'aria-selected': String(selected),
        dataset: { id: c.id },
        tabindex: selected ? '0' : '-1',
        onclick: () => openConversation(c.id),
        onkeydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            openConversation(c.id);
          }
        },
      },
      avatar(c.contact?.id ?? c.id, name),
      h(
        'div',
        { class: 'conv-body' },
        h(
          'div',
          { class: 'conv-row1' },
          c.flagged ? h('span', { class: 'flag-badge', title: 'Flagged: the guard caught sensitive data here' }, icon('flag'), 'Flagged') : null,
          h('span', { class: 'conv-name', dir: 'auto' }, name),
          c.contact?.handle && c.contact.handle !== name ? h('span', { class: 'conv-handle' }, `@${c.contact.handle.replace(/^@/, '')}`) : null,
          h('time', { class: 'conv-time', datetime: c.lastMessageAt, title: fullTime(c.lastMessageAt), dataset: { rel: c.lastMessageAt } }, relativeTime(c.lastMessageAt)),
        ),
        h('div', { class: 'conv-preview', dir: 'auto' }, c.preview ? previewText(c.preview) : h('span', { class: 'muted' }, 'No text')),
        h(
          'div',
          { class: 'conv-row3' },
          platformBadge(c.platform),
          h('span', { class: 'conv-connector', title: `Connector: ${c.connectorName ?? ''}` }, c.connectorName ?? PLATFORM_LABEL[c.platform] ?? c.platform),
          visibilityBadge(c.visibility),
          c.status !== 'open' || !s.filters.status ? h('span', { class: ['status-pill', `status-${c.status}`] }, STATUS_LABEL[c.status] ?? c.status) : null,
          assignee ? h('span', { class: ['assignee-pill', assignee === 'You' && 'mine'], title: assignee === 'You' ? 'Assigned to you' : 'Assigned to someone else' }, assignee) : null,
        ),
      ),
    );
  }

  /** The preview with the guard's placeholders ("[otp removed]") shown as small marks. */
  function previewText(text) {
    const out = [];
    let at = 0;
    for (const m of text.matchAll(/\[([a-z_]+) removed\]/g)) {
      if (m.index > at) out.push(text.slice(at, m.index));
      out.push(h('span', { class: 'preview-mask', title: `The guard removed a ${findingLabel(m[1])}` }, icon('lock'), findingLabel(m[1])));
      at = m.index + m[0].length;
    }
    out.push(text.slice(at));
    return out;
  }

  function updateListItem(c) {
    const i = s.items.findIndex((x) => x.id === c.id);
    if (i < 0) return;
    s.items[i] = { ...s.items[i], ...c };
    const el = listEl.querySelector(`[data-id="${CSS.escape(c.id)}"]`);
    el?.replaceWith(renderItem(s.items[i]));
  }

  function markSelected() {
    for (const el of listEl.querySelectorAll('.conv-item')) {
      const on = el.dataset.id === s.selectedId;
      el.classList.toggle('selected', on);
      el.setAttribute('aria-selected', String(on));
      el.tabIndex = on ? 0 : -1;
      if (on) el.classList.remove('unseen');
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The open conversation

  const timeline = h('div', { class: 'timeline', 'aria-live': 'polite' });
  const replyBox = h('textarea', {
    class: 'reply-input',
    id: 'reply-text',
    rows: '3',
    placeholder: 'Write a reply…',
    'aria-label': 'Reply',
    dir: 'auto',
    oninput: () => {
      autosize();
      if (s.selectedId) s.drafts.set(s.selectedId, replyBox.value);
      replyError.hidden = true;
    },
    onkeydown: (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        sendReply();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        replyBox.blur();
        listEl.querySelector('.conv-item.selected')?.focus();
      }
    },
  });
  const replyError = h('div', { class: 'reply-error', role: 'alert', hidden: true });
  const sendButton = h('button', { class: 'btn btn-primary', type: 'submit', title: 'Send (Ctrl+Enter)' }, 'Send');
  const replyNote = h('span', { class: 'reply-note' });
  const composer = h(
    'form',
    {
      class: 'composer',
      onsubmit: (e) => {
        e.preventDefault();
        sendReply();
      },
    },
    replyBox,
    replyError,
    h('div', { class: 'composer-foot' }, replyNote, h('span', { class: 'composer-keys muted' }, h('kbd', {}, navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl'), h('kbd', {}, 'Enter'), ' to send'), sendButton),
  );

  function autosize() {
    replyBox.style.height = 'auto';
    replyBox.style.height = `${Math.min(Math.max(replyBox.scrollHeight, 68), 260)}px`;
  }

  const header = h('header', { class: 'conv-header' });

  function renderEmptyPane() {
    replaceChildren(
      convPane,
      h(
        'div',
        { class: 'pane-empty' },
        h('div', { class: 'pane-empty-icon' }, icon('mail')),
        h('h2', {}, 'Select a conversation'),
        h('p', { class: 'muted' }, 'Press ', h('kbd', {}, 'j'), ' to open the first one, ', h('kbd', {}, '?'), ' for all shortcuts.'),
      ),
    );
  }

  function openConversation(id, { focusList = false } = {}) {
    if (!id) return;
    if (s.selectedId !== id || !s.conversation) {
      // pushState fires no hashchange: the view shows the conversation itself; Back still works (hashchange).
      if (location.hash !== `#/inbox/${id}`) history.pushState(null, '', `#/inbox/${id}`);
      showConversation(id);
    }
    if (focusList) listEl.querySelector('.conv-item.selected')?.focus();
  }

  /** Called when the route's conversation id changes. */
  async function showConversation(id) {
    s.selectedId = id;
    s.unseen.delete(id);
    markSelected();
    if (!id) {
      s.conversation = null;
      renderEmptyPane();
      return;
    }
    const token = ++s.openToken;
    s.conversation = null;
    s.messages = [];
    s.convError = null;
    s.convLoading = true;
    replaceChildren(convPane, header, timeline, composer);
    replaceChildren(header, h('div', { class: 'sk-line w40' }));
    replaceChildren(timeline, h('div', { class: 'timeline-loading muted' }, 'Loading conversation…'));
    replyBox.value = s.drafts.get(id) ?? '';
    replyError.hidden = true;
    autosize();
    await refreshConversation(token, { scroll: 'bottom' });
  }

  async function refreshConversation(token = s.openToken, { scroll = 'keep' } = {}) {
    const id = s.selectedId;
    if (!id) return;
    try {
      const [conversation, messages] = await Promise.all([api.conversation(id), api.messages(id)]);
      if (token !== s.openToken || s.disposed) return;
      s.conversation = conversation;
      s.messages = messages.items;
      s.convError = null;
      updateListItem(conversation);
    } catch (err) {
      if (token !== s.openToken || s.disposed) return;
      s.convError = err;
    }
    s.convLoading = false;
    renderConversation(scroll);
  }

  function renderConversation(scroll) {
    if (s.convError && !s.conversation) {
      replaceChildren(
        convPane,
        h(
          'div',
          { class: 'pane-empty' },
          h('h2', {}, s.convError.status === 404 ? 'Conversation not found' : 'Could not load this conversation'),
          h('p', { class: 'muted' }, s.convError.message),
          h('button', { class: 'btn', type: 'button', onclick: () => showConversation(s.selectedId) }, 'Try again'),
        ),
      );
      return;
    }
    const c = s.conversation;
    if (!c) return;
    renderHeader(c);
    const nearBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
    const previousTop = timeline.scrollTop;
    const nodes = [];
    let lastDay = '';
    let previous = null;
    for (const m of s.messages) {
      const day = dayLabel(m.createdAt);
      if (day !== lastDay) {
        nodes.push(h('div', { class: 'day-sep' }, h('span', {}, day)));
        lastDay = day;
        previous = null;
      }
      // Consecutive messages from the same person within a few minutes share one header.
      const continued =
        previous !== null &&
        previous.direction === m.direction &&
        (previous.author?.id ?? previous.author?.name) === (m.author?.id ?? m.author?.name) &&
        new Date(m.createdAt).getTime() - new Date(previous.createdAt).getTime() < 5 * 60_000 &&
        !previous.guardActions?.length &&
        !m.editedAt &&
        !m.deletedAt; // its header says "edited" / "deleted"
      nodes.push(renderMessage(m, c, me, { continued }));
      previous = m;
    }
    if (!s.messages.length) nodes.push(h('div', { class: 'timeline-loading muted' }, 'No messages yet.'));
    replaceChildren(timeline, nodes);
    if (scroll === 'bottom' || nearBottom) timeline.scrollTop = timeline.scrollHeight;
    else timeline.scrollTop = previousTop;
    const where = PLATFORM_LABEL[c.platform] ?? c.platform;
    replaceChildren(
      replyNote,
      c.visibility === 'public'
        ? [h('span', { class: 'vis vis-public' }, 'Public'), ` Your reply is posted in the ${c.platform === 'x' ? 'thread on X' : `${where} ${c.platform === 'discord' ? 'channel' : 'group'}`} for everyone to see.`]
        : [h('span', { class: 'vis vis-private' }, 'DM'), ` Your reply goes to ${c.contact?.displayName || 'the customer'} privately on ${where}.`],
    );
  }

  function renderHeader(c) {
    const name = c.contact?.displayName || c.contact?.handle || 'Unknown customer';
    const statusButtons = h(
      'div',
      { class: 'segmented', role: 'group', 'aria-label': 'Status' },
      ['open', 'pending', 'resolved'].map((status) =>
        h(
          'button',
          {
            type: 'button',
            class: ['seg', `seg-${status}`, c.status === status && 'active'],
            'aria-pressed': String(c.status === status),
            dataset: { status },
            onclick: () => c.status !== status && patchConversation({ status }, `Marked ${STATUS_LABEL[status].toLowerCase()}`),
          },
          STATUS_LABEL[status],
        ),
      ),
    );
    const mine = c.assigneeId === me.id;
    const assigneeName = c.assignee?.name || c.assignee?.email;
    const assign = h(
      'div',
      { class: 'assign' },
      h('span', { class: 'assign-label muted' }, c.assigneeId ? ['Assigned to ', h('strong', {}, mine ? 'you' : assigneeName || 'someone')] : 'Unassigned'),
      mine
        ? h('button', { class: 'btn btn-sm btn-ghost', type: 'button', onclick: () => patchConversation({ assigneeId: null }, 'Unassigned') }, 'Unassign')
        : h('button', { class: 'btn btn-sm', type: 'button', id: 'assign-me', onclick: () => patchConversation({ assigneeId: me.id }, 'Assigned to you') }, 'Assign to me'),
    );
    replaceChildren(
      header,
      h(
        'div',
        { class: 'conv-who' },
        avatar(c.contact?.id ?? c.id, name, 'lg'),
        h(
          'div',
          { class: 'conv-who-text' },
          h('h2', { class: 'conv-title', dir: 'auto' }, name, c.flagged ? h('span', { class: 'flag-badge', title: 'The guard caught sensitive data in this conversation' }, icon('flag'), 'Flagged') : null),
          h(
            'div',
            { class: 'conv-sub' },
            c.contact?.handle ? h('span', { class: 'conv-handle' }, `@${c.contact.handle.replace(/^@/, '')}`) : null,
            h('span', { class: 'conv-via', title: `${PLATFORM_LABEL[c.platform] ?? c.platform} · connector “${c.connectorName ?? ''}”` }, platformBadge(c.platform), c.connectorName ?? PLATFORM_LABEL[c.platform]),
            visibilityBadge(c.visibility),
            h('span', { class: 'muted', title: fullTime(c.lastMessageAt) }, `Last message ${relativeTime(c.lastMessageAt)}`),
          ),
        ),
      ),
      h('div', { class: 'conv-actions' }, assign, statusButtons),
    );
  }

  async function patchConversation(patch, done) {
    const id = s.selectedId;
    for (const b of header.querySelectorAll('button')) b.disabled = true;
    try {
      const updated = await api.updateConversation(id, patch);
      if (id !== s.selectedId) return;
      s.conversation = { ...s.conversation, ...updated };
      if (!('assignee' in updated) && 'assigneeId' in patch) s.conversation.assignee = patch.assigneeId ? { id: me.id, name: me.name, email: me.email } : null;
      renderHeader(s.conversation);
      updateListItem(updated);
      toast(done, 'ok');
      scheduleListRefresh();
    } catch (err) {
      toast(err.message, 'error');
      if (s.conversation) renderHeader(s.conversation);
    }
  }

  async function sendReply() {
    const id = s.selectedId;
    const text = replyBox.value;
    if (!id || s.sending) return;
    if (!text.trim()) {
      replyError.textContent = 'Write something first.';
      replyError.hidden = false;
      return;
    }
    s.sending = true;
    sendButton.disabled = true;
    sendButton.textContent = 'Sending…';
    replyError.hidden = true;
    try {
      const message = await api.reply(id, text);
      s.drafts.delete(id);
      if (id === s.selectedId) {
        replyBox.value = '';
        autosize();
        if (!s.messages.some((m) => m.id === message.id)) s.messages = [...s.messages, message];
        renderConversation('bottom');
      }
      scheduleConversationRefresh();
      scheduleListRefresh();
    } catch (err) {
      const fieldMessages = Object.entries(err.fields ?? {}).filter(([k]) => k !== 'text' || !err.message.includes(err.fields.text));
      replyError.textContent = err.message + (fieldMessages.length ? ` (${fieldMessages.map(([k, v]) => `${k}: ${v}`).join('; ')})` : '');
      replyError.hidden = false;
    } finally {
      s.sending = false;
      sendButton.disabled = false;
      sendButton.textContent = 'Send';
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Live refresh, debounced so a burst of events costs one request each way.

  const scheduleListRefresh = debounce(() => !s.disposed && loadList(), 300);
  const scheduleConversationRefresh = debounce(() => !s.disposed && s.selectedId && refreshConversation(), 250);

  function onEvent(type, data) {
    if (type === 'reconnected') {
      scheduleListRefresh();
      scheduleConversationRefresh();
      return;
    }
    const cid = data?.conversationId;
    if (cid && cid === s.selectedId) scheduleConversationRefresh();
    else if (cid && type === 'message.created') s.unseen.add(cid);
    scheduleListRefresh();
  }

  // Relative times tick; and a slow safety refresh in case an event was missed while the stream reconnected.
  let ticks = 0;
  const ticker = setInterval(() => {
    for (const t of listEl.querySelectorAll('time[data-rel]')) t.textContent = relativeTime(t.dataset.rel);
    if (++ticks % 4 === 0 && document.visibilityState === 'visible') scheduleListRefresh();
  }, 30_000);

  // -------------------------------------------------------------------------------------------------------------
  // Keyboard

  function move(delta) {
    if (!s.items.length) return;
    const i = s.items.findIndex((c) => c.id === s.selectedId);
    const next = i < 0 ? 0 : Math.min(Math.max(i + delta, 0), s.items.length - 1);
    if (next === i) return;
    openConversation(s.items[next].id, { focusList: true });
    listEl.querySelector(`[data-id="${CSS.escape(s.items[next].id)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  function onKey(e) {
    if (isTyping(e.target)) return;
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      move(1);
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(-1);
    } else if (e.key === 'r' && s.conversation) {
      e.preventDefault();
      replyBox.focus();
    } else if (e.key === '/') {
      e.preventDefault();
      statusTabs.querySelector('.active')?.focus();
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  syncFilterControls();
  loadList({ reset: true });
  if (s.selectedId) showConversation(s.selectedId);
  else renderEmptyPane();

  return {
    setParam: (id) => {
      if (id !== s.selectedId || !s.conversation) showConversation(id);
    },
    onEvent,
    onKey,
    unmount: () => {
      s.disposed = true;
      clearInterval(ticker);
      scheduleListRefresh.cancel();
      scheduleConversationRefresh.cancel();
    },
  };
}
