import type { TargetSummary } from './types';

const COLORS: Record<TargetSummary['status'], string> = {
  up: '#2e7d32',
  down: '#c62828',
  unknown: '#757575',
};
const LABEL_COLOR = '#555';
const MAX_LABEL_LENGTH = 40;

/** Escapes text for SVG content and attribute values. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
}

/** A rough width of `text` in 11px Verdana, enough to size a badge. */
function textWidth(text: string): number {
  return Math.ceil(text.length * 7) + 12;
}

/**
 * Renders a two-part status badge: the target's name on the left, `up`, `down` or `unknown` on
 * the right. The name is user input: it is shortened and escaped, never trusted as markup.
 */
export function renderBadge(summary: Pick<TargetSummary, 'name' | 'status'>): string {
  const label =
    summary.name.length > MAX_LABEL_LENGTH
      ? `${summary.name.slice(0, MAX_LABEL_LENGTH - 1)}…`
      : summary.name;
  const message = summary.status;
  const labelWidth = textWidth(label);
  const messageWidth = textWidth(message);
  const width = labelWidth + messageWidth;
  const title = escapeXml(`${label}: ${message}`);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${labelWidth}" height="20" fill="${LABEL_COLOR}"/>`,
    `<rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${COLORS[message]}"/>`,
    '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">',
    `<text x="${labelWidth / 2}" y="14">${escapeXml(label)}</text>`,
    `<text x="${labelWidth + messageWidth / 2}" y="14">${message}</text>`,
    '</g>',
    '</svg>',
  ].join('');
}
