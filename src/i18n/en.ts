import type { Strings } from './index';

export const en: Strings = {
  welcome: {
    title: 'Hi! I am Målbild',
    personal:
      "I help you with your school's systematic quality work right here in Teams: your goals before the goal dialogue, follow-up and reflection together with your colleagues.",
    team:
      "I bring the school's systematic quality work into the team: the principal starts goal dialogues from here, and learning groups get check-ins before and after their meetings. No one's goals are shown in the channel.",
    groupChat:
      'I help this group with check-ins before and after your meetings, so that you see the group\'s picture and can follow up together.',
    start: 'Type **help** to see what you can do here.',
    startMention: 'Type **@Målbild help** to see what you can do here.',
  },
  help: {
    title: 'What you can do',
    intro: 'Type a command here in the chat.',
    introMention: 'Mention me with @Målbild and type a command.',
    privacy: 'Your goals and notes are visible only to you and your principal, never in a channel.',
  },
  commands: {
    help: { usage: 'help', description: 'Shows this card.' },
  },
  fallback: "I didn't understand that. Type **help** and I'll show you what you can do.",
  fallbackMention: "I didn't understand that. Type **@Målbild help** and I'll show you what you can do.",
  errors: {
    unexpected: 'Something went wrong on my side and I could not finish what you asked. Please try again in a while.',
    notAllowedTenant: 'Målbild is not open to this organisation.',
  },
};
