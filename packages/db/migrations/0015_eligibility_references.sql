-- 0015 Eligibility in bulk (issue 7, performance): the references of eligibility_checks — practice's patient,
-- coverage, appointment and batch, and the payer — checked once per statement instead of once per row.
--
-- The nightly run writes a check per appointment and coverage (one INSERT ... SELECT for the whole window) and
-- then moves each one twice (claimed by its 270 batch, answered by its 271). As foreign keys, the INSERT ran five
-- lookups per row; the batch claim one per row, for a batch_id that is the same for all of them. Measured before
-- this migration: with the keys dropped, planning 20,000 checks fell from 2.66 to 0.95 CPU-s on PGlite and from 0.98
-- to 0.36 server CPU-s on PostgreSQL. The same rules now run with the functions of 0014: one set-based check per
-- INSERT statement over its transition table; per UPDATE statement for batch_id (the column the run sets on every
-- claimed check: each distinct batch probed once); per row, only when an UPDATE changes another referencing column
-- (nothing does today). The referenced side keeps what NO ACTION did: deleting, truncating or re-keying a
-- patient, coverage, appointment, payer or batch that a check still names is refused.

ALTER TABLE eligibility_checks DROP CONSTRAINT eligibility_checks_payer_id_fkey;
ALTER TABLE eligibility_checks DROP CONSTRAINT eligibility_checks_practice_id_appointment_id_fkey;
ALTER TABLE eligibility_checks DROP CONSTRAINT eligibility_checks_practice_id_batch_id_fkey;
ALTER TABLE eligibility_checks DROP CONSTRAINT eligibility_checks_practice_id_coverage_id_fkey;
ALTER TABLE eligibility_checks DROP CONSTRAINT eligibility_checks_practice_id_patient_id_fkey;

CREATE TRIGGER eligibility_checks_references AFTER INSERT ON eligibility_checks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'payer_id', 'payers', 'id',
    'practice_id,patient_id', 'patients', 'practice_id,id',
    'practice_id,coverage_id', 'coverages', 'practice_id,id',
    'practice_id,appointment_id', 'appointments', 'practice_id,id',
    'practice_id,batch_id', 'submission_batches', 'practice_id,id');
-- The batch of every updated row, each distinct one once (a statement trigger has no WHEN: the checks an UPDATE
-- leaves in their batch, or takes out of it (NULL), cost a hash of their keys, no probe).
CREATE TRIGGER eligibility_checks_batch_references AFTER UPDATE ON eligibility_checks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'practice_id,batch_id', 'submission_batches', 'practice_id,id');
CREATE TRIGGER eligibility_checks_references_update AFTER UPDATE ON eligibility_checks FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.payer_id IS DISTINCT FROM NEW.payer_id
        OR OLD.patient_id IS DISTINCT FROM NEW.patient_id OR OLD.coverage_id IS DISTINCT FROM NEW.coverage_id
        OR OLD.appointment_id IS DISTINCT FROM NEW.appointment_id)
  EXECUTE FUNCTION openrcm_check_references(
    'payer_id', 'payers', 'id',
    'practice_id,patient_id', 'patients', 'practice_id,id',
    'practice_id,coverage_id', 'coverages', 'practice_id,id',
    'practice_id,appointment_id', 'appointments', 'practice_id,id');

-- The referenced side: DELETE (statement), a change of the key (row, only when it changes), TRUNCATE.
CREATE TRIGGER payers_eligibility_references AFTER DELETE ON payers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'id', 'eligibility_checks', 'payer_id');
CREATE TRIGGER payers_eligibility_references_rekey AFTER UPDATE ON payers FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('id', 'eligibility_checks', 'payer_id');
CREATE TRIGGER payers_eligibility_references_truncate AFTER TRUNCATE ON payers
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('id', 'eligibility_checks', 'payer_id');

CREATE TRIGGER patients_eligibility_references AFTER DELETE ON patients
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'eligibility_checks', 'practice_id,patient_id');
CREATE TRIGGER patients_eligibility_references_rekey AFTER UPDATE ON patients FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,patient_id');
CREATE TRIGGER patients_eligibility_references_truncate AFTER TRUNCATE ON patients
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,patient_id');

CREATE TRIGGER coverages_eligibility_references AFTER DELETE ON coverages
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'eligibility_checks', 'practice_id,coverage_id');
CREATE TRIGGER coverages_eligibility_references_rekey AFTER UPDATE ON coverages FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,coverage_id');
CREATE TRIGGER coverages_eligibility_references_truncate AFTER TRUNCATE ON coverages
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,coverage_id');

CREATE TRIGGER appointments_eligibility_references AFTER DELETE ON appointments
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'eligibility_checks', 'practice_id,appointment_id');
CREATE TRIGGER appointments_eligibility_references_rekey AFTER UPDATE ON appointments FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,appointment_id');
CREATE TRIGGER appointments_eligibility_references_truncate AFTER TRUNCATE ON appointments
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,appointment_id');

CREATE TRIGGER submission_batches_eligibility_references AFTER DELETE ON submission_batches
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'eligibility_checks', 'practice_id,batch_id');
CREATE TRIGGER submission_batches_eligibility_references_rekey AFTER UPDATE ON submission_batches FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,batch_id');
CREATE TRIGGER submission_batches_eligibility_references_truncate AFTER TRUNCATE ON submission_batches
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'eligibility_checks', 'practice_id,batch_id');
