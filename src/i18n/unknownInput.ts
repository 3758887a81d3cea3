/** What Målbild says to input no route takes: a card action it does not know. Swedish first; English has the same shape. */

export const unknownInputSv = {
  cardAction: 'Den här knappen fungerar inte längre; ingenting har ändrats. Skriv **hjälp** så visar jag vad du kan göra nu.',
  cardActionMention: 'Den här knappen fungerar inte längre; ingenting har ändrats. Skriv **@Målbild hjälp** så visar jag vad ni kan göra nu.',
};

export const unknownInputEn: typeof unknownInputSv = {
  cardAction: "This button no longer works; nothing has changed. Type **help** and I'll show you what you can do now.",
  cardActionMention: "This button no longer works; nothing has changed. Type **@Målbild help** and I'll show you what you can do now.",
};
