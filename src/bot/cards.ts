import { type Attachment, CardFactory, MessageFactory, type Activity } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render';

export function cardAttachment(card: AdaptiveCard): Attachment {
  return CardFactory.adaptiveCard(card);
}

export function cardMessage(card: AdaptiveCard): Partial<Activity> {
  return MessageFactory.attachment(cardAttachment(card));
}
