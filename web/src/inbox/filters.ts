// The inbox's filters, remembered in localStorage (UI preferences only: nothing secret is kept in the browser),
// and the first page of conversations for them, requested as the page loads, in parallel with the session
// check, so the list does not wait for two round trips in a row.
import type { RequestOptions } from '../api/client.ts';
import { api, type ConversationFilters } from '../api/endpoints.ts';
import type { ConversationItem, Page } from '../api/types.ts';

const KEY = 'inbox.filters';
export const DEFAULT_FILTERS: ConversationFilters = { status: 'open', platform: '', visibility: '', flagged: '', priority: '', q: '' };

/** The filters saved last time (the search box always starts empty). */
export function loadFilters(): ConversationFilters {
  try {
    return { ...DEFAULT_FILTERS, ...JSON.parse(localStorage.getItem(KEY) ?? '{}'), q: '' };
  } catch {
    return { ...DEFAULT_FILTERS };
  }
}

export function saveFilters(filters: ConversationFilters): void {
  try {
    const { q: _q, ...rest } = filters;
    localStorage.setItem(KEY, JSON.stringify(rest));
  } catch {}
}

let prefetched: { key: string; page: Promise<Page<ConversationItem>> } | null = null;

/**
 * Starts loading the first page for the saved filters when the page opens on the inbox. A 401 (nobody signed
 * in yet) is quiet: the session check decides what to show.
 */
export function prefetchFirstPage(): void {
  if (!/^(#\/?)?(inbox(\/.*)?)?$/.test(location.hash)) return;
  const filters = loadFilters();
  const quiet: RequestOptions = { quiet401: true };
  const page = api.conversations(filters, null, undefined, quiet);
  page.catch(() => {});
  prefetched = { key: JSON.stringify(filters), page };
}

/**
 * The prefetched first page if it was for these filters (once), else null. If the prefetch failed (say, a 401
 * before sign-in), the page is asked for again.
 */
export function takePrefetchedPage(filters: ConversationFilters): Promise<Page<ConversationItem>> | null {
  const p = prefetched;
  prefetched = null;
  return p && p.key === JSON.stringify(filters) ? p.page.catch(() => api.conversations(filters)) : null;
}
