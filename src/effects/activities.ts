// Shared by the effects (no domain interface of its own): a rendered card as the Bot Connector's activity.
import type { AdaptiveCard } from '../cards/render';
import type { OutgoingActivity } from '../proactive';

/** A card as a message for the Bot Connector; `summary` is what a notification shows. */
export function cardActivity(card: AdaptiveCard, summary?: string): OutgoingActivity {
  return {
    type: 'message',
    ...(summary ? { summary } : {}),
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
}
