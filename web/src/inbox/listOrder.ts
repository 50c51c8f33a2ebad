// The conversation list's order, as the API sorts it: urgent first, then flagged, then newest; ties by id.
import type { ConversationFilters } from '../api/endpoints.ts';
import type { ConversationItem, Priority } from '../api/types.ts';

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export function byListOrder(a: ConversationItem, b: ConversationItem): number {
  return (
    Number(a.priority === 'urgent' ? 0 : 1) - Number(b.priority === 'urgent' ? 0 : 1) ||
    Number(b.flagged) - Number(a.flagged) ||
    new Date(b.lastMessageAt).getTime() - new Date(a.lastMessageAt).getTime() ||
    (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
  );
}

/** Rank for display (urgent 0 … low 3). */
export const priorityRank = (p: Priority | undefined): number => PRIORITY_RANK[p ?? 'normal'];

/** Whether `c` belongs in a list with these filters (the text search `q` is the server's to judge). */
export function matchesFilters(c: ConversationItem, f: ConversationFilters): boolean {
  return (
    (!f.status || c.status === f.status) &&
    (!f.platform || c.platform === f.platform) &&
    (!f.visibility || c.visibility === f.visibility) &&
    (!f.flagged || c.flagged) &&
    (!f.priority || c.priority === f.priority)
  );
}
