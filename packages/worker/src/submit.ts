export { submitReadyClaims, type SubmitResult } from '@openrcm/engine';
