import { type AdaptiveCard, expandCard } from './render';

export interface WelcomeCardData {
  title: string;
  body: string;
  start: string;
}

export function renderWelcomeCard(data: WelcomeCardData): AdaptiveCard {
  return expandCard('welcome', data);
}
