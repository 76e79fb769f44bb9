export { importPath, type FileResult, type ImportResult } from './import.ts';
export { formatRowError, parseCsv, type RowError } from './read.ts';
export { ENTITY_DEFS, NOT_IMPORTED, practiceCode } from './entities.ts';
