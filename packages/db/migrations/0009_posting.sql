-- 0009 ERA posting (issue 6, second pass): an interest income account, and ledger integrity checked once per
-- statement instead of once per row, so an 835 of a million service lines posts in minutes.

-- PLB L6 interest the payer adds to a payment is income of the practice, kept apart from claim payments and
-- from the other provider-level adjustments.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_account_check CHECK (account IN (
  'ar_insurance', 'ar_patient', 'gross_charges', 'contractual_adjustments', 'other_adjustments',
  'write_offs', 'cash', 'unapplied_cash', 'refunds_payable', 'interest_expense', 'interest_income',
  'provider_level_adjustments'));

-- ------------------------------------------------------------------------------------------
-- Ledger entries are written several per claim line (an ERA of 1M lines writes ~4.7M). Per row, the five
-- foreign keys to its transaction, claim, claim line, patient and payer each ran a query, and a deferred
-- trigger queued an event and re-summed the entry's transaction at COMMIT. The same rules now run once per INSERT
-- statement over its transition table:
--  * the transaction, claim, claim line and patient an entry names exist in its practice, and its payer exists;
--  * entries are added only to a transaction created in the same database transaction (a committed one is
--    final: corrections are reversals), so the deferred ledger_transactions_balanced trigger, which re-sums
--    each new transaction at COMMIT (≥ 2 entries, sum zero), still sees every entry that could unbalance it;
--  * deleting a claim, claim line, patient or payer that entries name is refused (what the foreign keys'
--    NO ACTION did; nothing deletes them today).
-- ledger_transactions refuse DELETE and TRUNCATE (append-only), so an entry's transaction cannot go away.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_practice_id_transaction_id_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_practice_id_claim_id_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_practice_id_claim_line_id_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_practice_id_patient_id_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_payer_id_fkey;
DROP TRIGGER ledger_entries_balanced ON ledger_entries;
-- Nothing references (practice_id, id) of an entry; the reports read entries by claim, patient and transaction.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_practice_id_id_key;
DROP INDEX ledger_entries_account_idx;

CREATE FUNCTION ledger_entries_check_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  -- Each distinct value once (an ERA names a claim in ~14 entries, a patient and a payer in all of them).
  SELECT 'transaction' AS what INTO bad
    FROM (SELECT DISTINCT practice_id, transaction_id FROM new_entries) n
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
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a ledger entry names a % that does not exist in its practice', bad.what
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_entries_references';
  END IF;
  -- A committed transaction is final (corrections are reversals): entries join only a transaction created by
  -- this database transaction, whose balance ledger_transactions_balanced checks at COMMIT.
  SELECT t.id INTO bad
    FROM (SELECT DISTINCT transaction_id FROM new_entries) n
    JOIN ledger_transactions t ON t.id = n.transaction_id
   WHERE t.xmin::text::bigint <> pg_current_xact_id()::text::bigint % 4294967296
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % was committed earlier: entries cannot be added to it', bad.id
      USING ERRCODE = 'restrict_violation', CONSTRAINT = 'ledger_balanced';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_entries_checked
  AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_check_statement();

CREATE FUNCTION ledger_entries_refuse_orphans() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_TABLE_NAME = 'claims' AND EXISTS (
        SELECT 1 FROM gone g JOIN ledger_entries e ON e.practice_id = g.practice_id AND e.claim_id = g.id))
  OR (TG_TABLE_NAME = 'claim_lines' AND EXISTS (
        SELECT 1 FROM gone g JOIN ledger_entries e
          ON e.practice_id = g.practice_id AND e.claim_id = g.claim_id AND e.claim_line_id = g.id))
  OR (TG_TABLE_NAME = 'patients' AND EXISTS (
        SELECT 1 FROM gone g JOIN ledger_entries e ON e.practice_id = g.practice_id AND e.patient_id = g.id))
  OR (TG_TABLE_NAME = 'payers' AND EXISTS (
        SELECT 1 FROM gone g JOIN ledger_entries e ON e.payer_id = g.id)) THEN
    RAISE EXCEPTION 'a deleted % is named by ledger entries', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_entries_references';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER claims_ledger_references AFTER DELETE ON claims
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_orphans();
CREATE TRIGGER claim_lines_ledger_references AFTER DELETE ON claim_lines
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_orphans();
CREATE TRIGGER patients_ledger_references AFTER DELETE ON patients
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_orphans();
CREATE TRIGGER payers_ledger_references AFTER DELETE ON payers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_orphans();

-- Indexes nothing reads: the CAS rows of a claim payment are read by claim payment (adjustments_claim_payment_idx),
-- denials by reason through denials_reason_idx; nothing references (practice_id, id) of a CAS or RARC row.
DROP INDEX adjustments_reason_idx;
ALTER TABLE adjustments DROP CONSTRAINT adjustments_practice_id_id_key;
ALTER TABLE remark_codes DROP CONSTRAINT remark_codes_practice_id_id_key;
