import { type AdaptiveCard, expandCard } from './render';

export interface HelpCardData {
  title: string;
  intro: string;
  commands: { usage: string; description: string }[];
  privacy: string;
}

export function renderHelpCard(data: HelpCardData): AdaptiveCard {
  return expandCard('help', data);
}
