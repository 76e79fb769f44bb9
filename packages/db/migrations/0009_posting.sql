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
LANGUAGE plpgsql
-- Index probes per distinct value, never a hash or merge join that reads the whole referenced table per
-- statement (which grows with the ledger: an ERA's cost would grow with every ERA before it).
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
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
LANGUAGE plpgsql
-- Index probes per distinct value, never a hash or merge join that reads the whole referenced table per
-- statement (which grows with the ledger: an ERA's cost would grow with every ERA before it).
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  named boolean;
BEGIN
  -- One statement per table: each is planned against that table's transition rows.
  IF TG_TABLE_NAME = 'claims' THEN
    SELECT EXISTS (SELECT 1 FROM gone g JOIN ledger_entries e ON e.practice_id = g.practice_id AND e.claim_id = g.id)
      INTO named;
  ELSIF TG_TABLE_NAME = 'claim_lines' THEN
    SELECT EXISTS (SELECT 1 FROM gone g JOIN ledger_entries e
                     ON e.practice_id = g.practice_id AND e.claim_id = g.claim_id AND e.claim_line_id = g.id)
      INTO named;
  ELSIF TG_TABLE_NAME = 'patients' THEN
    SELECT EXISTS (SELECT 1 FROM gone g JOIN ledger_entries e ON e.practice_id = g.practice_id AND e.patient_id = g.id)
      INTO named;
  ELSE -- payers
    SELECT EXISTS (SELECT 1 FROM gone g JOIN ledger_entries e ON e.payer_id = g.id) INTO named;
  END IF;
  IF named THEN
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

-- ------------------------------------------------------------------------------------------
-- The rows an ERA writes per service line — a ledger transaction, a line payment, its CAS rows — each ran one
-- query per foreign key (about 60 % of the cost of inserting them). The same references are now checked once
-- per statement over the statement's transition table (INSERT, and UPDATE of the tables that allow it), and
-- deleting a referenced row is refused while it is referenced: what the foreign keys did, set-based.
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_practice_id_fkey;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_practice_id_remittance_id_fkey;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_practice_id_claim_payment_id_fkey;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_practice_id_write_off_request_id_fkey;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_practice_id_reverses_transaction_id_fkey;
ALTER TABLE line_payments DROP CONSTRAINT line_payments_practice_id_claim_payment_id_fkey;
ALTER TABLE line_payments DROP CONSTRAINT line_payments_practice_id_claim_line_id_fkey;
ALTER TABLE adjustments DROP CONSTRAINT adjustments_practice_id_claim_payment_id_fkey;
ALTER TABLE adjustments DROP CONSTRAINT adjustments_practice_id_line_payment_id_fkey;

CREATE FUNCTION posting_rows_check_statement() RETURNS trigger
LANGUAGE plpgsql
-- Index probes per distinct value, never a hash or merge join that reads the whole referenced table per
-- statement (which grows with the ledger: an ERA's cost would grow with every ERA before it).
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  what text;
BEGIN
  IF TG_TABLE_NAME = 'ledger_transactions' THEN
    SELECT x INTO what FROM (
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
    ) bad LIMIT 1;
  ELSIF TG_TABLE_NAME = 'line_payments' THEN
    SELECT x INTO what FROM (
      SELECT 'claim payment' AS x FROM (SELECT DISTINCT practice_id, claim_payment_id FROM new_rows) n
       WHERE NOT EXISTS (SELECT 1 FROM claim_payments c WHERE c.practice_id = n.practice_id AND c.id = n.claim_payment_id)
      UNION ALL
      SELECT 'claim line' FROM (SELECT DISTINCT practice_id, claim_line_id FROM new_rows WHERE claim_line_id IS NOT NULL) n
       WHERE NOT EXISTS (SELECT 1 FROM claim_lines l WHERE l.practice_id = n.practice_id AND l.id = n.claim_line_id)
    ) bad LIMIT 1;
  ELSE -- adjustments
    SELECT x INTO what FROM (
      SELECT 'claim payment' AS x FROM (SELECT DISTINCT practice_id, claim_payment_id FROM new_rows) n
       WHERE NOT EXISTS (SELECT 1 FROM claim_payments c WHERE c.practice_id = n.practice_id AND c.id = n.claim_payment_id)
      UNION ALL
      SELECT 'line payment' FROM (SELECT DISTINCT practice_id, line_payment_id FROM new_rows WHERE line_payment_id IS NOT NULL) n
       WHERE NOT EXISTS (SELECT 1 FROM line_payments l WHERE l.practice_id = n.practice_id AND l.id = n.line_payment_id)
    ) bad LIMIT 1;
  END IF;
  IF what IS NOT NULL THEN
    RAISE EXCEPTION 'a row of % names a % that does not exist in its practice', TG_TABLE_NAME, what
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_references';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_transactions_references AFTER INSERT ON ledger_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_check_statement();
CREATE TRIGGER line_payments_references AFTER INSERT ON line_payments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_check_statement();
CREATE TRIGGER line_payments_references_update AFTER UPDATE ON line_payments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_check_statement();
CREATE TRIGGER adjustments_references AFTER INSERT ON adjustments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_check_statement();
CREATE TRIGGER adjustments_references_update AFTER UPDATE ON adjustments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_check_statement();

-- Deleting (or renumbering) a row those tables name is refused while it is named.
CREATE FUNCTION posting_rows_refuse_orphans() RETURNS trigger
LANGUAGE plpgsql
-- Index probes per distinct value, never a hash or merge join that reads the whole referenced table per
-- statement (which grows with the ledger: an ERA's cost would grow with every ERA before it).
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  named boolean;
BEGIN
  -- One statement per table: each is planned against that table's transition rows. A row "gone" is one whose
  -- (practice_id, id) no longer exists after the statement (deleted, or its key updated).
  IF TG_TABLE_NAME = 'practices' THEN
    SELECT EXISTS (SELECT 1 FROM gone g JOIN ledger_transactions t ON t.practice_id = g.id
                    WHERE NOT EXISTS (SELECT 1 FROM practices p WHERE p.id = g.id)) INTO named;
  ELSIF TG_TABLE_NAME = 'remittances' THEN
    SELECT EXISTS (SELECT 1 FROM gone g JOIN ledger_transactions t ON t.practice_id = g.practice_id AND t.remittance_id = g.id
                    WHERE NOT EXISTS (SELECT 1 FROM remittances r WHERE r.practice_id = g.practice_id AND r.id = g.id))
      INTO named;
  ELSIF TG_TABLE_NAME = 'claim_payments' THEN
    SELECT EXISTS (
      SELECT 1 FROM gone g
       WHERE NOT EXISTS (SELECT 1 FROM claim_payments c WHERE c.practice_id = g.practice_id AND c.id = g.id)
         AND (EXISTS (SELECT 1 FROM line_payments l WHERE l.practice_id = g.practice_id AND l.claim_payment_id = g.id)
           OR EXISTS (SELECT 1 FROM adjustments a WHERE a.practice_id = g.practice_id AND a.claim_payment_id = g.id)
           OR EXISTS (SELECT 1 FROM ledger_transactions t
                       WHERE t.practice_id = g.practice_id AND t.remittance_id = g.remittance_id AND t.claim_payment_id = g.id)))
      INTO named;
  ELSIF TG_TABLE_NAME = 'line_payments' THEN
    SELECT EXISTS (SELECT 1 FROM gone g JOIN adjustments a ON a.practice_id = g.practice_id
                                                        AND a.claim_payment_id = g.claim_payment_id AND a.line_payment_id = g.id
                    WHERE NOT EXISTS (SELECT 1 FROM line_payments l WHERE l.practice_id = g.practice_id AND l.id = g.id))
      INTO named;
  ELSIF TG_TABLE_NAME = 'claim_lines' THEN
    SELECT EXISTS (SELECT 1 FROM gone g JOIN line_payments l ON l.practice_id = g.practice_id AND l.claim_line_id = g.id
                    WHERE NOT EXISTS (SELECT 1 FROM claim_lines x WHERE x.practice_id = g.practice_id AND x.id = g.id))
      INTO named;
  ELSE -- write_off_requests
    SELECT EXISTS (SELECT 1 FROM gone g JOIN ledger_transactions t ON t.practice_id = g.practice_id
                                                                 AND t.write_off_request_id = g.id
                    WHERE NOT EXISTS (SELECT 1 FROM write_off_requests o WHERE o.practice_id = g.practice_id AND o.id = g.id))
      INTO named;
  END IF;
  IF named THEN
    RAISE EXCEPTION 'a deleted or renumbered row of % is still named by posting rows', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_posting_references';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER practices_posting_references AFTER DELETE ON practices
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER practices_posting_references_update AFTER UPDATE ON practices
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER remittances_posting_references AFTER DELETE ON remittances
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER remittances_posting_references_update AFTER UPDATE ON remittances
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER claim_payments_posting_references AFTER DELETE ON claim_payments
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER claim_payments_posting_references_update AFTER UPDATE ON claim_payments
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER line_payments_posting_references AFTER DELETE ON line_payments
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER line_payments_posting_references_update AFTER UPDATE ON line_payments
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER claim_lines_posting_references AFTER DELETE ON claim_lines
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER claim_lines_posting_references_update AFTER UPDATE ON claim_lines
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER write_off_requests_posting_references AFTER DELETE ON write_off_requests
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
CREATE TRIGGER write_off_requests_posting_references_update AFTER UPDATE ON write_off_requests
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION posting_rows_refuse_orphans();
