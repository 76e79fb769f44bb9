-- 0016 The ledger's statement checks are planned for the rows at hand, every time (issue 5, performance).
--
-- ledger_entries_check_statement (0009) and posting_rows_check_statement (0009) ran their probes as static
-- PL/pgSQL statements, whose plans a session prepares once and then keeps. A session that checked its first
-- entries while the ledger and the claim tables were nearly empty kept that plan while they grew: building
-- 20,000 claims in pages of 5,000 on PGlite, the check of each page's 30,000 CHARGE entries took 43, 1,573, 3,230
-- and 4,801 ms — the cost grew with every claim before it — where the same check planned afresh takes 90-110 ms
-- (measured with DISCARD PLANS before each page: the build of 20,000 claims fell from 16.2 to 7.7 s). A worker's
-- pooled connection on a server lives for days, so the same could happen there. The probes now run through
-- EXECUTE, which plans each statement for the current transition table and the current statistics (a few
-- milliseconds of planning per INSERT statement). The rules they check are those of 0009, unchanged.

CREATE OR REPLACE FUNCTION ledger_entries_check_statement() RETURNS trigger
LANGUAGE plpgsql
-- Index probes per distinct value, never a hash or merge join that reads the whole referenced table per
-- statement (which grows with the ledger: an ERA's cost would grow with every ERA before it).
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  what text;
  committed bigint;
BEGIN
  -- Each distinct value once (an ERA names a claim in ~14 entries, a patient and a payer in all of them).
  EXECUTE $q$
    SELECT x FROM (
      SELECT 'transaction' AS x FROM (SELECT DISTINCT practice_id, transaction_id FROM new_entries) n
       WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.practice_id = n.practice_id AND t.id = n.transaction_id)
      UNION ALL
      SELECT 'claim' FROM (SELECT DISTINCT practice_id, claim_id FROM new_entries WHERE claim_id IS NOT NULL) n
       WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.practice_id = n.practice_id AND c.id = n.claim_id)
      UNION ALL
      SELECT 'claim line' FROM (SELECT DISTINCT practice_id, claim_line_id FROM new_entries WHERE claim_line_id IS NOT NULL) n
       WHERE NOT EXISTS (SELECT 1 FROM claim_lines l WHERE l.practice_id = n.practice_id AND l.id = n.claim_line_id)
      UNION ALL
      SELECT 'patient' FROM (SELECT DISTINCT practice_id, patient_id FROM new_entries WHERE patient_id IS NOT NULL) n
       WHERE NOT EXISTS (SELECT 1 FROM patients p WHERE p.practice_id = n.practice_id AND p.id = n.patient_id)
      UNION ALL
      SELECT 'payer' FROM (SELECT DISTINCT payer_id FROM new_entries WHERE payer_id IS NOT NULL) n
       WHERE NOT EXISTS (SELECT 1 FROM payers y WHERE y.id = n.payer_id)
    ) bad LIMIT 1 $q$ INTO what;
  IF what IS NOT NULL THEN
    RAISE EXCEPTION 'a ledger entry names a % that does not exist in its practice', what
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_entries_references';
  END IF;
  -- A committed transaction is final (corrections are reversals): entries join only a transaction created by
  -- this database transaction, whose balance ledger_transactions_balanced checks at COMMIT.
  EXECUTE $q$
    SELECT t.id
      FROM (SELECT DISTINCT transaction_id FROM new_entries) n
      JOIN ledger_transactions t ON t.id = n.transaction_id
     WHERE t.xmin::text::bigint <> pg_current_xact_id()::text::bigint % 4294967296
     LIMIT 1 $q$ INTO committed;
  IF committed IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % was committed earlier: entries cannot be added to it', committed
      USING ERRCODE = 'restrict_violation', CONSTRAINT = 'ledger_balanced';
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION posting_rows_check_statement() RETURNS trigger
LANGUAGE plpgsql
-- Index probes per distinct value, never a hash or merge join that reads the whole referenced table per
-- statement (which grows with the ledger: an ERA's cost would grow with every ERA before it).
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  what text;
BEGIN
  IF TG_TABLE_NAME = 'ledger_transactions' THEN
    EXECUTE $q$
      SELECT x FROM (
        SELECT 'practice' AS x FROM (SELECT DISTINCT practice_id FROM new_rows) n
         WHERE NOT EXISTS (SELECT 1 FROM practices p WHERE p.id = n.practice_id)
        UNION ALL
        SELECT 'remittance' FROM (SELECT DISTINCT practice_id, remittance_id FROM new_rows WHERE remittance_id IS NOT NULL) n
         WHERE NOT EXISTS (SELECT 1 FROM remittances r WHERE r.practice_id = n.practice_id AND r.id = n.remittance_id)
        UNION ALL
        SELECT 'claim payment'
          FROM (SELECT DISTINCT practice_id, claim_payment_id FROM new_rows WHERE claim_payment_id IS NOT NULL) n
         WHERE NOT EXISTS (SELECT 1 FROM claim_payments c WHERE c.practice_id = n.practice_id AND c.id = n.claim_payment_id)
        UNION ALL
        SELECT 'write-off request'
          FROM (SELECT DISTINCT practice_id, write_off_request_id FROM new_rows WHERE write_off_request_id IS NOT NULL) n
         WHERE NOT EXISTS (SELECT 1 FROM write_off_requests o WHERE o.practice_id = n.practice_id AND o.id = n.write_off_request_id)
        UNION ALL
        SELECT 'reversed transaction'
          FROM (SELECT DISTINCT practice_id, reverses_transaction_id FROM new_rows WHERE reverses_transaction_id IS NOT NULL) n
         WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.practice_id = n.practice_id AND t.id = n.reverses_transaction_id)
      ) bad LIMIT 1 $q$ INTO what;
  ELSIF TG_TABLE_NAME = 'line_payments' THEN
    EXECUTE $q$
      SELECT x FROM (
        SELECT 'claim payment' AS x FROM (SELECT DISTINCT practice_id, claim_payment_id FROM new_rows) n
         WHERE NOT EXISTS (SELECT 1 FROM claim_payments c WHERE c.practice_id = n.practice_id AND c.id = n.claim_payment_id)
        UNION ALL
        SELECT 'claim line' FROM (SELECT DISTINCT practice_id, claim_line_id FROM new_rows WHERE claim_line_id IS NOT NULL) n
         WHERE NOT EXISTS (SELECT 1 FROM claim_lines l WHERE l.practice_id = n.practice_id AND l.id = n.claim_line_id)
      ) bad LIMIT 1 $q$ INTO what;
  ELSE -- adjustments
    EXECUTE $q$
      SELECT x FROM (
        SELECT 'claim payment' AS x FROM (SELECT DISTINCT practice_id, claim_payment_id FROM new_rows) n
         WHERE NOT EXISTS (SELECT 1 FROM claim_payments c WHERE c.practice_id = n.practice_id AND c.id = n.claim_payment_id)
        UNION ALL
        SELECT 'line payment' FROM (SELECT DISTINCT practice_id, line_payment_id FROM new_rows WHERE line_payment_id IS NOT NULL) n
         WHERE NOT EXISTS (SELECT 1 FROM line_payments l WHERE l.practice_id = n.practice_id AND l.id = n.line_payment_id)
      ) bad LIMIT 1 $q$ INTO what;
  END IF;
  IF what IS NOT NULL THEN
    RAISE EXCEPTION 'a row of % names a % that does not exist in its practice', TG_TABLE_NAME, what
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_references';
  END IF;
  RETURN NULL;
END;
$$;
