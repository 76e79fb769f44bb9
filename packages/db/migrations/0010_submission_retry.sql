-- 0010 submission retries and the idempotency key per claim version (issue 5 §5).
--
-- A batch is queued before it is sent: its claim versions are recorded in batch_claims when the batch is built,
-- and a transport failure leaves it `queued` with the attempt count, the last error (error code and a message
-- without patient data) and the time of the next attempt from the backoff schedule (engine
-- submission/submit.ts: 5 min, 15 min, 1 h, 4 h, then every 4 h). `sending` marks the attempt in progress (a
-- lease: an attempt older than 15 minutes is taken over by the next run); `cancelled` a queued batch whose claims
-- all left `ready` before it could be sent.
ALTER TABLE submission_batches DROP CONSTRAINT submission_batches_status_check;
ALTER TABLE submission_batches ADD CONSTRAINT submission_batches_status_check
  CHECK (status IN ('building', 'ready', 'queued', 'sending', 'sent', 'accepted', 'partially_accepted', 'rejected', 'failed', 'cancelled'));
ALTER TABLE submission_batches ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE submission_batches ADD COLUMN last_attempt_at timestamptz;
ALTER TABLE submission_batches ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE submission_batches ADD COLUMN last_error text CHECK (length(last_error) <= 500);
CREATE INDEX submission_batches_due_idx ON submission_batches (practice_id, next_attempt_at)
  WHERE status IN ('queued', 'sending');

-- The idempotency key of a submission: '<claim version id>/<times that version was rejected before>'. A claim
-- version can belong to one batch only, until the clearinghouse rejects it (TA1 / 999 / 277CA record a
-- 'rejected' transition for the version); then the fixed claim can go out once more under the next key. So one
-- claim version can never be in two sent batches for the same submission, and a resend of an accepted claim
-- takes a new claim version (corrected, frequency 7).
CREATE FUNCTION claim_submission_key(p_practice_id bigint, p_claim_version_id bigint) RETURNS text
  LANGUAGE sql STABLE AS $$
    SELECT p_claim_version_id::text || '/' || count(*)::text
      FROM claim_status_history h
     WHERE h.practice_id = p_practice_id
       AND h.claim_id = (SELECT v.claim_id FROM claim_versions v WHERE v.practice_id = p_practice_id AND v.id = p_claim_version_id)
       AND h.claim_version_id = p_claim_version_id AND h.to_status = 'rejected'
  $$;
ALTER TABLE batch_claims ADD COLUMN idempotency_key text;
UPDATE batch_claims bc SET idempotency_key = k.key
  FROM (SELECT id, claim_version_id::text || '/' || (row_number() OVER (PARTITION BY practice_id, claim_version_id ORDER BY batch_id) - 1)::text AS key
          FROM batch_claims) k
 WHERE k.id = bc.id;
CREATE FUNCTION batch_claims_set_idempotency_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.idempotency_key IS NULL THEN
    NEW.idempotency_key := claim_submission_key(NEW.practice_id, NEW.claim_version_id);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER batch_claims_idempotency_key BEFORE INSERT ON batch_claims
  FOR EACH ROW EXECUTE FUNCTION batch_claims_set_idempotency_key();
ALTER TABLE batch_claims ALTER COLUMN idempotency_key SET NOT NULL;
ALTER TABLE batch_claims ADD CONSTRAINT batch_claims_idempotency_key_key UNIQUE (practice_id, idempotency_key);
