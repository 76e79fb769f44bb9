-- 0011 eligibility runs (issue 7): safe to re-run and to run twice at once.

-- Why the check exists: 'scheduled' = the nightly run (at most one per appointment, coverage and date of
-- service, enforced below so two runs at once cannot both plan it; an appointment moved to another day is
-- checked again for that day); 'real_time' = a front-desk check asked on demand (any number).
ALTER TABLE eligibility_checks ADD COLUMN origin text NOT NULL DEFAULT 'scheduled'
  CHECK (origin IN ('scheduled', 'real_time'));
-- The date of service the check asked about (the appointment's service_date when it was planned).
ALTER TABLE eligibility_checks ADD COLUMN service_date date;
UPDATE eligibility_checks e SET service_date = a.service_date
  FROM appointments a WHERE a.practice_id = e.practice_id AND a.id = e.appointment_id;
-- Checks from before this migration: the first per appointment and coverage was the scheduled one.
UPDATE eligibility_checks e SET origin = 'real_time'
 WHERE EXISTS (SELECT 1 FROM eligibility_checks f
                WHERE f.practice_id = e.practice_id AND f.appointment_id = e.appointment_id
                  AND f.coverage_id = e.coverage_id AND f.id < e.id);
CREATE UNIQUE INDEX eligibility_checks_scheduled_uq
  ON eligibility_checks (practice_id, appointment_id, coverage_id, service_date)
  WHERE origin = 'scheduled';

-- The previous answer for the same coverage (change detection compares with it).
CREATE INDEX eligibility_checks_coverage_idx ON eligibility_checks (practice_id, coverage_id, id)
  WHERE status = 'responded';
-- The open checks a run sends, retries or closes.
CREATE INDEX eligibility_checks_open_idx ON eligibility_checks (practice_id, batch_id)
  WHERE status = 'pending';
