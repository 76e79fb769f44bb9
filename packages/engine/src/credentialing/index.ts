/** Credentialing (issue 5 §3): enrollment status on a date of service and the automatic release of held claims. */
export { enrollmentStatus, enrollmentLookup, releaseDate, isReleased } from './hold.ts';
export type { EnrollmentSpan, EnrollmentStatus } from './hold.ts';
