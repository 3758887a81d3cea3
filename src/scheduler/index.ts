export * from './jobs';
export * from './recurrence';
export * from './scheduler';
