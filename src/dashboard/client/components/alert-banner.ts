import type { QualityAlert } from '../api-types.ts';
import { box, element, icon } from '../dom.ts';
import { formatChange, formatRelativeTime, formatScore } from '../format.ts';

const warningIcon = ['M12 4l9 16H3z', 'M12 10v4', 'M12 17h.01'];

/**
 * Fills the banner above every page with the open quality alerts (hidden when there are none). The
 * newest alert is spelled out; the rest are counted, and the link leads to the quality page.
 */
export const renderAlertBanner = (banner: HTMLElement, alerts: readonly QualityAlert[] | undefined): void => {
  const open = (alerts ?? []).filter((alert) => alert.resolvedAt === null).toSorted((a, b) => b.raisedAt - a.raisedAt);
  const newest = open[0];
  if (newest === undefined) {
    banner.hidden = true;
    banner.replaceChildren();
    return;
  }
  const more = open.length - 1;
  banner.hidden = false;
  banner.setAttribute('data-alerts', String(open.length));
  banner.replaceChildren(
    icon(warningIcon, 'icon alert-banner-icon'),
    box('alert-banner-text', [
      element('strong', { text: open.length === 1 ? 'Quality alert' : `${open.length} quality alerts` }),
      element('span', {}, [
        ' Route ',
        element('code', { text: newest.route }),
        ` dropped ${formatChange(-Math.abs(newest.drop))} (${formatScore(newest.previousScore)} → ${formatScore(newest.currentScore)}), ${formatRelativeTime(newest.raisedAt)}`,
        more > 0 ? `, and ${more} more.` : '.',
      ]),
    ]),
    element('a', { className: 'alert-banner-link', text: 'View quality', attributes: { href: '#/quality' } }),
  );
};
