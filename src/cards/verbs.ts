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
  /** Asks to confirm, with the numbers; dialogueCloseConfirm closes. */
  dialogueClose: 'malsamtal.avsluta',
  schoolGoalsApprove: 'malsamtal.godkannskolmal',
  dialogueCloseConfirm: 'malsamtal.avsluta.ja',
  dialogueReopen: 'malsamtal.oppnaigen',
  principalRemind: 'rektor.paminn',
  schoolGoalSave: 'skolmal.spara',
  /** Asks to confirm, with the teachers whose goals link to it; schoolGoalRetireConfirm retires. */
  schoolGoalRetire: 'skolmal.avveckla',
  schoolGoalRetireConfirm: 'skolmal.avveckla.ja',
  schoolGoalsShow: 'skolmal.visa',
  goalMapShow: 'malbild.visa',
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
  languageChoose: 'sprak.valj',
  focusAreaShow: 'fokus.visa',
  focusAreaEdit: 'fokus.andra',
  focusAreaSave: 'fokus.spara',
  processMapShow: 'processkarta.visa',
  processMapEdit: 'processkarta.andra',
  processMapStep: 'processkarta.steg',
  processMapSaveStep: 'processkarta.sparasteg',
  processMapRemove: 'processkarta.tabort',
  processMapMoveUp: 'processkarta.flyttaupp',
  resultsShow: 'resultat.visa',
  /** Opens the measurement form (for one series, or to correct one measurement); resultsSave records it. */
  resultsRecord: 'resultat.registrera',
  resultsSave: 'resultat.spara',
  /** Opens a principal's indicator form (new, or one added before); indicatorSave saves it. */
  indicatorEdit: 'indikator.andra',
  indicatorSave: 'indikator.spara',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
