// The first-response timer: how long until the channel's target (set by admins) runs out, or how long it has
// been overdue. Hidden once someone answered or the conversation is resolved. Ticks every 30 s.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../api/types.ts';
import { Icon } from '../components/ui.tsx';
import { duration, fullTime } from '../lib/format.ts';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function SlaTimer({ c, compact = false }: { c: ConversationItem; compact?: boolean }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  if (!c.firstResponseDueAt || c.firstRespondedAt || c.status === 'resolved') return null;
  const left = new Date(c.firstResponseDueAt).getTime() - now;
  const overdue = left <= 0 || c.overdue === true;
  // In the list, only the time: the clock icon and colour say the rest (the tooltip spells it out).
  const text = compact ? duration(left, true) : overdue ? t('sla.overdue', { time: duration(-left) }) : t('sla.dueIn', { time: duration(left) });
  return (
    <span className={`sla${overdue ? ' sla-overdue' : ''}${compact ? ' sla-compact' : ''}`} title={`${overdue ? t('sla.overdue', { time: duration(-left) }) : t('sla.dueIn', { time: duration(left) })} · ${t('sla.hint', { at: fullTime(c.firstResponseDueAt) })}`}>
      <Icon name="clock" />
      {text}
    </span>
  );
}
