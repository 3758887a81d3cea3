/** Swedish, the default language. Words as the schools use them (see DOMAIN.md). */
export const sv = {
  welcome: {
    title: 'Hej! Jag är Målbild',
    personal:
      'Jag hjälper dig med skolans systematiska kvalitetsarbete här i Teams: dina mål inför målsamtalet, uppföljning och reflektion tillsammans med kollegorna.',
    team:
      'Jag bär skolans systematiska kvalitetsarbete in i teamet: rektor startar målsamtal härifrån, och lärgrupper får incheckningar före och efter sina träffar. Ingens mål visas i kanalen.',
    groupChat:
      'Jag hjälper den här gruppen med incheckningar före och efter era träffar, så att ni ser gruppens bild och kan följa upp tillsammans.',
    start: 'Skriv **hjälp** för att se vad du kan göra här.',
    startMention: 'Skriv **@Målbild hjälp** för att se vad ni kan göra här.',
  },
  help: {
    title: 'Det här kan du göra',
    intro: 'Skriv ett kommando här i chatten.',
    introMention: 'Nämn mig med @Målbild och skriv ett kommando.',
    privacy: 'Dina mål och anteckningar syns bara för dig och din rektor, aldrig i en kanal.',
  },
  commands: {
    help: { usage: 'hjälp', description: 'Visar det här kortet.' },
  },
  fallback: 'Det där förstod jag inte. Skriv **hjälp** så visar jag vad du kan göra.',
  fallbackMention: 'Det där förstod jag inte. Skriv **@Målbild hjälp** så visar jag vad ni kan göra.',
  errors: {
    unexpected: 'Något gick fel hos mig och jag kunde inte göra klart det du bad om. Försök gärna igen om en stund.',
    notAllowedTenant: 'Målbild är inte öppen för den här organisationen.',
  },
};
