/** What Målbild says to input no route takes: a card action it does not know. Swedish first; English has the same shape. */

export const unknownInputSv = {
  cardAction: 'Den här knappen fungerar inte längre; ingenting har ändrats. Skriv **hjälp** så visar jag vad du kan göra nu.',
  cardActionMention: 'Den här knappen fungerar inte längre; ingenting har ändrats. Skriv **@Målbild hjälp** så visar jag vad ni kan göra nu.',
  /** A "tack" outside any flow. */
  thanks: 'Varsågod! Skriv **hjälp** om du vill se vad jag kan göra.',
  thanksMention: 'Varsågod! Skriv **@Målbild hjälp** om ni vill se vad jag kan göra.',
};

export const unknownInputEn: typeof unknownInputSv = {
  cardAction: "This button no longer works; nothing has changed. Type **help** and I'll show you what you can do now.",
  cardActionMention: "This button no longer works; nothing has changed. Type **@Målbild help** and I'll show you what you can do now.",
  thanks: "You're welcome! Type **help** to see what I can do.",
  thanksMention: "You're welcome! Type **@Målbild help** to see what I can do.",
};
