import { type AdaptiveCard, expandCard } from './render';

export interface HelpSection {
  /** The section's element id, which its toggle button names. */
  id: string;
  heading: string;
  commands: { usage: string; description: string }[];
}

export interface HelpCardData {
  title: string;
  intro: string;
  /** Sections shown at once: the commands most people use. */
  shown: HelpSection[];
  /** Sections behind a button each (`toggles`), so that the card stays short on a phone. */
  hidden: HelpSection[];
  toggles: { title: string; target: string }[];
  privacy: string;
}

export function renderHelpCard(data: HelpCardData): AdaptiveCard {
  return expandCard('help', data);
}
