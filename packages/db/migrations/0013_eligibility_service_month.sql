-- 0013 Eligibility (issue 7): checks found by the date of service they asked about.
--
-- The monthly report counts a month's eligibility flags by the month of the visits checked (the appointment's
-- date of service, kept on the check since 0011), not by when the 270 went out; the demo's verified share and
-- the pre-visit report look checks up the same way. Only checks that reached a payer carry a batch.
CREATE INDEX eligibility_checks_service_date_idx ON eligibility_checks (practice_id, service_date)
  WHERE batch_id IS NOT NULL;
