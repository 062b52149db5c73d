export * from './auth.ts';
export * from './common.ts';
export * from './doctor.ts';
export * from './system.ts';
export * from './tokens.ts';
export * from './workers.ts';
