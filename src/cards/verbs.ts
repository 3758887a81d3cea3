/**
 * The Action.Execute verbs: one source for the card templates (bound
 * through each card's data) and the handlers in src/bot.
 */
export const VERBS = {
  dialogueStart: 'malsamtal.starta',
  goalsBegin: 'mal.borja',
  goalsAnswer: 'mal.svara',
  goalsBack: 'mal.tillbaka',
  goalsPause: 'mal.pausa',
  goalsEdit: 'mal.andra',
  goalsRemove: 'mal.tabort',
  goalsAdd: 'mal.laggtill',
  goalsConfirm: 'mal.bekrafta',
  principalOverview: 'rektor.oversikt',
  principalOpen: 'rektor.oppna',
  principalNotes: 'rektor.anteckna',
  dialogueClose: 'malsamtal.avsluta',
  schoolGoalSave: 'skolmal.spara',
  schoolGoalRetire: 'skolmal.avveckla',
  groupSave: 'largrupp.spara',
  groupSpread: 'largrupp.fordela',
  groupShow: 'largrupp.visa',
  groupEdit: 'largrupp.andra',
  groupCheckInNow: 'largrupp.incheckning',
  groupLog: 'largrupp.logg',
  groupQuestions: 'largrupp.fragor',
  groupSaveQuestions: 'largrupp.sparafragor',
  checkInView: 'incheckning.visa',
  checkInAnswer: 'incheckning.svara',
  checkInEdit: 'incheckning.andra',
  focusAreaShow: 'fokus.visa',
  focusAreaEdit: 'fokus.andra',
  focusAreaSave: 'fokus.spara',
  processMapShow: 'processkarta.visa',
  processMapEdit: 'processkarta.andra',
  processMapStep: 'processkarta.steg',
  processMapSaveStep: 'processkarta.sparasteg',
  processMapRemove: 'processkarta.tabort',
  processMapMoveUp: 'processkarta.flyttaupp',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
